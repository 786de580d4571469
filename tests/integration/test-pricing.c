/*
 * test-pricing.c - prices in integer cents: the rounding rule, the rules
 * tables and who may change them, and that a held seat keeps the price it
 * was shown.
 */
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

/* round(cents * percent / 100), half up, the same in C and in SQL. */
static void
test_price_rounding(void **state)
{
	static const struct { int cents, pct, want; } cases[] = {
		{ 1000, 100, 1000 }, { 1000, 125, 1250 }, { 999, 125, 1249 },
		{ 950, 70, 665 }, { 1250, 80, 1000 }, { 1, 50, 1 },
		{ 1, 49, 0 }, { 333, 150, 500 }, { 1249, 70, 874 },
		{ 0, 160, 0 }, { 1000000, 1000, 10000000 }, { 7, 0, 0 },
	};
	char		 c[16], p[16];
	size_t		 i;
	int64_t		 sql;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cnt_price_apply(cases[i].cents, cases[i].pct) !=
		    cases[i].want)
			fail_msg("%d cents at %d%%: expected %d, got %d",
			    cases[i].cents, cases[i].pct, cases[i].want,
			    cnt_price_apply(cases[i].cents, cases[i].pct));
		snprintf(c, sizeof c, "%d", cases[i].cents);
		snprintf(p, sizeof p, "%d", cases[i].pct);
		sql = sql_i64(ctx, "SELECT cnt_price_apply($1, $2)", c, p,
		    NULL);
		if (sql != cases[i].want)
			fail_msg("SQL: %d cents at %d%%: expected %d, got %lld",
			    cases[i].cents, cases[i].pct, cases[i].want,
			    (long long)sql);
	}
}

static const struct cnt_ticket_type *
find_type(const struct cnt_price_rules *r, const char *code)
{
	size_t	i;

	for (i = 0; i < r->nticket_types; i++)
		if (strcmp(r->ticket_types[i].code, code) == 0)
			return &r->ticket_types[i];
	return NULL;
}

/* The rules as seeded by 001; only admins change them; bad values are
 * refused with the field named. */
static void
test_rules_and_permissions(void **state)
{
	struct cnt_actor boss = bk_account(ctx, "admin");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_price_rules r;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_price_rules_get(ctx, &r, &err), &err);
	assert_int_equal(r.seat_percent[CNT_SEAT_STANDARD], 100);
	assert_int_equal(r.seat_percent[CNT_SEAT_PREMIUM], 125);
	assert_int_equal(r.seat_percent[CNT_SEAT_VIP], 160);
	assert_int_equal(r.nticket_types, 3);
	assert_string_equal(r.ticket_types[0].code, "adult");
	assert_int_equal(find_type(&r, "child")->percent, 70);
	cnt_price_rules_free(&r);

	assert_refused(cnt_price_set_seat_type(ctx, &clerk, CNT_SEAT_VIP, 200,
	    &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_price_set_seat_type(ctx, &alice, CNT_SEAT_VIP, 200,
	    &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_price_set_ticket_type(ctx, &clerk, "student",
	    "Student", 85, true, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_price_set_seat_type(ctx, &boss, CNT_SEAT_VIP, 1001,
	    &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "percent");
	assert_refused(cnt_price_set_ticket_type(ctx, &boss, "Student!",
	    "Student", 85, true, &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "code");

	assert_ok(cnt_price_set_ticket_type(ctx, &boss, "student", "Student",
	    85, true, &err), &err);
	assert_ok(cnt_price_set_ticket_type(ctx, &boss, "child", NULL, 60,
	    true, &err), &err);
	assert_ok(cnt_price_rules_get(ctx, &r, &err), &err);
	assert_int_equal(r.nticket_types, 4);
	assert_int_equal(find_type(&r, "student")->percent, 85);
	assert_int_equal(find_type(&r, "student")->position, 4);
	assert_int_equal(find_type(&r, "child")->percent, 60);
	assert_string_equal(find_type(&r, "child")->label, "Child (under 12)");
	cnt_price_rules_free(&r);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM audit_log WHERE"
	    " action LIKE 'price.%' AND actor_id = $1", boss.account_id), 2);
	/* Put child back for the other tests. */
	assert_ok(cnt_price_set_ticket_type(ctx, &boss, "child", NULL, 70,
	    true, &err), &err);
}

/* A held seat keeps the price it was shown; new holds see the new rule;
 * an inactive ticket type cannot be sold. */
static void
test_price_fixed_at_hold(void **state)
{
	struct cnt_actor boss = bk_account(ctx, "admin");
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	int64_t		 a = bk_seat(ctx, show, "C1"), b = bk_seat(ctx, show, "C2");
	struct cnt_ticket_choice senior = { 0, "senior" };
	struct cnt_hold	 ha, hb;
	struct cnt_booking bk;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_hold_seats(ctx, &alice, show, &a, 1, &ha, &err), &err);
	assert_int_equal(ha.total_cents, 1250);
	assert_ok(cnt_price_set_seat_type(ctx, &boss, CNT_SEAT_PREMIUM, 150,
	    &err), &err);
	assert_ok(cnt_hold_seats(ctx, &bob, show, &b, 1, &hb, &err), &err);
	assert_int_equal(hb.total_cents, 1500);
	/* alice pays what she was shown: senior 80% of 1250. */
	senior.seat_id = a;
	assert_ok(cnt_booking_confirm(ctx, &alice, ha.hold_id, &senior, 1,
	    &bk_card_ok, &bk, &err), &err);
	assert_int_equal(bk.total_cents, 1000);
	cnt_booking_free(&bk);

	assert_ok(cnt_price_set_ticket_type(ctx, &boss, "senior", NULL, 80,
	    false, &err), &err);
	senior.seat_id = b;
	assert_refused(cnt_booking_confirm(ctx, &bob, hb.hold_id, &senior, 1,
	    &bk_card_ok, &bk, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "senior");
	assert_ok(cnt_price_set_ticket_type(ctx, &boss, "senior", NULL, 80,
	    true, &err), &err);
	assert_ok(cnt_price_set_seat_type(ctx, &boss, CNT_SEAT_PREMIUM, 125,
	    &err), &err);
	cnt_hold_free(&ha);
	cnt_hold_free(&hb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_price_rounding),
		cmocka_unit_test(test_rules_and_permissions),
		cmocka_unit_test(test_price_fixed_at_hold),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
