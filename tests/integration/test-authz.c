/*
 * test-authz.c - the authorization matrix: every core function that changes
 * something (and the reads that are not public) called by each role, with
 * fresh objects each time, against the designed allowed set.
 *
 * The roles, in the order of the expectation strings:
 *   g  a guest (account 0)
 *   o  the customer who owns the object (an account, a key, a hold, a
 *      booking) the call is about
 *   c  another customer
 *   s  staff
 *   a  an admin
 * An outcome is one letter: 'y' done (CNT_OK and the effect is there), 'F'
 * refused as FORBIDDEN, 'N' NOTFOUND (a customer looking at another's
 * booking must not learn it exists), 'n' CNT_OK but nothing happened, or
 * the first letter of another error kind. Every row is checked, and every
 * mismatch is reported before the test fails.
 *
 * Also here: sign-in gives an unknown login and a wrong password the same
 * answer in the same time (account enumeration, at the core).
 */
#include <sys/wait.h>

#include <libssh/libssh.h>

#include "test-booking.h"

enum { R_GUEST, R_OWNER, R_OTHER, R_STAFF, R_ADMIN, NROLES };

struct fx {
	struct cnt_ctx	*ctx;
	struct cnt_actor who[NROLES];
};

static struct fx fx;
static const struct cnt_actor sys = CNT_ACTOR_SYSTEM;

struct authz_case {
	const char     *name;
	const char     *want;		/* NROLES letters: g o c s a */
	char		(*run)(struct fx *, const struct cnt_actor *);
};

/* The outcome letter of RC and ERR. */
static char
outcome(int rc, const struct cnt_error *err)
{
	if (rc == CNT_OK)
		return 'y';
	switch (err->kind) {
	case CNT_E_FORBIDDEN:
		return 'F';
	case CNT_E_NOTFOUND:
		return 'N';
	case CNT_E_CONFLICT:
		return 'C';
	case CNT_E_INVALID:
		return 'I';
	case CNT_E_UNAVAILABLE:
		return 'U';
	default:
		return '!';
	}
}

/* A fresh customer account (the owner of what a case works on). */
static struct cnt_actor
fresh_customer(struct fx *f)
{
	return bk_account(f->ctx, "customer");
}

/* The actor a case runs as: ROLE's fixed account, except that the owner
 * is OWNER (a case's fresh customer). */
static int64_t
i64_of(struct fx *f, const char *sql, int64_t v)
{
	return bk_count(f->ctx, sql, v);
}

/* A hold of seat A1 on a fresh showtime for ACTOR; its id. */
static int64_t
hold_for(struct fx *f, const struct cnt_actor *actor, int64_t *show)
{
	struct cnt_hold	h;
	struct cnt_error err;
	int64_t		seat, id;

	*show = bk_show(f->ctx);
	seat = bk_seat(f->ctx, *show, "A1");
	memset(&h, 0, sizeof h);
	assert_ok(cnt_hold_seats(f->ctx, actor, *show, &seat, 1, &h, &err),
	    &err);
	id = h.hold_id;
	cnt_hold_free(&h);
	return id;
}

/* A confirmed booking of ACTOR (card) on a showtime starting at START_SQL. */
static int64_t
booking_for(struct fx *f, const struct cnt_actor *actor, const char *start,
    char code[8])
{
	struct cnt_hold	h;
	struct cnt_booking b;
	struct cnt_error err;
	int64_t		show, seat, id;

	show = bk_show_at(f->ctx, start, NULL);
	seat = bk_seat(f->ctx, show, "B2");
	memset(&h, 0, sizeof h);
	assert_ok(cnt_hold_seats(f->ctx, actor, show, &seat, 1, &h, &err),
	    &err);
	memset(&b, 0, sizeof b);
	assert_ok(cnt_booking_confirm(f->ctx, actor, h.hold_id, NULL, 0,
	    &bk_card_ok, &b, &err), &err);
	id = b.id;
	if (code != NULL)
		memcpy(code, b.code, 8);
	cnt_booking_free(&b);
	cnt_hold_free(&h);
	return id;
}

/* An authorized_keys line of a new ed25519 key. */
static char *
new_key_line(void)
{
	ssh_key	 key = NULL;
	char	*b64 = NULL, *line;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		fail_msg("cannot generate an ed25519 key");
	line = xasprintf("ssh-ed25519 %s authz@test", b64);
	ssh_string_free_char(b64);
	ssh_key_free(key);
	return line;
}

/* ------------------------------------------------------------------ */
/* Accounts and keys. "o" is the account the call is about.            */

/* The account a case is about: the owner's for R_OWNER, else a fresh
 * customer's. The actor is WHO unless WHO is the owner placeholder. */
static struct cnt_actor owner;

static char
c_profile(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	char	mail[64];

	snprintf(mail, sizeof mail, "p%lld@example.net",
	    (long long)owner.account_id);
	return outcome(cnt_account_update_profile(f->ctx, who,
	    owner.account_id, mail, "New Name", &err), &err);
}

static char
c_change_password(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	if (who->account_id != 0)
		assert_ok(cnt_account_set_password(f->ctx, &sys,
		    who->account_id, "old password 1", &err), &err);
	return outcome(cnt_account_change_password(f->ctx, who,
	    "old password 1", "new password 2", &err), &err);
}

static char
c_set_password(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_account_set_password(f->ctx, who,
	    owner.account_id, "reset password 3", &err), &err);
}

static char
c_set_role(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_account_set_role(f->ctx, who, owner.account_id,
	    CNT_ROLE_STAFF, &err), &err);
}

static char
c_set_locked(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_account_set_locked(f->ctx, who, owner.account_id,
	    true, &err), &err);
}

static char
c_create_account(struct fx *f, const struct cnt_actor *who)
{
	static int	 n;
	struct cnt_error err;
	char		 user[32], mail[64];
	struct cnt_signup su = { user, mail, "Made By Someone",
	    "a good password" };

	snprintf(user, sizeof user, "made%d", n);
	snprintf(mail, sizeof mail, "made%d@example.net", n++);
	return outcome(cnt_account_create(f->ctx, who, &su, CNT_ROLE_STAFF,
	    NULL, &err), &err);
}

static char
c_list_accounts(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_account *list = NULL;
	struct cnt_error err;
	size_t	n = 0;
	int	rc;

	rc = cnt_account_list(f->ctx, who, NULL, 0, 10, &list, &n, &err);
	cnt_accounts_free(list, n);
	return outcome(rc, &err);
}

static char
c_key_add(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	char	*line = new_key_line();
	int	 rc;

	rc = cnt_sshkey_add(f->ctx, who, owner.account_id, line, NULL, &err);
	free(line);
	return outcome(rc, &err);
}

static char
c_key_list(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_sshkey *keys = NULL;
	struct cnt_error err;
	size_t	n = 0;
	int	rc;

	rc = cnt_sshkey_list(f->ctx, who, owner.account_id, &keys, &n, &err);
	cnt_sshkeys_free(keys, n);
	return outcome(rc, &err);
}

static char
c_key_remove(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_sshkey key;
	struct cnt_error err;
	char	*line = new_key_line();
	int	 rc;

	assert_ok(cnt_sshkey_add(f->ctx, &owner, owner.account_id, line, &key,
	    &err), &err);
	free(line);
	rc = cnt_sshkey_remove(f->ctx, who, key.id, &err);
	if (rc == CNT_OK && i64_of(f, "SELECT count(*) FROM ssh_keys"
	    " WHERE id = $1", key.id) != 0)
		rc = 'n';
	cnt_sshkey_free(&key);
	return rc == 'n' ? 'n' : outcome(rc, &err);
}

/* ------------------------------------------------------------------ */
/* Catalogue, venue, schedule, prices: admin only.                     */

static int	serial;

static char
c_film_create(struct fx *f, const struct cnt_actor *who)
{
	char	title[32];
	struct cnt_film_input in = { .title = title, .runtime_min = 90 };
	struct cnt_error err;
	int64_t	id;

	snprintf(title, sizeof title, "Authz Film %d", serial++);
	return outcome(cnt_film_create(f->ctx, who, &in, &id, &err), &err);
}

static char
c_film_update(struct fx *f, const struct cnt_actor *who)
{
	char	title[32];
	struct cnt_film_input in = { .title = title, .runtime_min = 95 };
	struct cnt_error err;
	int64_t	id;

	snprintf(title, sizeof title, "Authz Film %d", serial++);
	id = mk_film(f->ctx, title, 90);
	return outcome(cnt_film_update(f->ctx, who, id, &in, &err), &err);
}

static char
c_film_delete(struct fx *f, const struct cnt_actor *who)
{
	char	title[32];
	struct cnt_error err;

	snprintf(title, sizeof title, "Authz Film %d", serial++);
	return outcome(cnt_film_delete(f->ctx, who, mk_film(f->ctx, title, 90),
	    &err), &err);
}

static char
c_theatre_create(struct fx *f, const struct cnt_actor *who)
{
	char	name[32];
	struct cnt_error err;
	int64_t	id;

	snprintf(name, sizeof name, "Authz Hall %d", serial++);
	return outcome(cnt_theatre_create(f->ctx, who, name, small_layout, &id,
	    &err), &err);
}

static int64_t
a_theatre(struct fx *f)
{
	char	name[32];

	snprintf(name, sizeof name, "Authz Hall %d", serial++);
	return mk_theatre(f->ctx, name, small_layout);
}

static char
c_theatre_layout(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_theatre_set_layout(f->ctx, who, a_theatre(f),
	    "SSSS\nSSSS\n", &err), &err);
}

static char
c_theatre_rename(struct fx *f, const struct cnt_actor *who)
{
	char	name[32];
	struct cnt_error err;
	int64_t	id = a_theatre(f);

	snprintf(name, sizeof name, "Authz Renamed %d", serial++);
	return outcome(cnt_theatre_rename(f->ctx, who, id, name, &err), &err);
}

static char
c_theatre_delete(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_theatre_delete(f->ctx, who, a_theatre(f), &err),
	    &err);
}

/* A showtime input 3 days ahead in a new theatre. */
static void
show_input(struct fx *f, struct cnt_showtime_input *in)
{
	char	title[32];

	snprintf(title, sizeof title, "Authz Film %d", serial++);
	in->film_id = mk_film(f->ctx, title, 90);
	in->theatre_id = a_theatre(f);
	in->starts_at = time(NULL) + 3 * 86400;
	in->base_price_cents = 900;
}

static char
c_show_create(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_showtime_input in;
	struct cnt_error err;
	int64_t	id;

	show_input(f, &in);
	return outcome(cnt_showtime_create(f->ctx, who, &in, &id, &err), &err);
}

static char
c_show_repeat(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_showtime_input in;
	struct cnt_error err;

	show_input(f, &in);
	return outcome(cnt_showtime_repeat(f->ctx, who, &in, 2, NULL, &err),
	    &err);
}

static char
c_show_update(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_showtime_input in;
	struct cnt_error err;
	int64_t	id;

	show_input(f, &in);
	assert_ok(cnt_showtime_create(f->ctx, &sys, &in, &id, &err), &err);
	in.base_price_cents = 1100;
	return outcome(cnt_showtime_update(f->ctx, who, id, &in, &err), &err);
}

static char
c_show_cancel(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	int	refunded;

	return outcome(cnt_showtime_cancel(f->ctx, who, bk_show(f->ctx),
	    &refunded, &err), &err);
}

static char
c_price_seat(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_price_rules r;
	struct cnt_error err;
	int	rc;

	memset(&r, 0, sizeof r);
	assert_ok(cnt_price_rules_get(f->ctx, &r, &err), &err);
	/* the same percent again: allowed calls change nothing for others */
	rc = cnt_price_set_seat_type(f->ctx, who, CNT_SEAT_PREMIUM,
	    r.seat_percent[CNT_SEAT_PREMIUM], &err);
	cnt_price_rules_free(&r);
	return outcome(rc, &err);
}

static char
c_price_ticket(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_price_set_ticket_type(f->ctx, who, "authz",
	    "Authz ticket", 90, false, &err), &err);
}

/* ------------------------------------------------------------------ */
/* Holds and bookings. "o" owns the hold or booking.                   */

static char
c_hold(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_hold	h;
	struct cnt_error err;
	int64_t		show = bk_show(f->ctx), seat;
	int		rc;

	seat = bk_seat(f->ctx, show, "C3");
	memset(&h, 0, sizeof h);
	rc = cnt_hold_seats(f->ctx, who, show, &seat, 1, &h, &err);
	cnt_hold_free(&h);
	return outcome(rc, &err);
}

static char
c_hold_release(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	int64_t		show, hold = hold_for(f, &owner, &show);
	int		rc;

	rc = cnt_hold_release(f->ctx, who, hold, &err);
	if (rc == CNT_OK && i64_of(f, "SELECT count(*) FROM showtime_seats"
	    " WHERE hold_id = $1 AND state = 'held'", hold) != 0)
		return 'n';
	return outcome(rc, &err);
}

static char
c_confirm(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	int64_t		show, hold = hold_for(f, &owner, &show);

	return outcome(cnt_booking_confirm(f->ctx, who, hold, NULL, 0,
	    &bk_card_ok, NULL, &err), &err);
}

static char
c_confirm_cash(struct fx *f, const struct cnt_actor *who)
{
	const struct cnt_payment_input cash = { CNT_PAY_CASH, { 0 }, 100000 };
	struct cnt_error err;
	int64_t		show, hold;

	if (who->account_id == 0)	/* a guest has no hold to pay */
		return outcome(cnt_booking_confirm(f->ctx, who, 1, NULL, 0,
		    &cash, NULL, &err), &err);
	hold = hold_for(f, who, &show);
	return outcome(cnt_booking_confirm(f->ctx, who, hold, NULL, 0, &cash,
	    NULL, &err), &err);
}

static char
c_walkup(struct fx *f, const struct cnt_actor *who)
{
	int64_t		show = bk_show(f->ctx), seat;
	struct cnt_walkup w;
	struct cnt_booking b;
	struct cnt_error err;
	int		rc;

	seat = bk_seat(f->ctx, show, "D4");
	memset(&w, 0, sizeof w);
	w.showtime_id = show;
	w.seat_ids = &seat;
	w.nseats = 1;
	w.customer_name = "Walk Up";
	w.pay.method = CNT_PAY_CASH;
	w.pay.cash_given_cents = 100000;
	memset(&b, 0, sizeof b);
	rc = cnt_walkup_sell(f->ctx, who, &w, &b, &err);
	cnt_booking_free(&b);
	return outcome(rc, &err);
}

static char
c_cancel(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	int64_t	id = booking_for(f, &owner, "now() + interval '2 days'", NULL);

	return outcome(cnt_booking_cancel(f->ctx, who, id, "authz", NULL,
	    &err), &err);
}

static char
c_checkin(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	char	code[8];

	booking_for(f, &owner, "now() + interval '10 minutes'", code);
	return outcome(cnt_checkin(f->ctx, who, code, NULL, 0, NULL, &err),
	    &err);
}

static char
c_no_show(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;
	int64_t	id, show;

	id = booking_for(f, &owner, "now() + interval '1 day'", NULL);
	show = i64_of(f, "SELECT showtime_id FROM bookings WHERE id = $1", id);
	bk_move(f->ctx, show, "now() - interval '30 minutes'");
	return outcome(cnt_booking_no_show(f->ctx, who, id, &err), &err);
}

static char
c_booking_get(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_booking b;
	struct cnt_error err;
	int64_t	id = booking_for(f, &owner, "now() + interval '2 days'", NULL);
	int	rc;

	memset(&b, 0, sizeof b);
	rc = cnt_booking_get(f->ctx, who, id, &b, &err);
	cnt_booking_free(&b);
	return outcome(rc, &err);
}

static char
c_booking_by_code(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_booking b;
	struct cnt_error err;
	char	code[8];
	int	rc;

	booking_for(f, &owner, "now() + interval '2 days'", code);
	memset(&b, 0, sizeof b);
	rc = cnt_booking_get_by_code(f->ctx, who, code, &b, &err);
	cnt_booking_free(&b);
	return outcome(rc, &err);
}

static char
c_bookings_mine(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_booking *list = NULL;
	struct cnt_error err;
	size_t	n = 0;
	int	rc;

	rc = cnt_bookings_mine(f->ctx, who, true, &list, &n, &err);
	cnt_bookings_free(list, n);
	return outcome(rc, &err);
}

static char
c_bookings_lookup(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_booking *list = NULL;
	struct cnt_error err;
	size_t	n = 0;
	int	rc;

	rc = cnt_bookings_lookup(f->ctx, who, "Person", &list, &n, &err);
	cnt_bookings_free(list, n);
	return outcome(rc, &err);
}

static char
c_bookings_list(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_booking_filter flt;
	struct cnt_booking *list = NULL;
	struct cnt_error err;
	size_t	n = 0, total;
	int	rc;

	memset(&flt, 0, sizeof flt);
	rc = cnt_bookings_list(f->ctx, who, &flt, &list, &n, &total, &err);
	cnt_bookings_free(list, n);
	return outcome(rc, &err);
}

/* ------------------------------------------------------------------ */
/* Reports, shift, status, jobs.                                        */

static char
c_report(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_report r;
	struct cnt_error err;
	int	rc;

	memset(&r, 0, sizeof r);
	rc = cnt_report_run(f->ctx, who, CNT_REPORT_BY_FILM, "2026-01-01",
	    "2026-12-31", &r, &err);
	cnt_report_free(&r);
	return outcome(rc, &err);
}

static char
c_shift(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_shift s;
	struct cnt_error err;

	return outcome(cnt_shift_summary(f->ctx, who, time(NULL) - 3600, &s,
	    &err), &err);
}

static char
c_status(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_status s;
	struct cnt_error err;
	int	rc;

	memset(&s, 0, sizeof s);
	rc = cnt_status_get(f->ctx, who, &s, &err);
	cnt_status_free(&s);
	return outcome(rc, &err);
}

static char
c_jobs_status(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_jobs_status s;
	struct cnt_error err;

	return outcome(cnt_jobs_status(f->ctx, who, &s, &err), &err);
}

static char
c_jobs_list(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_job	*jobs = NULL;
	struct cnt_error err;
	size_t	n = 0;
	int	rc;

	rc = cnt_jobs_list(f->ctx, who, CNT_JOB_DEAD, 10, &jobs, &n, &err);
	cnt_jobs_free(jobs, n);
	return outcome(rc, &err);
}

/* Retry and drop of a job that does not exist: NOTFOUND when allowed. */
static char
c_jobs_retry(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_jobs_retry(f->ctx, who, "mail:999999", &err), &err);
}

static char
c_jobs_drop(struct fx *f, const struct cnt_actor *who)
{
	struct cnt_error err;

	return outcome(cnt_jobs_drop(f->ctx, who, "mail:999999", &err), &err);
}

/*
 * The designed matrix (g o c s a). "o" and "c" differ where an object has
 * an owner; for calls about no one's object they are two customers.
 */
static const struct authz_case cases[] = {
	{ "account_update_profile",	"FyFFy", c_profile },
	{ "account_change_password",	"Fyyyy", c_change_password },
	{ "account_set_password",	"FFFFy", c_set_password },
	{ "account_set_role",		"FFFFy", c_set_role },
	{ "account_set_locked",		"FFFFy", c_set_locked },
	{ "account_create",		"FFFFy", c_create_account },
	{ "account_list",		"FFFyy", c_list_accounts },
	{ "sshkey_add",			"FyFFy", c_key_add },
	{ "sshkey_list",		"FyFFy", c_key_list },
	{ "sshkey_remove",		"FyFFy", c_key_remove },
	{ "film_create",		"FFFFy", c_film_create },
	{ "film_update",		"FFFFy", c_film_update },
	{ "film_delete",		"FFFFy", c_film_delete },
	{ "theatre_create",		"FFFFy", c_theatre_create },
	{ "theatre_set_layout",		"FFFFy", c_theatre_layout },
	{ "theatre_rename",		"FFFFy", c_theatre_rename },
	{ "theatre_delete",		"FFFFy", c_theatre_delete },
	{ "showtime_create",		"FFFFy", c_show_create },
	{ "showtime_repeat",		"FFFFy", c_show_repeat },
	{ "showtime_update",		"FFFFy", c_show_update },
	{ "showtime_cancel",		"FFFFy", c_show_cancel },
	{ "price_set_seat_type",	"FFFFy", c_price_seat },
	{ "price_set_ticket_type",	"FFFFy", c_price_ticket },
	{ "hold_seats",			"Fyyyy", c_hold },
	/* another customer's release is a no-op, as for a hold already gone:
	 * it must not free the seats nor tell whether the hold exists */
	{ "hold_release",		"Fynyy", c_hold_release },
	{ "booking_confirm (o's hold)",	"FyCCC", c_confirm },
	{ "booking_confirm cash (own)",	"FFFyy", c_confirm_cash },
	{ "walkup_sell",		"FFFyy", c_walkup },
	{ "booking_cancel",		"FyNyy", c_cancel },
	{ "checkin",			"FFFyy", c_checkin },
	{ "booking_no_show",		"FFFyy", c_no_show },
	{ "booking_get",		"FyNyy", c_booking_get },
	{ "booking_get_by_code",	"FyNyy", c_booking_by_code },
	{ "bookings_mine",		"Fyyyy", c_bookings_mine },
	{ "bookings_lookup",		"FFFyy", c_bookings_lookup },
	{ "bookings_list",		"FFFFy", c_bookings_list },
	{ "report_run",			"FFFFy", c_report },
	{ "shift_summary",		"FFFyy", c_shift },
	{ "status_get",			"FFFFy", c_status },
	{ "jobs_status",		"FFFFy", c_jobs_status },
	{ "jobs_list",			"FFFFy", c_jobs_list },
	{ "jobs_retry",			"FFFFN", c_jobs_retry },
	{ "jobs_drop",			"FFFFN", c_jobs_drop },
};

/* Run every case for every role; report all mismatches, then fail. */
static void
test_matrix(void **state)
{
	const char *const roles = "gocsa";
	char	got[NROLES + 1], *report = xstrdup("");
	size_t	i;
	int	r, bad = 0;
	char   *next;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (r = 0; r < NROLES; r++) {
			/* a fresh owner per call: no case sees another's
			 * leftovers (a locked account, a changed role) */
			owner = fresh_customer(&fx);
			fx.who[R_OWNER] = owner;
			fx.who[R_OTHER] = fresh_customer(&fx);
			fx.who[R_STAFF] = bk_account(fx.ctx, "staff");
			fx.who[R_ADMIN] = bk_account(fx.ctx, "admin");
			got[r] = cases[i].run(&fx, &fx.who[r]);
		}
		got[NROLES] = '\0';
		print_message("  %-28s want %s got %s%s\n", cases[i].name,
		    cases[i].want, got, strcmp(got, cases[i].want) == 0 ?
		    "" : "  <-- differs");
		if (strcmp(got, cases[i].want) != 0) {
			bad++;
			next = xasprintf("%s\n%s: want %s (%s) got %s", report,
			    cases[i].name, cases[i].want, roles, got);
			free(report);
			report = next;
		}
	}
	if (bad > 0)
		fail_msg("%d functions do not match the designed permissions"
		    " (y done, F forbidden, N not found, n no effect):%s",
		    bad, report);
	free(report);
}

/* Milliseconds of one sign-in of LOGIN with PASSWORD; its error in ERR. */
static double
signin_ms(struct cnt_ctx *ctx, const char *login, const char *password,
    struct cnt_error *err)
{
	struct cnt_account acc;
	struct timespec	a, b;

	memset(&acc, 0, sizeof acc);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (cnt_account_signin(ctx, login, password, "192.0.2.99", &acc,
	    err) == CNT_OK)
		fail_msg("expected %s with a wrong password to be refused",
		    login);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of N values (sorts them). */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof v[0], cmp_double);
	return v[n / 2];
}

/*
 * Account enumeration at the core: with production argon2 costs, an
 * unknown login and a wrong password take the same time (medians within
 * 1.5x: the defect it guards against was 2x) and give the same error.
 * cinettyd checks one sign-in per forked connection process, so the
 * first unknown login of a fresh process is measured too, in five forked
 * children (it once hashed a dummy first: twice the work).
 */
static void
test_signin_enumeration(void **state)
{
	struct cnt_config cfg;
	struct cnt_ctx	*ctx;
	struct cnt_error e1, e2;
	struct cnt_signup su = { "enumtest", "enumtest@example.org",
	    "Enum Test", "the right password" };
	const struct cnt_actor sysact = CNT_ACTOR_SYSTEM;
	double		known[7], unknown[7], first[5], firstk[5], pair[2];
	double		mk, mu, fu, fk;
	bool		slow = getenv("CINETTY_TEST_VALGRIND") != NULL;
	char		login[32];
	int		i, fds[2], status;
	pid_t		pid;

	(void)state;
	test_config(&cfg);
	cfg.argon2_m_kib = 19456;
	cfg.argon2_t_cost = 2;
	cfg.login_max_failures = 1000;
	ctx = cnt_ctx_new(&cfg);
	assert_ok(cnt_account_create(ctx, &sysact, &su, CNT_ROLE_CUSTOMER, NULL,
	    &e1), &e1);
	cnt_ctx_free(ctx);

	/* the first sign-in checks of fresh processes */
	for (i = 0; i < 5; i++) {
		assert_int_equal(pipe(fds), 0);
		if ((pid = fork()) == 0) {
			struct cnt_ctx *c = cnt_ctx_new(&cfg);

			close(fds[0]);
			/* connections warm up on a known login */
			(void)signin_ms(c, "enumtest", "a wrong password", &e1);
			snprintf(login, sizeof login, "first%d", i);
			pair[0] = signin_ms(c, login, "a wrong password", &e2);
			pair[1] = signin_ms(c, "enumtest", "a wrong password",
			    &e1);
			if (write(fds[1], pair, sizeof pair) != sizeof pair)
				_exit(1);
			cnt_ctx_free(c);
			_exit(0);
		}
		close(fds[1]);
		if (read(fds[0], pair, sizeof pair) != sizeof pair)
			fail_msg("a child measuring sign-in failed");
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		first[i] = pair[0];
		firstk[i] = pair[1];
	}
	fu = median(first, 5);
	fk = median(firstk, 5);

	ctx = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	for (i = 0; i < 7; i++) {
		snprintf(login, sizeof login, "nosuch%d", i);
		unknown[i] = signin_ms(ctx, login, "a wrong password", &e2);
		known[i] = signin_ms(ctx, "enumtest", "a wrong password", &e1);
		if (e1.kind != e2.kind || strcmp(e1.msg, e2.msg) != 0 ||
		    strcmp(e1.field, e2.field) != 0)
			fail_msg("expected the same answer, got \"%s\" (%s) for"
			    " a wrong password and \"%s\" (%s) for an unknown"
			    " user", e1.msg, e1.field, e2.msg, e2.field);
	}
	cnt_ctx_free(ctx);
	mk = median(known, 7);
	mu = median(unknown, 7);
	print_message("  sign-in medians: wrong password %.1f ms, unknown"
	    " user %.1f ms; first in a process %.1f ms vs %.1f ms\n", mk, mu,
	    fk, fu);
	if (slow)
		return;		/* valgrind: no meaningful times */
	/* The oracle this guards against doubled the work of an unknown
	 * login; within 1.5x is noise on a loaded 2-core machine (a full
	 * run once measured 212 vs 267 ms). */
	if (mu > mk * 1.5 + 2 || mk > mu * 1.5 + 2)
		fail_msg("expected the same time, got %.1f ms (wrong password)"
		    " vs %.1f ms (unknown user)", mk, mu);
	if (fu > fk * 1.5 + 5)
		fail_msg("expected the first unknown login of a process to take"
		    " what a wrong password takes, got %.1f ms vs %.1f ms", fu,
		    fk);
}

static int
setup(void **state)
{
	(void)state;
	cnt_log_init(CNT_LOG_WARN, NULL);
	fx.ctx = test_ctx();
	fx.who[R_GUEST].account_id = 0;
	fx.who[R_GUEST].role = CNT_ROLE_GUEST;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(fx.ctx);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_signin_enumeration),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
