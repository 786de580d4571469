/*
 * test-booking-after.c - what happens to a booking after it is paid:
 * cancel and refund, check-in, no-show, lookups, showtime cancel and
 * completion, on a real PostgreSQL.
 */
#include <ctype.h>

#include "test-booking.h"

static struct cnt_ctx *ctx;

static int
setup(void **state)
{
	(void)state;
	ctx = test_ctx();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(ctx);
	return 0;
}

/* Hold LABELS (space separated) of SHOW for WHO and pay by card. */
static void
book(int64_t show, const struct cnt_actor *who, const char *labels,
    struct cnt_booking *out)
{
	struct cnt_hold	 h;
	struct cnt_error err;
	int64_t		 ids[10];
	size_t		 n = 0;
	char		*copy = xstrdup(labels), *tok, *save = NULL;

	for (tok = strtok_r(copy, " ", &save); tok != NULL && n < 10;
	    tok = strtok_r(NULL, " ", &save))
		ids[n++] = bk_seat(ctx, show, tok);
	free(copy);
	assert_ok(cnt_hold_seats(ctx, who, show, ids, n, &h, &err), &err);
	assert_ok(cnt_booking_confirm(ctx, who, h.hold_id, NULL, 0,
	    &bk_card_ok, out, &err), &err);
	cnt_hold_free(&h);
}

/* A customer cancels their own upcoming booking: refund, seats free. */
static void
test_cancel_own(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	struct cnt_booking bk, after;
	struct cnt_hold	 h;
	struct cnt_error err;
	int64_t		 seat = bk_seat(ctx, show, "A1");

	(void)state;
	book(show, &alice, "A1 A2", &bk);
	assert_refused(cnt_booking_cancel(ctx, &bob, bk.id, NULL, NULL, &err),
	    &err, CNT_E_NOTFOUND);
	assert_ok(cnt_booking_cancel(ctx, &alice, bk.id, "plans changed",
	    &after, &err), &err);
	assert_int_equal(after.status, CNT_BOOKING_REFUNDED);
	assert_true(after.canceled_at != 0);
	assert_string_equal(after.pay_status, "refunded");
	assert_int_equal(after.refunded_cents, bk.total_cents);
	assert_string_equal(after.tickets[0].status, "refunded");
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM refunds"
	    " WHERE booking_id = $1", bk.id), 1);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE booking_id = $1 AND kind = 'cancellation'", bk.id), 1);
	/* The seats are free at once: bob can have them. */
	assert_ok(cnt_hold_seats(ctx, &bob, show, &seat, 1, &h, &err), &err);
	cnt_hold_free(&h);
	/* A second cancel says so. */
	assert_refused(cnt_booking_cancel(ctx, &alice, bk.id, NULL, NULL,
	    &err), &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "canceled already");
	cnt_booking_free(&bk);
	cnt_booking_free(&after);
}

/* Customers cannot cancel inside the cutoff; staff can until the start;
 * nobody after the start. */
static void
test_cancel_cutoff(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	struct cnt_actor bob = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	struct cnt_booking b1, b2;
	struct cnt_error err;

	(void)state;
	book(show, &alice, "B1", &b1);
	book(show, &bob, "B2", &b2);
	bk_move(ctx, show, "now() + interval '30 minutes'");
	assert_refused(cnt_booking_cancel(ctx, &alice, b1.id, NULL, NULL,
	    &err), &err, CNT_E_FORBIDDEN);
	assert_contains(err.msg, "60 minutes");
	assert_ok(cnt_booking_cancel(ctx, &clerk, b1.id, "at the counter",
	    NULL, &err), &err);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM refunds"
	    " WHERE booking_id = $1 AND refunded_by IS NOT NULL", b1.id), 1);
	bk_move(ctx, show, "now() - interval '5 minutes'");
	assert_refused(cnt_booking_cancel(ctx, &clerk, b2.id, NULL, NULL,
	    &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "started");
	cnt_booking_free(&b1);
	cnt_booking_free(&b2);
}

/* Check-in: staff only, inside the window, once per ticket. */
static void
test_checkin(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	int64_t		 show = bk_show(ctx);
	struct cnt_booking bk, after;
	struct cnt_error err;
	int64_t		 one;
	char		 lower[8];
	size_t		 i;

	(void)state;
	book(show, &alice, "C1 C2 C3", &bk);
	assert_refused(cnt_checkin(ctx, &alice, bk.code, NULL, 0, NULL, &err),
	    &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_checkin(ctx, &clerk, bk.code, NULL, 0, NULL, &err),
	    &err, CNT_E_INVALID);
	assert_contains(err.msg, "Check-in opens at");
	assert_refused(cnt_checkin(ctx, &clerk, "nonsense", NULL, 0, NULL,
	    &err), &err, CNT_E_INVALID);
	assert_refused(cnt_checkin(ctx, &clerk, "AAA-AAA", NULL, 0, NULL,
	    &err), &err, CNT_E_NOTFOUND);

	bk_move(ctx, show, "now() + interval '20 minutes'");
	/* One ticket first, typed in lower case without the dash. */
	one = bk.tickets[0].id;
	for (i = 0; i < 7; i++)
		lower[i] = (char)tolower((unsigned char)bk.code[i]);
	lower[7] = '\0';
	memmove(lower + 3, lower + 4, 4);
	assert_ok(cnt_checkin(ctx, &clerk, lower, &one, 1, &after, &err),
	    &err);
	assert_true(after.tickets[0].checked_in_at != 0);
	assert_int_equal(after.tickets[1].checked_in_at, 0);
	cnt_booking_free(&after);
	assert_refused(cnt_checkin(ctx, &clerk, bk.code, &one, 1, NULL, &err),
	    &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "Already checked in at ");
	/* The rest. Then everything: "already", with the time. */
	assert_ok(cnt_checkin(ctx, &clerk, bk.code, NULL, 0, &after, &err),
	    &err);
	for (i = 0; i < after.ntickets; i++)
		assert_true(after.tickets[i].checked_in_at != 0);
	cnt_booking_free(&after);
	assert_refused(cnt_checkin(ctx, &clerk, bk.code, NULL, 0, NULL, &err),
	    &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "Already checked in at ");
	assert_int_equal(strlen(err.msg), strlen("Already checked in at 19:02."));

	/* After the end: closed. */
	bk_move(ctx, show, "now() - interval '3 hours'");
	assert_refused(cnt_checkin(ctx, &clerk, bk.code, NULL, 0, NULL, &err),
	    &err, CNT_E_INVALID);
	assert_contains(err.msg, "ended");
	cnt_booking_free(&bk);
}

/* No-show after the start; not for checked-in or future bookings. */
static void
test_no_show(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	int64_t		 show = bk_show(ctx);
	struct cnt_booking bk, after;
	struct cnt_error err;

	(void)state;
	book(show, &alice, "D1", &bk);
	assert_refused(cnt_booking_no_show(ctx, &clerk, bk.id, &err), &err,
	    CNT_E_INVALID);
	bk_move(ctx, show, "now() - interval '10 minutes'");
	assert_refused(cnt_booking_no_show(ctx, &alice, bk.id, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_ok(cnt_booking_no_show(ctx, &clerk, bk.id, &err), &err);
	assert_ok(cnt_booking_get(ctx, &alice, bk.id, &after, &err), &err);
	assert_int_equal(after.status, CNT_BOOKING_NO_SHOW);
	cnt_booking_free(&after);
	assert_refused(cnt_checkin(ctx, &clerk, bk.code, NULL, 0, NULL, &err),
	    &err, CNT_E_CONFLICT);
	cnt_booking_free(&bk);
}

/* Lookups: mine, staff search, admin list with filters and paging, and
 * customers never see others' bookings. */
static void
test_lookups(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	struct cnt_actor boss = bk_account(ctx, "admin");
	int64_t		 show = bk_show(ctx), later = bk_show(ctx);
	int64_t		 past = bk_show(ctx);
	struct cnt_booking a1, a2, a3, b1, one, *v;
	struct cnt_booking_filter f;
	struct cnt_error err;
	size_t		 n, total;
	char		*email;

	(void)state;
	book(show, &alice, "A1", &a1);
	book(later, &alice, "A1 A2", &a2);
	book(past, &alice, "B1", &a3);
	book(show, &bob, "A2", &b1);
	bk_move(ctx, past, "now() - interval '1 day'");

	assert_ok(cnt_bookings_mine(ctx, &alice, true, &v, &n, &err), &err);
	assert_int_equal(n, 2);
	cnt_bookings_free(v, n);
	assert_ok(cnt_bookings_mine(ctx, &alice, false, &v, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, a3.id);
	cnt_bookings_free(v, n);

	assert_ok(cnt_booking_get(ctx, &alice, a1.id, &one, &err), &err);
	assert_int_equal(one.ntickets, 1);
	cnt_booking_free(&one);
	assert_refused(cnt_booking_get(ctx, &bob, a1.id, &one, &err), &err,
	    CNT_E_NOTFOUND);
	assert_refused(cnt_booking_get_by_code(ctx, &bob, a1.code, &one,
	    &err), &err, CNT_E_NOTFOUND);
	assert_ok(cnt_booking_get(ctx, &clerk, a1.id, &one, &err), &err);
	cnt_booking_free(&one);

	assert_refused(cnt_bookings_lookup(ctx, &alice, "x", &v, &n, &err),
	    &err, CNT_E_FORBIDDEN);
	assert_ok(cnt_bookings_lookup(ctx, &clerk, a2.code, &v, &n, &err),
	    &err);
	assert_true(n >= 1);
	assert_int_equal(v[0].id, a2.id);
	cnt_bookings_free(v, n);
	email = xstrdup(a1.email);
	email[0] = (char)toupper((unsigned char)email[0]);
	assert_ok(cnt_bookings_lookup(ctx, &clerk, email, &v, &n, &err),
	    &err);
	assert_int_equal(n, 3);
	cnt_bookings_free(v, n);
	free(email);
	assert_ok(cnt_bookings_lookup(ctx, &clerk, b1.customer_name, &v, &n,
	    &err), &err);
	assert_true(n >= 1);
	for (total = 0; total < n && v[total].id != b1.id; total++)
		;
	if (total == n)
		fail_msg("lookup by name did not find bob's booking");
	cnt_bookings_free(v, n);

	memset(&f, 0, sizeof f);
	assert_refused(cnt_bookings_list(ctx, &clerk, &f, &v, &n, &total,
	    &err), &err, CNT_E_FORBIDDEN);
	f.showtime_id = show;
	assert_ok(cnt_bookings_list(ctx, &boss, &f, &v, &n, &total, &err),
	    &err);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	cnt_bookings_free(v, n);
	memset(&f, 0, sizeof f);
	f.limit = 2;
	f.offset = 2;
	assert_ok(cnt_bookings_list(ctx, &boss, &f, &v, &n, &total, &err),
	    &err);
	assert_int_equal(n, 2);
	assert_int_equal(total, 4);
	cnt_bookings_free(v, n);
	f.offset = 10;
	assert_ok(cnt_bookings_list(ctx, &boss, &f, &v, &n, &total, &err),
	    &err);
	assert_int_equal(n, 0);
	assert_int_equal(total, 4);
	cnt_bookings_free(v, n);
	memset(&f, 0, sizeof f);
	f.from = time(NULL) - 7200;
	f.by_status = true;
	f.status = CNT_BOOKING_CONFIRMED;
	assert_ok(cnt_bookings_list(ctx, &boss, &f, &v, &n, &total, &err),
	    &err);
	assert_int_equal(n, 3);
	cnt_bookings_free(v, n);
	f.movie_id = a2.movie_id;
	assert_ok(cnt_bookings_list(ctx, &boss, &f, &v, &n, &total, &err),
	    &err);
	assert_int_equal(n, 1);
	cnt_bookings_free(v, n);

	cnt_booking_free(&a1);
	cnt_booking_free(&a2);
	cnt_booking_free(&a3);
	cnt_booking_free(&b1);
}

/* An admin cancels a showtime: every booking refunded, seats freed. */
static void
test_showtime_cancel(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	struct cnt_actor boss = bk_account(ctx, "admin");
	int64_t		 show = bk_show(ctx);
	int64_t		 seat = bk_seat(ctx, show, "E4");
	struct cnt_booking b1, b2;
	struct cnt_hold	 h;
	struct cnt_error err;
	int		 refunded;

	(void)state;
	book(show, &alice, "A1 A2", &b1);
	book(show, &bob, "B1", &b2);
	assert_ok(cnt_hold_seats(ctx, &bob, show, &seat, 1, &h, &err), &err);
	cnt_hold_free(&h);
	assert_refused(cnt_showtime_cancel(ctx, &clerk, show, &refunded,
	    &err), &err, CNT_E_FORBIDDEN);
	assert_ok(cnt_showtime_cancel(ctx, &boss, show, &refunded, &err),
	    &err);
	assert_int_equal(refunded, 2);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1 AND status = 'refunded'", show), 2);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM refunds r JOIN"
	    " bookings b ON b.id = r.booking_id WHERE b.showtime_id = $1",
	    show), 2);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state <> 'free'", show), 0);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox m"
	    " JOIN bookings b ON b.id = m.booking_id WHERE b.showtime_id = $1"
	    " AND m.kind = 'cancellation'", show), 2);
	assert_refused(cnt_showtime_cancel(ctx, &boss, show, &refunded,
	    &err), &err, CNT_E_CONFLICT);
	cnt_booking_free(&b1);
	cnt_booking_free(&b2);
}

/* Completion: only after the show ended complete_after_minutes ago;
 * idempotent. */
static void
test_complete(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx), other = bk_show(ctx);
	struct cnt_booking bk, b2, after;
	struct cnt_error err;
	int		 n;

	(void)state;
	book(show, &alice, "A1 A2", &bk);
	book(other, &alice, "A1", &b2);
	assert_ok(cnt_showtime_complete(ctx, show, &n, &err), &err);
	assert_int_equal(n, 0);
	/* Ended 2 minutes ago: not yet (complete_after_minutes is 5). */
	bk_move(ctx, show, "now() - interval '2 hours 2 minutes'");
	assert_ok(cnt_showtime_complete(ctx, show, &n, &err), &err);
	assert_int_equal(n, 0);
	bk_move(ctx, show, "now() - interval '2 hours 10 minutes'");
	assert_ok(cnt_showtime_complete(ctx, show, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_ok(cnt_showtime_complete(ctx, show, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_ok(cnt_booking_get(ctx, &alice, bk.id, &after, &err), &err);
	assert_int_equal(after.status, CNT_BOOKING_COMPLETED);
	cnt_booking_free(&after);
	/* The sweep finds the other one once it is due (and those earlier
	 * tests moved into the past). */
	bk_move(ctx, other, "now() - interval '3 hours'");
	assert_ok(cnt_showtimes_sweep_complete(ctx, &n, &err), &err);
	assert_true(n >= 1);
	assert_ok(cnt_booking_get(ctx, &alice, b2.id, &after, &err), &err);
	assert_int_equal(after.status, CNT_BOOKING_COMPLETED);
	cnt_booking_free(&after);
	assert_ok(cnt_showtimes_sweep_complete(ctx, &n, &err), &err);
	assert_int_equal(n, 0);
	cnt_booking_free(&bk);
	cnt_booking_free(&b2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),	/* first: it counts bookings */
		cmocka_unit_test(test_cancel_own),
		cmocka_unit_test(test_cancel_cutoff),
		cmocka_unit_test(test_checkin),
		cmocka_unit_test(test_no_show),
		cmocka_unit_test(test_showtime_cancel),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
