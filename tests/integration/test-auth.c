/*
 * test-auth.c - accounts on a real PostgreSQL: sign-up rules and refusals,
 * sign-in (same answer and similar cost for unknown users), locking, roles
 * and the last-admin guard (also under a race), passwords, re-hashing with
 * new argon2 costs, listing, audit rows.
 *
 * All tests share one database (tests/run.sh makes it per program), so each
 * uses its own usernames.
 */
#include <pthread.h>
#include <time.h>

#include "testlib.h"
#include "internal.h"	/* to read hashes and audit rows back */

#define PW	"correct horse battery"

/* A context whose sign-in throttling never gets in the way of a test. */
static struct cnt_ctx *
auth_ctx(int t_cost, int m_kib)
{
	struct cnt_config cfg;
	struct cnt_ctx *ctx;

	test_config(&cfg);
	cfg.login_max_failures = 1000;
	if (t_cost > 0)
		cfg.argon2_t_cost = t_cost;
	if (m_kib > 0)
		cfg.argon2_m_kib = m_kib;
	ctx = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	return ctx;
}

static int
setup(void **state)
{
	enum cnt_loglevel level;

	*state = auth_ctx(0, 0);
	if (cnt_log_parse_level(cnt_ctx_config(*state)->log_level, &level) ==
	    CNT_OK)
		cnt_log_init(level, NULL);
	return 0;
}

static int
teardown(void **state)
{
	cnt_ctx_free(*state);
	return 0;
}

/* Sign USER up as a customer with password PW and return its id. */
static int64_t
make_user(struct cnt_ctx *ctx, const char *user, const char *pw)
{
	struct cnt_signup su;
	struct cnt_account acc;
	struct cnt_error err;
	char	       *email = xasprintf("%s@example.com", user);
	char	       *name = xasprintf("%s Tester", user);
	int64_t		id;

	su.username = user;
	su.email = email;
	su.full_name = name;
	su.password = pw;
	assert_ok(cnt_account_signup(ctx, &su, &acc, &err), &err);
	id = acc.id;
	cnt_account_free(&acc);
	free(email);
	free(name);
	return id;
}

/* Create USER with ROLE as the operator (CNT_ACTOR_SYSTEM). */
static struct cnt_actor
make_role(struct cnt_ctx *ctx, const char *user, enum cnt_role role)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_signup su;
	struct cnt_account acc;
	struct cnt_error err;
	struct cnt_actor actor;
	char	       *email = xasprintf("%s@example.com", user);

	su.username = user;
	su.email = email;
	su.full_name = "Role Tester";
	su.password = PW;
	assert_ok(cnt_account_create(ctx, &sys, &su, role, &acc, &err), &err);
	assert_int_equal(acc.role, role);
	actor = cnt_account_actor(&acc);
	cnt_account_free(&acc);
	free(email);
	return actor;
}

static enum cnt_role
role_of(struct cnt_ctx *ctx, int64_t id)
{
	struct cnt_account acc;
	struct cnt_error err;
	enum cnt_role	role;

	assert_ok(cnt_account_get(ctx, id, &acc, &err), &err);
	role = acc.role;
	cnt_account_free(&acc);
	return role;
}

/* Sign-in result for LOGIN/PW; frees the account on success. */
static int
try_signin(struct cnt_ctx *ctx, const char *login, const char *pw,
    struct cnt_error *err)
{
	struct cnt_account acc;
	int		rc;

	rc = cnt_account_signin(ctx, login, pw, "test", &acc, err);
	if (rc == CNT_OK)
		cnt_account_free(&acc);
	return rc;
}

/* One text value of a query with one parameter, owned; NULL if no row. */
static char *
query1(struct cnt_ctx *ctx, const char *sql, const char *param)
{
	struct cnt_error err;
	const char     *p[1] = { param };
	PGresult       *res;
	char	       *v = NULL;

	res = cnt_db_exec(ctx, &err, sql, param != NULL ? 1 : 0, p);
	if (res == NULL)
		fail_msg("query failed: %s", err.msg);
	if (PQntuples(res) > 0)
		v = cnt_pg_str(res, 0, 0);
	PQclear(res);
	return v;
}

/* ------------------------------------------------------------------ */

static void
test_signup_and_signin(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_signup su = { "  Alice.B-1_ ", " Alice@Example.COM ",
	    " Alice Bee ", PW };
	struct cnt_account acc, in;
	struct cnt_error err;

	assert_ok(cnt_account_signup(ctx, &su, &acc, &err), &err);
	assert_string_equal(acc.username, "alice.b-1_");
	assert_string_equal(acc.email, "Alice@Example.COM");
	assert_string_equal(acc.full_name, "Alice Bee");
	assert_int_equal(acc.role, CNT_ROLE_CUSTOMER);
	assert_false(acc.locked);
	assert_true(acc.id > 0);
	assert_true(acc.created_at > time(NULL) - 600);

	/* by username in any case, and by email in any case */
	assert_ok(cnt_account_signin(ctx, "ALICE.B-1_", PW, "test", &in, &err),
	    &err);
	assert_int_equal(in.id, acc.id);
	cnt_account_free(&in);
	assert_ok(cnt_account_signin(ctx, "alice@example.com", PW, "test", &in,
	    &err), &err);
	assert_int_equal(in.id, acc.id);
	assert_int_equal(in.role, CNT_ROLE_CUSTOMER);
	cnt_account_free(&in);

	assert_ok(cnt_account_by_name(ctx, "Alice.B-1_", &in, &err), &err);
	assert_int_equal(in.id, acc.id);
	cnt_account_free(&in);
	assert_refused(cnt_account_by_name(ctx, "nobody-here", &in, &err),
	    &err, CNT_E_NOTFOUND);
	assert_refused(cnt_account_get(ctx, 999999, &in, &err), &err,
	    CNT_E_NOTFOUND);

	/* the stored hash is argon2id, not the password */
	{
		char	idb[CNT_I64BUF];
		char   *h = query1(ctx, "SELECT password_hash FROM accounts"
		    " WHERE id = $1", cnt_i64(idb, acc.id));

		assert_non_null(h);
		assert_contains(h, "$argon2id$");
		assert_null(strstr(h, PW));
		free(h);
	}
	cnt_account_free(&acc);
}

static void
test_signup_duplicates(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_signup su = { "Bobby", "bobby@example.com", "Bob", PW };
	struct cnt_error err;
	char	       *n;

	assert_ok(cnt_account_signup(ctx, &su, NULL, &err), &err);

	/* the same username in other case, another email */
	su.username = "BOBBY";
	su.email = "other-bobby@example.com";
	assert_refused(cnt_account_signup(ctx, &su, NULL, &err), &err,
	    CNT_E_CONFLICT);
	assert_string_equal(err.field, "username");
	assert_contains(err.msg, "taken");

	/* another username, the same email in other case */
	su.username = "bobby2";
	su.email = "BOBBY@example.COM";
	assert_refused(cnt_account_signup(ctx, &su, NULL, &err), &err,
	    CNT_E_CONFLICT);
	assert_string_equal(err.field, "email");

	n = query1(ctx, "SELECT count(*) FROM accounts WHERE username LIKE"
	    " 'bobby%'", NULL);
	assert_string_equal(n, "1");
	free(n);
}

/* Expect sign-up of SU refused as invalid, naming FIELD. */
static void
expect_invalid(struct cnt_ctx *ctx, const struct cnt_signup *su,
    const char *field)
{
	struct cnt_error err;

	cnt_error_clear(&err);
	if (cnt_account_signup(ctx, su, NULL, &err) == CNT_OK)
		fail_msg("sign-up of \"%s\" <%s> should have been refused for"
		    " its %s", su->username, su->email, field);
	if (err.kind != CNT_E_INVALID || strcmp(err.field, field) != 0)
		fail_msg("sign-up of \"%s\" <%s>: expected invalid %s, got %s"
		    " (field \"%s\"): %s", su->username, su->email, field,
		    cnt_errkind_name(err.kind), err.field, err.msg);
	assert_true(err.msg[0] != '\0');
}

static void
test_signup_invalid(void **state)
{
	static const char *const bad_names[] = {
		"ab", "", "bob smith", "bob@home", "b\xc3\xb6" "b", "bob!",
		"abcdefghijklmnopqrstuvwxyz0123456", NULL
	};
	static const char *const bad_emails[] = {
		"", "no-at-sign", "a@b", "a@@b.com", "@example.com",
		"a@.example.com", "a@example..com", "a@example.com.",
		"a b@example.com", "a@exa mple.com", "a@b@c.com",
		"a@-example.com", NULL
	};
	struct cnt_ctx *ctx = *state;
	struct cnt_signup su = { "carol", "carol@example.com", "Carol", PW };
	char		longpw[1100];
	char	       *n;
	int		i;

	for (i = 0; bad_names[i] != NULL; i++) {
		su.username = bad_names[i];
		expect_invalid(ctx, &su, "username");
	}
	su.username = "carol";
	for (i = 0; bad_emails[i] != NULL; i++) {
		su.email = bad_emails[i];
		expect_invalid(ctx, &su, "email");
	}
	su.email = "carol@example.com";
	su.full_name = "   ";
	expect_invalid(ctx, &su, "full_name");
	su.full_name = "Carol\nEvil";
	expect_invalid(ctx, &su, "full_name");
	su.full_name = "Carol";

	su.password = "short";
	expect_invalid(ctx, &su, "password");
	su.password = "123456789";		/* 9 characters */
	expect_invalid(ctx, &su, "password");
	su.username = "carol-the-great";
	su.password = "Carol-The-GREAT";	/* the username, other case */
	expect_invalid(ctx, &su, "password");
	memset(longpw, 'x', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = '\0';	/* 1099 bytes */
	su.password = longpw;
	expect_invalid(ctx, &su, "password");
	/* 10 characters of which some are multi-byte count as 10 */
	su.password = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	{
		struct cnt_error err;

		assert_ok(cnt_signup_validate(&su, &err), &err);
	}

	n = query1(ctx, "SELECT count(*) FROM accounts WHERE username LIKE"
	    " 'carol%'", NULL);
	assert_string_equal(n, "0");
	free(n);
}

static void
test_signin_refusals_look_alike(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_error wrong, unknown, err;
	struct cnt_account acc;

	make_user(ctx, "dave", PW);
	assert_refused(try_signin(ctx, "dave", "not the password", &wrong),
	    &wrong, CNT_E_FORBIDDEN);
	assert_refused(try_signin(ctx, "nosuchuser", PW, &unknown), &unknown,
	    CNT_E_FORBIDDEN);
	assert_string_equal(wrong.msg, unknown.msg);
	assert_string_equal(wrong.field, unknown.field);
	assert_refused(try_signin(ctx, "nobody@example.com", PW, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_string_equal(err.msg, wrong.msg);
	assert_refused(try_signin(ctx, "", "", &err), &err, CNT_E_FORBIDDEN);
	assert_string_equal(err.msg, wrong.msg);
	assert_refused(try_signin(ctx, NULL, NULL, &err), &err,
	    CNT_E_FORBIDDEN);
	/* the wrong case of a password is a wrong password */
	assert_refused(try_signin(ctx, "dave", "CORRECT HORSE BATTERY", &err),
	    &err, CNT_E_FORBIDDEN);
	assert_ok(cnt_account_signin(ctx, "dave", PW, NULL, &acc, &err), &err);
	cnt_account_free(&acc);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds one sign-in of LOGIN with a wrong password takes. */
static double
signin_time(struct cnt_ctx *ctx, const char *login)
{
	struct cnt_error err;
	double		t = now_s();

	assert_int_equal(try_signin(ctx, login, "wrong password!", &err),
	    CNT_ERR);
	return now_s() - t;
}

/*
 * With a cost that takes milliseconds, an unknown user costs about as much
 * as a wrong password for a real one: both run one argon2 verification.
 * The two are measured alternately and the fastest of each kept, so load
 * from other processes on the machine hits both alike; without the dummy
 * hash the unknown user would take a database round trip only (well under
 * a tenth of the hash).
 */
static void
test_signin_unknown_user_costs_a_hash(void **state)
{
	struct cnt_ctx *ctx = auth_ctx(1, 16384);
	double		known = 1e9, unknown = 1e9, t;
	int		i;

	(void)state;
	make_user(ctx, "timing-user", PW);
	(void)signin_time(ctx, "no-such-timing-user");	/* dummy made */
	for (i = 0; i < 10; i++) {
		if ((t = signin_time(ctx, "timing-user")) < known)
			known = t;
		if ((t = signin_time(ctx, "no-such-timing-user")) < unknown)
			unknown = t;
	}
	print_message("sign-in with 16 MiB argon2: wrong password %.1f ms,"
	    " unknown user %.1f ms\n", known * 1e3, unknown * 1e3);
	if (unknown < known * 0.4)
		fail_msg("an unknown user took %.2f ms but a wrong password"
		    " %.2f ms: the dummy hash is not being checked",
		    unknown * 1e3, known * 1e3);
	cnt_ctx_free(ctx);
}

static void
test_locked_account(void **state)
{
	struct cnt_ctx *ctx = *state;
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_actor staff = make_role(ctx, "erin-staff", CNT_ROLE_STAFF);
	struct cnt_error err, generic;
	struct cnt_account acc;
	int64_t		id = make_user(ctx, "erin", PW);

	/* staff cannot lock */
	assert_refused(cnt_account_set_locked(ctx, &staff, id, true, &err),
	    &err, CNT_E_FORBIDDEN);
	assert_ok(try_signin(ctx, "erin", PW, &err), &err);

	assert_ok(cnt_account_set_locked(ctx, &sys, id, true, &err), &err);
	assert_ok(cnt_account_get(ctx, id, &acc, &err), &err);
	assert_true(acc.locked);
	cnt_account_free(&acc);
	assert_refused(try_signin(ctx, "erin", PW, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_contains(err.msg, "locked");
	/* a wrong password on a locked account reveals nothing more */
	assert_refused(try_signin(ctx, "erin", "wrong password", &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(try_signin(ctx, "nosuch-erin", "wrong password",
	    &generic), &generic, CNT_E_FORBIDDEN);
	assert_string_equal(err.msg, generic.msg);

	assert_ok(cnt_account_set_locked(ctx, &sys, id, false, &err), &err);
	assert_ok(try_signin(ctx, "erin", PW, &err), &err);
}

static void
test_roles_need_admin(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_actor staff = make_role(ctx, "frank-staff", CNT_ROLE_STAFF);
	struct cnt_actor admin = make_role(ctx, "frank-admin", CNT_ROLE_ADMIN);
	struct cnt_actor cust = { make_user(ctx, "frank", PW),
	    CNT_ROLE_CUSTOMER };
	const struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	struct cnt_signup su = { "frank2", "frank2@example.com", "F", PW };
	struct cnt_error err;

	/* a customer promoting himself, staff promoting: refused, unchanged */
	assert_refused(cnt_account_set_role(ctx, &cust, cust.account_id,
	    CNT_ROLE_ADMIN, &err), &err, CNT_E_FORBIDDEN);
	assert_int_equal(role_of(ctx, cust.account_id), CNT_ROLE_CUSTOMER);
	assert_refused(cnt_account_set_role(ctx, &staff, cust.account_id,
	    CNT_ROLE_STAFF, &err), &err, CNT_E_FORBIDDEN);
	assert_int_equal(role_of(ctx, cust.account_id), CNT_ROLE_CUSTOMER);
	assert_refused(cnt_account_set_role(ctx, &staff, admin.account_id,
	    CNT_ROLE_CUSTOMER, &err), &err, CNT_E_FORBIDDEN);
	assert_int_equal(role_of(ctx, admin.account_id), CNT_ROLE_ADMIN);
	assert_refused(cnt_account_set_role(ctx, &guest, cust.account_id,
	    CNT_ROLE_ADMIN, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_account_create(ctx, &staff, &su, CNT_ROLE_ADMIN,
	    NULL, &err), &err, CNT_E_FORBIDDEN);

	/* an admin can; the role is not "guest" */
	assert_refused(cnt_account_set_role(ctx, &admin, cust.account_id,
	    CNT_ROLE_GUEST, &err), &err, CNT_E_INVALID);
	assert_ok(cnt_account_set_role(ctx, &admin, cust.account_id,
	    CNT_ROLE_STAFF, &err), &err);
	assert_int_equal(role_of(ctx, cust.account_id), CNT_ROLE_STAFF);
	assert_refused(cnt_account_set_role(ctx, &admin, 987654,
	    CNT_ROLE_STAFF, &err), &err, CNT_E_NOTFOUND);

	/* the change is audited with who did it */
	{
		char	idb[CNT_I64BUF];
		char   *d = query1(ctx, "SELECT detail || ' by ' || actor_id"
		    " FROM audit_log WHERE action = 'account.role' AND"
		    " entity_id = $1", cnt_i64(idb, cust.account_id));

		assert_non_null(d);
		assert_contains(d, "frank: customer -> staff by ");
		free(d);
	}
	/* signing in gives the new role */
	{
		struct cnt_account acc;

		assert_ok(cnt_account_signin(ctx, "frank", PW, "test", &acc,
		    &err), &err);
		assert_int_equal(acc.role, CNT_ROLE_STAFF);
		cnt_account_free(&acc);
	}
}

/* Demote every admin there is but FIRST (clean slate for admin tests). */
static void
only_admin(struct cnt_ctx *ctx, int64_t first)
{
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_error err;
	struct cnt_account *all;
	size_t		n, i;

	assert_ok(cnt_account_list(ctx, &sys, "", 0, 1000, &all, &n, &err),
	    &err);
	for (i = 0; i < n; i++)
		if (all[i].role == CNT_ROLE_ADMIN && all[i].id != first)
			assert_ok(cnt_account_set_role(ctx, &sys, all[i].id,
			    CNT_ROLE_CUSTOMER, &err), &err);
	cnt_accounts_free(all, n);
}

static void
test_last_admin_guard(void **state)
{
	struct cnt_ctx *ctx = *state;
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_actor a1 = make_role(ctx, "gina-admin", CNT_ROLE_ADMIN);
	struct cnt_actor a2;
	struct cnt_error err;

	only_admin(ctx, a1.account_id);
	assert_refused(cnt_account_set_role(ctx, &sys, a1.account_id,
	    CNT_ROLE_STAFF, &err), &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "last admin");
	assert_refused(cnt_account_set_role(ctx, &a1, a1.account_id,
	    CNT_ROLE_CUSTOMER, &err), &err, CNT_E_CONFLICT);
	assert_refused(cnt_account_set_locked(ctx, &sys, a1.account_id, true,
	    &err), &err, CNT_E_CONFLICT);
	assert_int_equal(role_of(ctx, a1.account_id), CNT_ROLE_ADMIN);
	/* nobody locks themselves out */
	assert_refused(cnt_account_set_locked(ctx, &a1, a1.account_id, true,
	    &err), &err, CNT_E_INVALID);
	/* setting the same role again is fine */
	assert_ok(cnt_account_set_role(ctx, &a1, a1.account_id,
	    CNT_ROLE_ADMIN, &err), &err);

	/* with a second admin, the first can go */
	a2 = make_role(ctx, "gina-admin2", CNT_ROLE_ADMIN);
	assert_ok(cnt_account_set_role(ctx, &a2, a1.account_id,
	    CNT_ROLE_STAFF, &err), &err);
	assert_refused(cnt_account_set_locked(ctx, &sys, a2.account_id, true,
	    &err), &err, CNT_E_CONFLICT);

	/* a locked admin does not count as one who can sign in */
	assert_ok(cnt_account_set_role(ctx, &a2, a1.account_id,
	    CNT_ROLE_ADMIN, &err), &err);
	assert_ok(cnt_account_set_locked(ctx, &a2, a1.account_id, true, &err),
	    &err);
	assert_refused(cnt_account_set_role(ctx, &sys, a2.account_id,
	    CNT_ROLE_CUSTOMER, &err), &err, CNT_E_CONFLICT);
	assert_ok(cnt_account_set_locked(ctx, &a2, a1.account_id, false, &err),
	    &err);
	assert_ok(cnt_account_set_role(ctx, &sys, a2.account_id,
	    CNT_ROLE_CUSTOMER, &err), &err);
	assert_int_equal(role_of(ctx, a1.account_id), CNT_ROLE_ADMIN);
}

/* The race: two admins demote each other at the same moment. */
struct race_arg {
	pthread_barrier_t *barrier;
	int64_t		victim;
	int		ok;
	int		conflicts;
	char		other[600];
};

static void *
race_demote(void *p)
{
	struct race_arg *a = p;
	struct cnt_ctx *ctx = auth_ctx(0, 0);
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_error err;
	int		rc;

	pthread_barrier_wait(a->barrier);
	rc = cnt_account_set_role(ctx, &sys, a->victim, CNT_ROLE_CUSTOMER,
	    &err);
	if (rc == CNT_OK)
		a->ok++;
	else if (err.kind == CNT_E_CONFLICT)
		a->conflicts++;
	else
		snprintf(a->other, sizeof a->other, "%s: %s",
		    cnt_errkind_name(err.kind), err.msg);
	cnt_ctx_free(ctx);
	return NULL;
}

static void
test_last_admin_race(void **state)
{
	struct cnt_ctx *ctx = *state;
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_actor a = make_role(ctx, "hank-admin", CNT_ROLE_ADMIN);
	struct cnt_actor b = make_role(ctx, "hank-admin2", CNT_ROLE_ADMIN);
	struct cnt_error err;
	pthread_barrier_t barrier;
	int		round;

	only_admin(ctx, a.account_id);
	assert_ok(cnt_account_set_role(ctx, &sys, b.account_id,
	    CNT_ROLE_ADMIN, &err), &err);
	for (round = 0; round < 20; round++) {
		struct race_arg ra = { &barrier, a.account_id, 0, 0, "" };
		struct race_arg rb = { &barrier, b.account_id, 0, 0, "" };
		pthread_t	ta, tb;

		pthread_barrier_init(&barrier, NULL, 2);
		pthread_create(&ta, NULL, race_demote, &ra);
		pthread_create(&tb, NULL, race_demote, &rb);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		pthread_barrier_destroy(&barrier);
		if (ra.other[0] != '\0' || rb.other[0] != '\0')
			fail_msg("round %d: unexpected error %s%s", round,
			    ra.other, rb.other);
		if (ra.ok + rb.ok != 1 || ra.conflicts + rb.conflicts != 1)
			fail_msg("round %d: expected exactly one demotion and"
			    " one refusal, got %d and %d", round,
			    ra.ok + rb.ok, ra.conflicts + rb.conflicts);
		/* put the demoted one back for the next round */
		assert_ok(cnt_account_set_role(ctx, &sys, ra.ok ?
		    a.account_id : b.account_id, CNT_ROLE_ADMIN, &err), &err);
	}
	assert_int_equal(role_of(ctx, a.account_id), CNT_ROLE_ADMIN);
	assert_int_equal(role_of(ctx, b.account_id), CNT_ROLE_ADMIN);
}

static void
test_change_password(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_actor me = { make_user(ctx, "ivy", PW), CNT_ROLE_CUSTOMER };
	const struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	struct cnt_error err;

	assert_refused(cnt_account_change_password(ctx, &me, "wrong old pw",
	    "a brand new password", &err), &err, CNT_E_FORBIDDEN);
	assert_string_equal(err.field, "old_password");
	assert_ok(try_signin(ctx, "ivy", PW, &err), &err);

	assert_refused(cnt_account_change_password(ctx, &me, PW, "short",
	    &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "password");
	assert_refused(cnt_account_change_password(ctx, &guest, PW,
	    "a brand new password", &err), &err, CNT_E_FORBIDDEN);

	assert_ok(cnt_account_change_password(ctx, &me, PW,
	    "a brand new password", &err), &err);
	assert_refused(try_signin(ctx, "ivy", PW, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_ok(try_signin(ctx, "ivy", "a brand new password", &err), &err);
}

static void
test_admin_password_reset(void **state)
{
	struct cnt_ctx *ctx = *state;
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_actor staff = make_role(ctx, "jack-staff", CNT_ROLE_STAFF);
	struct cnt_actor cust = { make_user(ctx, "jack", PW),
	    CNT_ROLE_CUSTOMER };
	struct cnt_error err;

	assert_refused(cnt_account_set_password(ctx, &staff, cust.account_id,
	    "reset by staff!", &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_account_set_password(ctx, &cust, cust.account_id,
	    "reset by myself", &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_account_set_password(ctx, &sys, cust.account_id,
	    "JACK", &err), &err, CNT_E_INVALID);
	assert_refused(cnt_account_set_password(ctx, &sys, 987654,
	    "reset by admin", &err), &err, CNT_E_NOTFOUND);
	assert_ok(try_signin(ctx, "jack", PW, &err), &err);
	assert_ok(cnt_account_set_password(ctx, &sys, cust.account_id,
	    "reset by admin", &err), &err);
	assert_ok(try_signin(ctx, "jack", "reset by admin", &err), &err);
	assert_refused(try_signin(ctx, "jack", PW, &err), &err,
	    CNT_E_FORBIDDEN);
}

/* A sign-in with a hash of other costs stores one with the current costs. */
static void
test_rehash_on_new_costs(void **state)
{
	struct cnt_ctx *cheap = *state;
	struct cnt_ctx *dear = auth_ctx(2, 128);
	struct cnt_error err;
	char		idb[CNT_I64BUF];
	char	       *before, *after, *again;
	int64_t		id = make_user(cheap, "kate", PW);

	cnt_i64(idb, id);
	before = query1(cheap, "SELECT password_hash FROM accounts WHERE"
	    " id = $1", idb);
	assert_false(cnt_password_needs_rehash(cnt_ctx_config(cheap), before));
	assert_true(cnt_password_needs_rehash(cnt_ctx_config(dear), before));

	/* a failed sign-in changes nothing */
	assert_refused(try_signin(dear, "kate", "wrong password", &err), &err,
	    CNT_E_FORBIDDEN);
	after = query1(cheap, "SELECT password_hash FROM accounts WHERE"
	    " id = $1", idb);
	assert_string_equal(after, before);
	free(after);

	assert_ok(try_signin(dear, "kate", PW, &err), &err);
	after = query1(cheap, "SELECT password_hash FROM accounts WHERE"
	    " id = $1", idb);
	if (strcmp(after, before) == 0)
		fail_msg("expected a new hash after signing in with other"
		    " costs, still %s", after);
	assert_contains(after, "m=128,t=2,p=1$");
	assert_false(cnt_password_needs_rehash(cnt_ctx_config(dear), after));

	/* a second sign-in with the same costs leaves it alone */
	assert_ok(try_signin(dear, "kate", PW, &err), &err);
	again = query1(cheap, "SELECT password_hash FROM accounts WHERE"
	    " id = $1", idb);
	assert_string_equal(again, after);
	/* and the old costs still verify it (and move it back) */
	assert_ok(try_signin(cheap, "kate", PW, &err), &err);
	free(before);
	free(after);
	free(again);
	cnt_ctx_free(dear);
}

static void
test_list_accounts(void **state)
{
	struct cnt_ctx *ctx = *state;
	struct cnt_actor staff = make_role(ctx, "lena-staff", CNT_ROLE_STAFF);
	struct cnt_actor cust = { make_user(ctx, "lena", PW),
	    CNT_ROLE_CUSTOMER };
	struct cnt_account *all;
	struct cnt_error err;
	size_t		n;

	make_user(ctx, "lena-b", PW);
	make_user(ctx, "lena-c", PW);
	assert_refused(cnt_account_list(ctx, &cust, "", 0, 10, &all, &n, &err),
	    &err, CNT_E_FORBIDDEN);
	assert_null(all);

	/* by part of the username, email or name, in any case, sorted */
	assert_ok(cnt_account_list(ctx, &staff, "LENA", 0, 0, &all, &n, &err),
	    &err);
	assert_int_equal(n, 4);
	assert_string_equal(all[0].username, "lena");
	assert_string_equal(all[1].username, "lena-b");
	assert_string_equal(all[3].username, "lena-staff");
	assert_int_equal(all[3].role, CNT_ROLE_STAFF);
	cnt_accounts_free(all, n);

	assert_ok(cnt_account_list(ctx, &staff, "lena-c@EXAMPLE", 0, 10, &all,
	    &n, &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(all[0].username, "lena-c");
	cnt_accounts_free(all, n);

	/* paging */
	assert_ok(cnt_account_list(ctx, &staff, "lena", 1, 2, &all, &n, &err),
	    &err);
	assert_int_equal(n, 2);
	assert_string_equal(all[0].username, "lena-b");
	assert_string_equal(all[1].username, "lena-c");
	cnt_accounts_free(all, n);

	/* '%' and '_' are literal */
	assert_ok(cnt_account_list(ctx, &staff, "%", 0, 10, &all, &n, &err),
	    &err);
	assert_int_equal(n, 0);
	cnt_accounts_free(all, n);
}

static void
test_update_profile(void **state)
{
	struct cnt_ctx *ctx = *state;
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	struct cnt_actor me = { make_user(ctx, "mona", PW), CNT_ROLE_CUSTOMER };
	struct cnt_actor other = { make_user(ctx, "mona-other", PW),
	    CNT_ROLE_CUSTOMER };
	struct cnt_account acc;
	struct cnt_error err;

	assert_refused(cnt_account_update_profile(ctx, &other, me.account_id,
	    "stolen@example.com", NULL, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_account_update_profile(ctx, &me, me.account_id,
	    "not an email", NULL, &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "email");
	assert_refused(cnt_account_update_profile(ctx, &me, me.account_id,
	    NULL, "", &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "full_name");
	/* another account's address, in other case */
	assert_refused(cnt_account_update_profile(ctx, &me, me.account_id,
	    "MONA-OTHER@example.com", NULL, &err), &err, CNT_E_CONFLICT);
	assert_string_equal(err.field, "email");

	assert_ok(cnt_account_update_profile(ctx, &me, me.account_id,
	    " Mona@New.example ", "Mona Lisa", &err), &err);
	assert_ok(cnt_account_get(ctx, me.account_id, &acc, &err), &err);
	assert_string_equal(acc.email, "Mona@New.example");
	assert_string_equal(acc.full_name, "Mona Lisa");
	cnt_account_free(&acc);
	/* the same address in other case is still mine */
	assert_ok(cnt_account_update_profile(ctx, &me, me.account_id,
	    "mona@new.example", NULL, &err), &err);
	assert_ok(try_signin(ctx, "mona@NEW.example", PW, &err), &err);
	/* an admin may change anyone's; a missing account is not found */
	assert_ok(cnt_account_update_profile(ctx, &sys, me.account_id, NULL,
	    "Mona by Admin", &err), &err);
	assert_refused(cnt_account_update_profile(ctx, &sys, 987654, NULL,
	    "Nobody", &err), &err, CNT_E_NOTFOUND);
	assert_ok(cnt_account_get(ctx, me.account_id, &acc, &err), &err);
	assert_string_equal(acc.full_name, "Mona by Admin");
	assert_string_equal(acc.email, "mona@new.example");
	cnt_account_free(&acc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signup_and_signin),
		cmocka_unit_test(test_signup_duplicates),
		cmocka_unit_test(test_signup_invalid),
		cmocka_unit_test(test_signin_refusals_look_alike),
		cmocka_unit_test(test_signin_unknown_user_costs_a_hash),
		cmocka_unit_test(test_locked_account),
		cmocka_unit_test(test_roles_need_admin),
		cmocka_unit_test(test_last_admin_guard),
		cmocka_unit_test(test_last_admin_race),
		cmocka_unit_test(test_change_password),
		cmocka_unit_test(test_admin_password_reset),
		cmocka_unit_test(test_rehash_on_new_costs),
		cmocka_unit_test(test_list_accounts),
		cmocka_unit_test(test_update_profile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
