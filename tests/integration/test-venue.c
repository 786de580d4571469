/* test-venue.c - theatres: layout text, capacity by type, layout
 * replacement around sales, delete if unused. */
#include "catalog-fixtures.h"

static struct cnt_ctx *ctx;
static int64_t	film;

static int
setup(void **state)
{
	(void)state;
	ctx = test_ctx();
	film = mk_film(ctx, "Venue Film", 90);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(ctx);
	return 0;
}

static void
test_create_list_get(void **state)
{
	struct cnt_theatre *t, one;
	struct cnt_error err;
	size_t		n;
	int64_t		id;

	(void)state;
	id = mk_theatre(ctx, "Main Hall", small_layout);
	assert_ok(cnt_theatre_list(ctx, &t, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].name, "Main Hall");
	assert_int_equal(t[0].capacity, 11);
	assert_int_equal(t[0].count[CNT_SEAT_STANDARD], 4);
	assert_int_equal(t[0].count[CNT_SEAT_PREMIUM], 4);
	assert_int_equal(t[0].count[CNT_SEAT_WHEELCHAIR], 1);
	assert_int_equal(t[0].count[CNT_SEAT_COMPANION], 1);
	assert_int_equal(t[0].count[CNT_SEAT_VIP], 1);
	assert_string_equal(t[0].layout, "");
	cnt_theatres_free(t, n);
	assert_ok(cnt_theatre_get(ctx, id, &one, &err), &err);
	assert_string_equal(one.layout, small_layout);
	cnt_theatre_free(&one);
	assert_ok(cnt_theatre_by_name(ctx, "MAIN HALL", &one, &err), &err);
	assert_int_equal(one.id, id);
	cnt_theatre_free(&one);
	assert_refused(cnt_theatre_get(ctx, 999999, &one, &err), &err,
	    CNT_E_NOTFOUND);
	/* the seats rows match the layout: C row has W, C, V at x 0, 1, 3 */
	assert_int_equal(sql_i64(ctx, "SELECT x FROM seats WHERE row_label ="
	    " 'C' AND number = 3", NULL, NULL, NULL), 3);
}

static void
test_bad_layout_line_column(void **state)
{
	struct cnt_error err;
	int64_t		id;

	(void)state;
	assert_refused(cnt_theatre_create(ctx, &admin, "Bad Hall",
	    "SSSS\nSSXS\n", &id, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "line 2, column 3");
	assert_string_equal(err.field, "layout");
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM theatres WHERE"
	    " name = 'Bad Hall'", NULL, NULL, NULL), 0);
}

static void
test_duplicate_name_and_roles(void **state)
{
	struct cnt_error err;
	int64_t		id;

	(void)state;
	mk_theatre(ctx, "Twin", small_layout);
	assert_refused(cnt_theatre_create(ctx, &admin, "twin", small_layout,
	    &id, &err), &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "already exists");
	assert_refused(cnt_theatre_create(ctx, &staff, "Staff Hall",
	    small_layout, &id, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_theatre_set_layout(ctx, &customer, 1, small_layout,
	    &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_theatre_delete(ctx, &staff, 1, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_theatre_rename(ctx, &staff, 1, "x", &err), &err,
	    CNT_E_FORBIDDEN);
}

static void
test_layout_refused_with_future_sales(void **state)
{
	struct cnt_theatre t;
	struct cnt_error err;
	int64_t		th, show;

	(void)state;
	th = mk_theatre(ctx, "Busy Hall", small_layout);
	show = mk_show_sql(ctx, film, th, "now() + interval '1 day'", 1000);
	sell(ctx, show, 2, 1000, "confirmed", 0);
	assert_refused(cnt_theatre_set_layout(ctx, &admin, th, "SSSSSS\n",
	    &err), &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "1 upcoming showtime has seats sold");
	/* nothing changed: layout, seats, inventory */
	assert_ok(cnt_theatre_get(ctx, th, &t, &err), &err);
	assert_string_equal(t.layout, small_layout);
	assert_int_equal(t.capacity, 11);
	cnt_theatre_free(&t);
	{
		char b[CNT_I64BUF];

		assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM"
		    " showtime_seats WHERE showtime_id = $1", cnt_i64(b, show),
		    NULL, NULL), 11);
	}
	/* a live hold counts as a sale in progress */
	th = mk_theatre(ctx, "Held Hall", small_layout);
	show = mk_show_sql(ctx, film, th, "now() + interval '1 day'", 1000);
	{
		char b[CNT_I64BUF];
		const char *p[1] = { cnt_i64(b, show) };

		PQclear(sqlv(ctx, "UPDATE showtime_seats SET state = 'held',"
		    " hold_id = nextval('holds_id_seq'), hold_expires = now() +"
		    " interval '10 minutes' WHERE showtime_id = $1 AND seat_id ="
		    " (SELECT min(seat_id) FROM showtime_seats WHERE"
		    " showtime_id = $1)", 1, p));
	}
	assert_refused(cnt_theatre_set_layout(ctx, &admin, th, "SSSSSS\n",
	    &err), &err, CNT_E_CONFLICT);
}

static void
test_layout_replaced_past_kept_upcoming_rebuilt(void **state)
{
	struct cnt_theatre t;
	struct cnt_showtime s;
	struct cnt_error err;
	int64_t		th, past, next;
	char		b[CNT_I64BUF];

	(void)state;
	th = mk_theatre(ctx, "Remodel", small_layout);
	past = mk_show_sql(ctx, film, th, "now() - interval '3 days'", 1000);
	sell(ctx, past, 4, 1000, "completed", 4);
	next = mk_show_sql(ctx, film, th, "now() + interval '3 days'", 1000);
	assert_refused(cnt_theatre_set_layout(ctx, &admin, th, "SSQ\n", &err),
	    &err, CNT_E_INVALID);
	assert_contains(err.msg, "line 1, column 3");
	assert_ok(cnt_theatre_set_layout(ctx, &admin, th,
	    "VVVV\nSSSSSS\nSSSSSS\n", &err), &err);
	assert_ok(cnt_theatre_get(ctx, th, &t, &err), &err);
	assert_int_equal(t.capacity, 16);
	assert_int_equal(t.count[CNT_SEAT_VIP], 4);
	assert_int_equal(t.count[CNT_SEAT_PREMIUM], 0);
	cnt_theatre_free(&t);
	/* the upcoming showtime offers the new seats */
	assert_ok(cnt_showtime_get(ctx, next, &s, &err), &err);
	assert_int_equal(s.capacity, 16);
	cnt_showtime_free(&s);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtime_seats ss"
	    " JOIN seats se ON se.id = ss.seat_id WHERE ss.showtime_id = $1"
	    " AND NOT se.retired", cnt_i64(b, next), NULL, NULL), 16);
	/* the past one keeps its 11 seats and its 4 tickets */
	assert_ok(cnt_showtime_get(ctx, past, &s, &err), &err);
	assert_int_equal(s.capacity, 11);
	assert_int_equal(s.sold, 4);
	cnt_showtime_free(&s);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM seats WHERE"
	    " theatre_id = $1 AND retired", cnt_i64(b, th), NULL, NULL), 11);
	/* new showtimes get only the active seats */
	next = mk_show_sql(ctx, film, th, "now() + interval '4 days'", 1000);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1", cnt_i64(b, next), NULL, NULL), 16);
}

static void
test_delete_only_unused(void **state)
{
	struct cnt_theatre t;
	struct cnt_error err;
	int64_t		used, unused;

	(void)state;
	used = mk_theatre(ctx, "Used", small_layout);
	unused = mk_theatre(ctx, "Unused", small_layout);
	mk_show_sql(ctx, film, used, "now() + interval '5 days'", 1000);
	assert_refused(cnt_theatre_delete(ctx, &admin, used, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "1 showtime uses it");
	assert_ok(cnt_theatre_delete(ctx, &admin, unused, &err), &err);
	assert_refused(cnt_theatre_get(ctx, unused, &t, &err), &err,
	    CNT_E_NOTFOUND);
	assert_refused(cnt_theatre_delete(ctx, &admin, unused, &err), &err,
	    CNT_E_NOTFOUND);
	assert_ok(cnt_theatre_rename(ctx, &admin, used, "Used Hall", &err),
	    &err);
	assert_refused(cnt_theatre_rename(ctx, &admin, used, "Twin", &err),
	    &err, CNT_E_CONFLICT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_list_get),
		cmocka_unit_test(test_bad_layout_line_column),
		cmocka_unit_test(test_duplicate_name_and_roles),
		cmocka_unit_test(test_layout_refused_with_future_sales),
		cmocka_unit_test(test_layout_replaced_past_kept_upcoming_rebuilt),
		cmocka_unit_test(test_delete_only_unused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
