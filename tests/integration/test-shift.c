/*
 * test-shift.c - cnt_shift_summary: a staff member's own cash and card
 * sales and the refunds they gave since a time, the drawer's cash, other
 * staff's sales left out, and customers refused.
 */
#include "test-booking.h"

/* Sell seat A (and B unless NULL) of SHOW as ACTOR. */
static int64_t
walkup(struct cnt_ctx *ctx, const struct cnt_actor *actor, int64_t show,
    const char *a, const char *b, bool cash)
{
	struct cnt_walkup	w;
	struct cnt_booking	bk;
	struct cnt_error	err;
	int64_t			seats[2];
	int64_t			id;

	seats[0] = bk_seat(ctx, show, a);
	seats[1] = b != NULL ? bk_seat(ctx, show, b) : 0;
	memset(&w, 0, sizeof w);
	w.showtime_id = show;
	w.seat_ids = seats;
	w.nseats = b != NULL ? 2 : 1;
	w.pay = cash ? (struct cnt_payment_input){ CNT_PAY_CASH,
	    { NULL, 0, 0, NULL }, 5000 } : bk_card_ok;
	assert_ok(cnt_walkup_sell(ctx, actor, &w, &bk, &err), &err);
	id = bk.id;
	cnt_booking_free(&bk);
	return id;
}

static void
test_shift_summary(void **state)
{
	struct cnt_ctx		*ctx = test_ctx();
	struct cnt_actor	 clerk = bk_account(ctx, "staff");
	struct cnt_actor	 other = bk_account(ctx, "staff");
	struct cnt_actor	 cust = bk_account(ctx, "customer");
	struct cnt_shift	 s;
	struct cnt_error	 err;
	int64_t			 show = bk_show(ctx), refund;
	time_t			 since = time(NULL) - 60;

	(void)state;
	/* Standard seats A1-A4 at 10.00 each: cash 20, card 10, cash 10. */
	walkup(ctx, &clerk, show, "A1", "A2", true);
	walkup(ctx, &clerk, show, "A3", NULL, false);
	refund = walkup(ctx, &clerk, show, "A4", NULL, true);
	walkup(ctx, &other, show, "B1", "B2", true);
	assert_ok(cnt_booking_cancel(ctx, &clerk, refund, "test", NULL, &err),
	    &err);

	assert_ok(cnt_shift_summary(ctx, &clerk, since, &s, &err), &err);
	assert_int_equal(s.sales, 3);
	assert_int_equal(s.tickets, 4);
	assert_int_equal(s.sales_cents, 4000);
	assert_int_equal(s.cash_cents, 3000);
	assert_int_equal(s.card_cents, 1000);
	assert_int_equal(s.refunds, 1);
	assert_int_equal(s.refund_cents, 1000);
	assert_int_equal(s.cash_refund_cents, 1000);
	assert_int_equal(s.drawer_cents, 2000);

	/* The other clerk's drawer has only their own sale. */
	assert_ok(cnt_shift_summary(ctx, &other, since, &s, &err), &err);
	assert_int_equal(s.sales, 1);
	assert_int_equal(s.drawer_cents, 2000);
	assert_int_equal(s.refunds, 0);

	/* A shift that begins later has nothing yet. */
	assert_ok(cnt_shift_summary(ctx, &clerk, time(NULL) + 3600, &s, &err),
	    &err);
	assert_int_equal(s.sales, 0);
	assert_int_equal(s.drawer_cents, 0);

	assert_refused(cnt_shift_summary(ctx, &cust, since, &s, &err), &err,
	    CNT_E_FORBIDDEN);
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shift_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
