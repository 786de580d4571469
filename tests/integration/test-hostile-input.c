/*
 * test-hostile-input.c - every core function a form's text reaches, given
 * hostile text: SQL metacharacters, control characters (C0, DEL, an escape
 * sequence, C1), invalid UTF-8 (bad bytes, an overlong form, a surrogate,
 * a cut sequence), right-to-left and combining characters, 10 KB. Text
 * that is stored is refused with a message on its field (CNT_E_INVALID) or
 * stored exactly; a search may find nothing; no raw database error (an
 * SQLSTATE) ever reaches the caller, and the tables survive.
 */
#include "test-booking.h"

static struct cnt_ctx *ctx;
static struct cnt_actor clerk, boss, cust;
static int64_t show;
static int serial;
static char big[10 * 1024 + 1];

/* What a value is, and so what a stored text field must do with it. */
enum kind { KEEP, LINE, BAD, HUGE };

static const struct hostile {
	const char     *name;
	const char     *v;		/* NULL: 10 KB of 'x' */
	enum kind	kind;
} values[] = {
	{ "SQL", "x'); DROP TABLE accounts;--", KEEP },
	{ "RTL+combining", "\xe2\x80\xae\xd9\x85\xd8\xb1 e\xcc\x81\xcc\x81",
	    KEEP },
	{ "newline", "a\nb", LINE },
	{ "tab", "a\tb", LINE },
	{ "ESC sequence", "a\x1b[31mb", BAD },
	{ "C0 SOH", "a\x01" "b", BAD },
	{ "DEL", "a\x7f" "b", BAD },
	{ "C1 CSI", "a\xc2\x9b" "b", BAD },
	{ "C1 NEL", "a\xc2\x85" "b", BAD },
	{ "bytes ff fe", "a\xff\xfe" "b", BAD },
	{ "overlong /", "a\xc0\xaf" "b", BAD },
	{ "surrogate", "a\xed\xa0\x80" "b", BAD },
	{ "cut sequence", "a\xe2\x82", BAD },
	{ "10 KB", NULL, HUGE },
};
#define NVALUES (sizeof values / sizeof values[0])

/* Where a function's text goes. */
enum use {
	STORED,		/* kept as given: KEEP stored exactly, the rest refused */
	STORED_LINES,	/* the same, newlines and tabs allowed */
	FORMAT,		/* a strict format (email, code, layout): refused */
	SEARCH,		/* looked up: found or not, or refused on a field */
	SIGNIN,		/* always "wrong username or password" */
	CLEANED,	/* bad characters dropped (an SSH key's comment) */
};

/*
 * One entry point: CALL gives V to core; CHECK (STORED only) reads what
 * was stored back for exact comparison (allocated, or NULL if none).
 */
struct entry {
	const char     *name;
	enum use	use;
	int		(*call)(const char *, struct cnt_error *);
	const char     *stored_sql;	/* $1: the value; counts matches */
};

static const char *
value(const struct hostile *h)
{
	return h->v != NULL ? h->v : big;
}

static int
e_full_name(const char *v, struct cnt_error *err)
{
	char		u[32], m[64];
	struct cnt_account acc;
	struct cnt_signup in;
	int		rc;

	snprintf(u, sizeof u, "hostile%d", serial++);
	snprintf(m, sizeof m, "%s@example.org", u);
	in = (struct cnt_signup){ u, m, v, "long enough password" };
	if ((rc = cnt_account_signup(ctx, &in, &acc, err)) == CNT_OK)
		cnt_account_free(&acc);
	return rc;
}

static int
e_email(const char *v, struct cnt_error *err)
{
	char		u[32];
	struct cnt_account acc;
	struct cnt_signup in;
	int		rc;

	snprintf(u, sizeof u, "hostile%d", serial++);
	in = (struct cnt_signup){ u, v, "A Name", "long enough password" };
	if ((rc = cnt_account_signup(ctx, &in, &acc, err)) == CNT_OK)
		cnt_account_free(&acc);
	return rc;
}

static int
e_signin(const char *v, struct cnt_error *err)
{
	char		peer[32];
	struct cnt_account acc;
	int		rc;

	/* A peer each, so the throttle does not answer instead. */
	snprintf(peer, sizeof peer, "peer%d", serial++);
	if ((rc = cnt_account_signin(ctx, v, "whatever password", peer, &acc,
	    err)) == CNT_OK)
		cnt_account_free(&acc);
	return rc;
}

static int
e_title(const char *v, struct cnt_error *err)
{
	struct cnt_film_input in = { .title = v, .runtime_min = 90,
	    .rating = "PG" };
	int64_t		id;

	return cnt_film_create(ctx, &admin, &in, &id, err);
}

static int
e_description(const char *v, struct cnt_error *err)
{
	char		t[32];
	struct cnt_film_input in = { .title = t, .description = v,
	    .runtime_min = 90, .rating = "PG" };
	int64_t		id;

	snprintf(t, sizeof t, "Described %d", serial++);
	return cnt_film_create(ctx, &admin, &in, &id, err);
}

static int
e_genre(const char *v, struct cnt_error *err)
{
	char		t[32];
	const char     *g[1] = { v };
	struct cnt_film_input in = { .title = t, .runtime_min = 90,
	    .rating = "PG", .genres = g, .ngenres = 1 };
	int64_t		id;

	snprintf(t, sizeof t, "Genred %d", serial++);
	return cnt_film_create(ctx, &admin, &in, &id, err);
}

static int
e_poster(const char *v, struct cnt_error *err)
{
	char		t[32], *url = xasprintf("https://example.org/%s", v);
	struct cnt_film_input in = { .title = t, .runtime_min = 90,
	    .rating = "PG", .poster_url = url };
	int64_t		id;
	int		rc;

	snprintf(t, sizeof t, "Postered %d", serial++);
	rc = cnt_film_create(ctx, &admin, &in, &id, err);
	free(url);
	return rc;
}

static int
e_film_by_title(const char *v, struct cnt_error *err)
{
	struct cnt_film	f;
	int		rc;

	if ((rc = cnt_film_by_title(ctx, v, &f, err)) == CNT_OK)
		cnt_film_free(&f);
	return rc;
}

static int
e_film_list(const char *v, struct cnt_error *err)
{
	struct cnt_film *f;
	size_t		n;
	int		rc;

	if ((rc = cnt_film_list(ctx, v, &f, &n, err)) == CNT_OK)
		cnt_films_free(f, n);
	return rc;
}

static int
e_theatre(const char *v, struct cnt_error *err)
{
	int64_t		id;

	return cnt_theatre_create(ctx, &admin, v, small_layout, &id, err);
}

static int
e_theatre_rename(const char *v, struct cnt_error *err)
{
	char		t[32];
	int64_t		id;

	/* The theatre test made one of that name already. */
	PQclear(cnt_db_exec(ctx, NULL, "DELETE FROM theatres WHERE name = $1",
	    1, &v));	/* fails for invalid UTF-8: nothing to delete */
	snprintf(t, sizeof t, "Renamed %d", serial++);
	id = mk_theatre(ctx, t, small_layout);
	return cnt_theatre_rename(ctx, &admin, id, v, err);
}

static int
e_layout(const char *v, struct cnt_error *err)
{
	char		t[32];
	int64_t		id;

	snprintf(t, sizeof t, "Laid out %d", serial++);
	return cnt_theatre_create(ctx, &admin, t, v, &id, err);
}

static int
e_theatre_by_name(const char *v, struct cnt_error *err)
{
	struct cnt_theatre t;
	int		rc;

	if ((rc = cnt_theatre_by_name(ctx, v, &t, err)) == CNT_OK)
		cnt_theatre_free(&t);
	return rc;
}

static int
e_ticket_code(const char *v, struct cnt_error *err)
{
	return cnt_price_set_ticket_type(ctx, &boss, v, "Label", 80, true,
	    err);
}

static int
e_ticket_label(const char *v, struct cnt_error *err)
{
	char	c[8];
	int	k = serial++;

	snprintf(c, sizeof c, "tt%c%c", 'a' + k / 26 % 26, 'a' + k % 26);
	return cnt_price_set_ticket_type(ctx, &boss, c, v, 80, true, err);
}

static int
e_walkup_name(const char *v, struct cnt_error *err)
{
	static int	 next;
	char		 label[8];
	int64_t		 seat;
	struct cnt_walkup w;
	struct cnt_booking bk;
	int		 rc;

	/* bk_layout: rows A-E of 8 seats; a seat per sale. */
	snprintf(label, sizeof label, "%c%d", 'A' + next / 8 % 4,
	    next % 8 + 1);
	next++;
	seat = bk_seat(ctx, show, label);
	memset(&w, 0, sizeof w);
	w.showtime_id = show;
	w.seat_ids = &seat;
	w.nseats = 1;
	w.customer_name = v;
	w.pay.method = CNT_PAY_CASH;
	w.pay.cash_given_cents = 5000;
	if ((rc = cnt_walkup_sell(ctx, &clerk, &w, &bk, err)) == CNT_OK)
		cnt_booking_free(&bk);
	return rc;
}

static int
e_lookup(const char *v, struct cnt_error *err)
{
	struct cnt_booking *b;
	size_t		n;
	int		rc;

	if ((rc = cnt_bookings_lookup(ctx, &clerk, v, &b, &n, err)) ==
	    CNT_OK)
		cnt_bookings_free(b, n);
	return rc;
}

static int
e_checkin(const char *v, struct cnt_error *err)
{
	struct cnt_booking b;
	int		rc;

	if ((rc = cnt_checkin(ctx, &clerk, v, NULL, 0, &b, err)) == CNT_OK)
		cnt_booking_free(&b);
	return rc;
}

static int
e_account_list(const char *v, struct cnt_error *err)
{
	struct cnt_account *a;
	size_t		n;
	int		rc;

	if ((rc = cnt_account_list(ctx, &boss, v, 0, 10, &a, &n, err)) ==
	    CNT_OK)
		cnt_accounts_free(a, n);
	return rc;
}

static int
e_sshkey_comment(const char *v, struct cnt_error *err)
{
	struct cnt_sshkey k;
	char	       *line;
	int		rc;

	/* The same key each time: removed again after a success. */
	PQclear(sqlv(ctx, "DELETE FROM ssh_keys", 0, NULL));
	line = xasprintf("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9mZ8hW1lGWAzD1"
	    "Mj4f6S0xkFNG7WlW1c7ZQ4n3r2aB %s", v);
	rc = cnt_sshkey_add(ctx, &cust, cust.account_id, line, &k, err);
	free(line);
	if (rc == CNT_OK)
		cnt_sshkey_free(&k);
	return rc;
}

static int
e_cancel_reason(const char *v, struct cnt_error *err)
{
	/* No such booking: the reason is checked before the lookup. */
	return cnt_booking_cancel(ctx, &clerk, 999999999, v, NULL, err);
}

static const struct entry entries[] = {
	{ "sign-up full name", STORED, e_full_name,
	    "SELECT count(*) FROM accounts WHERE full_name = $1" },
	{ "sign-up email", FORMAT, e_email, NULL },
	{ "sign-in login", SIGNIN, e_signin, NULL },
	{ "film title", STORED, e_title,
	    "SELECT count(*) FROM movies WHERE title = $1" },
	{ "film description", STORED_LINES, e_description,
	    "SELECT count(*) FROM movies WHERE description = $1" },
	{ "film genre", STORED, e_genre,
	    "SELECT count(*) FROM genres WHERE name = $1" },
	{ "film poster URL", FORMAT, e_poster, NULL },
	{ "film by title", SEARCH, e_film_by_title, NULL },
	{ "film search", SEARCH, e_film_list, NULL },
	{ "theatre name", STORED, e_theatre,
	    "SELECT count(*) FROM theatres WHERE name = $1" },
	{ "theatre rename", STORED, e_theatre_rename,
	    "SELECT count(*) FROM theatres WHERE name = $1" },
	{ "seat layout", FORMAT, e_layout, NULL },
	{ "theatre by name", SEARCH, e_theatre_by_name, NULL },
	{ "ticket type code", FORMAT, e_ticket_code, NULL },
	{ "ticket type label", STORED, e_ticket_label,
	    "SELECT count(*) FROM ticket_types WHERE label = $1" },
	{ "walk-up customer name", STORED, e_walkup_name,
	    "SELECT count(*) FROM bookings WHERE customer_name = $1" },
	{ "booking lookup", SEARCH, e_lookup, NULL },
	{ "check-in code", FORMAT, e_checkin, NULL },
	{ "account search", SEARCH, e_account_list, NULL },
	{ "SSH key comment", CLEANED, e_sshkey_comment, NULL },
	{ "cancel reason", SEARCH, e_cancel_reason, NULL },
};
#define NENTRIES (sizeof entries / sizeof entries[0])

/* Rows of SQL (one count) with text parameter V. */
static int64_t
count_of(const char *sql, const char *v)
{
	return sql_i64(ctx, sql, v, NULL, NULL);
}

/*
 * What ENTRY must do with H, given it answered RC and ERR. Returns a
 * description of what went wrong, or NULL.
 */
static const char *
judge(const struct entry *e, const struct hostile *h, int rc,
    const struct cnt_error *err)
{
	bool	refusable = h->kind == BAD || h->kind == HUGE ||
		    (h->kind == LINE && e->use == STORED);

	/* Core's own SQL errors (CNxxx) and unique violations (23xxx) come
	 * with core's own messages; any other SQLSTATE is PostgreSQL's. */
	if (rc != CNT_OK && err->sqlstate[0] != '\0' &&
	    strncmp(err->sqlstate, "23", 2) != 0 &&
	    strncmp(err->sqlstate, "CN", 2) != 0)
		return "a raw database error reached the caller";
	if (rc != CNT_OK && err->kind == CNT_E_INTERNAL)
		return "an internal error";
	if (rc != CNT_OK && err->kind == CNT_E_INVALID && err->field[0] == '\0')
		return "refused on no field";
	switch (e->use) {
	case STORED:
	case STORED_LINES:
		if (refusable)
			return rc != CNT_OK && err->kind == CNT_E_INVALID ?
			    NULL : "accepted (it must be refused)";
		if (rc != CNT_OK)
			return "refused (it must be stored)";
		return count_of(e->stored_sql, value(h)) >= 1 ? NULL :
		    "not stored exactly as given";
	case FORMAT:
		return rc != CNT_OK && err->kind == CNT_E_INVALID ? NULL :
		    "accepted (it must be refused)";
	case SEARCH:
		return rc == CNT_OK || err->kind == CNT_E_NOTFOUND ||
		    err->kind == CNT_E_INVALID ? NULL : "an unexpected error";
	case SIGNIN:
		return rc != CNT_OK && err->kind == CNT_E_FORBIDDEN &&
		    strstr(err->msg, "Wrong username or password") != NULL ?
		    NULL : "not the usual sign-in refusal";
	case CLEANED:
		if (rc != CNT_OK)
			return h->kind != KEEP && err->kind == CNT_E_INVALID ?
			    NULL : "refused (it must be cleaned and stored)";
		return count_of("SELECT count(*) FROM ssh_keys WHERE comment"
		    " ~ $1", "[[:cntrl:]\\u0080-\\u009f]") == 0 ? NULL :
		    "a control character was stored";
	}
	return NULL;
}

/* Every entry point gets every hostile value. */
static void
test_every_entry_every_value(void **state)
{
	struct cnt_error err;
	const char     *why;
	size_t		i, j;
	int		rc, failed = 0, tried = 0;

	(void)state;
	for (i = 0; i < NENTRIES; i++)
		for (j = 0; j < NVALUES; j++) {
			memset(&err, 0, sizeof err);
			rc = entries[i].call(value(&values[j]), &err);
			tried++;
			why = judge(&entries[i], &values[j], rc, &err);
			if (why == NULL)
				continue;
			failed++;
			print_error("%s, %s: %s (rc %d, %s on \"%s\": %.120s)\n",
			    entries[i].name, values[j].name, why, rc,
			    rc != CNT_OK ? cnt_errkind_name(err.kind) : "ok",
			    err.field, rc != CNT_OK ? err.msg : "");
		}
	printf("# tried: %zu core entry points, %zu values, %d calls\n",
	    NENTRIES, NVALUES, tried);
	if (failed > 0)
		fail_msg("%d of %d calls mishandled hostile text", failed,
		    tried);
}

/* After all that, the tables are all there and hold what they should. */
static void
test_tables_intact(void **state)
{
	(void)state;
	assert_int_equal(count_of("SELECT count(*) FROM pg_tables WHERE"
	    " schemaname = 'public' AND tablename = ANY (string_to_array($1,"
	    " ','))", "accounts,movies,genres,theatres,ticket_types,bookings,"
	    "ssh_keys,showtimes"), 8);
	assert_true(count_of("SELECT count(*) FROM accounts WHERE"
	    " username LIKE $1", "hostile%") >= 2);
	assert_int_equal(count_of("SELECT (SELECT count(*) FROM accounts"
	    " WHERE full_name ~ $1) + (SELECT count(*) FROM movies WHERE"
	    " title ~ $1 OR description ~ '[\\x01-\\x08\\x0b-\\x1f\\x7f]')"
	    " + (SELECT count(*) FROM genres WHERE name ~ $1) + (SELECT"
	    " count(*) FROM theatres WHERE name ~ $1) + (SELECT count(*) FROM"
	    " ticket_types WHERE label ~ $1) + (SELECT count(*) FROM bookings"
	    " WHERE customer_name ~ $1)", "[[:cntrl:]\\u0080-\\u009f]"), 0);
}

static int
setup(void **state)
{
	(void)state;
	ctx = test_ctx();
	memset(big, 'x', sizeof big - 1);
	clerk = bk_account(ctx, "staff");
	boss = bk_account(ctx, "admin");
	cust = bk_account(ctx, "customer");
	show = bk_show(ctx);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(ctx);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry_every_value),
		cmocka_unit_test(test_tables_intact),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
