/* test-report.c - revenue and occupancy reports against figures worked
 * out by hand and against an independent SQL query over the same rows. */
#include "catalog-fixtures.h"

static struct cnt_ctx *ctx;
static int64_t	alpha, beta, hall_a, hall_b;
static char	from[11], to[11];	/* today - 2 .. today + 2 */

/* A showtime DAYS from today at HOUR local, straight into the table. */
static int64_t
show(int64_t film, int64_t theatre, int days, int hour, int price)
{
	char	expr[128];

	snprintf(expr, sizeof expr, "((current_date + %d) + time '%02d:00')"
	    "::timestamptz", days, hour);
	return mk_show_sql(ctx, film, theatre, expr, price);
}

/* Mark booking B STATUS and its tickets TICKET_STATUS, seats freed. */
static void
unsell(int64_t b, const char *status, const char *ticket_status)
{
	char		id[CNT_I64BUF];
	const char     *p[3] = { cnt_i64(id, b), status, ticket_status };

	PQclear(sqlv(ctx, "UPDATE bookings SET status = $2 WHERE id = $1", 2,
	    p));
	PQclear(sqlv(ctx, "UPDATE tickets SET status = $3 WHERE booking_id ="
	    " $1 AND $2 <> ''", 3, p));
	PQclear(sqlv(ctx, "UPDATE showtime_seats SET state = 'free',"
	    " booking_id = NULL WHERE booking_id = $1", 1, p));
}

/*
 * The data (D = today), range D-2 .. D+2:
 *  S1 Alpha, hall A, D-2 18:00: completed 3 x 10.00, no-show 1 x 10.00,
 *     a canceled booking of 2 (not counted)
 *  S2 Beta, hall B, D-2 20:00: confirmed 4 x 12.50, 2 checked in
 *  S3 Alpha, hall B, D+1 18:00: confirmed 5 x 8.00
 *  S4 Beta, hall A, D+1 18:00: canceled showtime, refunded booking of 2
 *  S5 Beta, hall A, D+5: confirmed 2 x 9.00 (outside the range)
 *  S6 Alpha, hall A, D 10:00: nothing sold
 */
static int
setup(void **state)
{
	int64_t		s, b;
	PGresult       *res;

	(void)state;
	ctx = test_ctx();
	alpha = mk_film(ctx, "Alpha", 100);
	beta = mk_film(ctx, "Beta", 100);
	hall_a = mk_theatre(ctx, "Hall A", small_layout);
	hall_b = mk_theatre(ctx, "Hall B", small_layout);

	s = show(alpha, hall_a, -2, 18, 1000);
	sell(ctx, s, 3, 1000, "completed", 0);
	sell(ctx, s, 1, 1000, "no_show", 0);
	b = sell(ctx, s, 2, 1000, "confirmed", 0);
	unsell(b, "canceled", "canceled");
	s = show(beta, hall_b, -2, 20, 1250);
	sell(ctx, s, 4, 1250, "confirmed", 2);
	s = show(alpha, hall_b, 1, 18, 800);
	sell(ctx, s, 5, 800, "confirmed", 0);
	s = show(beta, hall_a, 1, 18, 900);
	b = sell(ctx, s, 2, 900, "confirmed", 0);
	unsell(b, "refunded", "refunded");
	{
		char		id[CNT_I64BUF];
		const char     *p[1] = { cnt_i64(id, s) };

		PQclear(sqlv(ctx, "UPDATE showtimes SET status = 'canceled'"
		    " WHERE id = $1", 1, p));
	}
	s = show(beta, hall_a, 5, 18, 900);
	sell(ctx, s, 2, 900, "confirmed", 0);
	show(alpha, hall_a, 0, 10, 1000);

	res = sqlv(ctx, "SELECT to_char(current_date - 2, 'YYYY-MM-DD'),"
	    " to_char(current_date + 2, 'YYYY-MM-DD')", 0, NULL);
	cnt_strlcpy(from, PQgetvalue(res, 0, 0), sizeof from);
	cnt_strlcpy(to, PQgetvalue(res, 0, 1), sizeof to);
	PQclear(res);
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
expect_row(const struct cnt_report_row *r, const char *label, int shows,
    int64_t realized, int64_t potential, int64_t tickets, int64_t capacity)
{
	if (strcmp(r->label, label) != 0)
		fail_msg("expected row \"%s\", got \"%s\"", label, r->label);
	if (r->showtimes != shows || r->realized_cents != realized ||
	    r->potential_cents != potential || r->tickets != tickets ||
	    r->capacity != capacity)
		fail_msg("%s: expected shows %d realized %lld potential %lld "
		    "tickets %lld capacity %lld, got %d %lld %lld %lld %lld",
		    label, shows, (long long)realized, (long long)potential,
		    (long long)tickets, (long long)capacity, r->showtimes,
		    (long long)r->realized_cents, (long long)r->potential_cents,
		    (long long)r->tickets, (long long)r->capacity);
}

static void
test_by_film_hand_figures(void **state)
{
	struct cnt_report r;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_report_run(ctx, &admin, CNT_REPORT_BY_FILM, from, to, &r,
	    &err), &err);
	assert_int_equal(r.nrows, 2);
	/* Alpha: S1, S3, S6 */
	expect_row(&r.rows[0], "Alpha", 3, 4000, 4000, 9, 33);
	assert_int_equal(r.rows[0].id, alpha);
	assert_int_equal(r.rows[0].avg_price_cents, 889);	/* 8000 / 9 */
	assert_true(r.rows[0].occupancy > 27.27 && r.rows[0].occupancy < 27.28);
	/* Beta: S2 only (S4 canceled, S5 outside) */
	expect_row(&r.rows[1], "Beta", 1, 2500, 2500, 4, 11);
	assert_int_equal(r.rows[1].avg_price_cents, 1250);
	expect_row(&r.total, "total", 4, 6500, 6500, 13, 44);
	cnt_report_free(&r);
}

static void
test_by_theatre_and_showtime(void **state)
{
	struct cnt_report r;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_report_run(ctx, &admin, CNT_REPORT_BY_THEATRE, from, to,
	    &r, &err), &err);
	assert_int_equal(r.nrows, 2);
	expect_row(&r.rows[0], "Hall A", 2, 4000, 0, 4, 22);
	expect_row(&r.rows[1], "Hall B", 2, 2500, 6500, 9, 22);
	cnt_report_free(&r);

	assert_ok(cnt_report_run(ctx, &admin, CNT_REPORT_BY_SHOWTIME, from, to,
	    &r, &err), &err);
	assert_int_equal(r.nrows, 4);
	assert_contains(r.rows[0].label, "18:00 Alpha (Hall A)");
	assert_int_equal(r.rows[0].tickets, 4);
	assert_contains(r.rows[1].label, "20:00 Beta (Hall B)");
	assert_contains(r.rows[2].label, "10:00 Alpha (Hall A)");
	assert_int_equal(r.rows[2].tickets, 0);
	assert_true(r.rows[2].occupancy == 0.0);
	assert_contains(r.rows[3].label, "18:00 Alpha (Hall B)");
	assert_true(r.rows[3].occupancy > 45.45 && r.rows[3].occupancy < 45.46);
	cnt_report_free(&r);
}

static void
test_by_day_every_day(void **state)
{
	struct cnt_report r;
	struct cnt_error err;
	PGresult       *res;

	(void)state;
	assert_ok(cnt_report_run(ctx, &admin, CNT_REPORT_BY_DAY, from, to, &r,
	    &err), &err);
	assert_int_equal(r.nrows, 5);	/* zero days included */
	res = sqlv(ctx, "SELECT to_char(current_date + d, 'YYYY-MM-DD') FROM"
	    " generate_series(-2, 2) d ORDER BY d", 0, NULL);
	expect_row(&r.rows[0], PQgetvalue(res, 0, 0), 2, 6500, 2500, 8, 22);
	expect_row(&r.rows[1], PQgetvalue(res, 1, 0), 0, 0, 0, 0, 0);
	expect_row(&r.rows[2], PQgetvalue(res, 2, 0), 1, 0, 0, 0, 11);
	expect_row(&r.rows[3], PQgetvalue(res, 3, 0), 1, 0, 4000, 5, 11);
	expect_row(&r.rows[4], PQgetvalue(res, 4, 0), 0, 0, 0, 0, 0);
	PQclear(res);
	expect_row(&r.total, "total", 4, 6500, 6500, 13, 44);
	cnt_report_free(&r);
}

/* The same figures from a query written another way: per film, correlated
 * subqueries over tickets and seats instead of grouped joins, capacity
 * counted from the inventory rather than read from showtimes.capacity. */
static void
test_matches_independent_sql(void **state)
{
	struct cnt_report r;
	struct cnt_error err;
	const char     *p[2] = { from, to };
	PGresult       *res;
	size_t		i;

	(void)state;
	res = sqlv(ctx, "SELECT m.title,"
	    " (SELECT count(*) FROM showtimes s WHERE s.movie_id = m.id AND"
	    "  s.status <> 'canceled' AND s.starts_at::date BETWEEN $1 AND $2),"
	    " (SELECT COALESCE(sum(t.price_cents), 0) FROM tickets t, bookings b,"
	    "  showtimes s WHERE b.id = t.booking_id AND s.id = t.showtime_id"
	    "  AND s.movie_id = m.id AND s.status <> 'canceled'"
	    "  AND s.starts_at::date BETWEEN $1 AND $2 AND t.status = 'valid'"
	    "  AND (b.status IN ('completed', 'no_show') OR (b.status ="
	    "  'confirmed' AND t.checked_in_at IS NOT NULL))),"
	    " (SELECT COALESCE(sum(t.price_cents), 0) FROM tickets t, bookings b,"
	    "  showtimes s WHERE b.id = t.booking_id AND s.id = t.showtime_id"
	    "  AND s.movie_id = m.id AND s.status <> 'canceled'"
	    "  AND s.starts_at::date BETWEEN $1 AND $2 AND t.status = 'valid'"
	    "  AND b.status = 'confirmed' AND t.checked_in_at IS NULL),"
	    " (SELECT count(*) FROM showtime_seats ss, showtimes s WHERE"
	    "  s.id = ss.showtime_id AND s.movie_id = m.id AND ss.state = 'sold'"
	    "  AND s.status <> 'canceled'"
	    "  AND s.starts_at::date BETWEEN $1 AND $2),"
	    " (SELECT count(*) FROM showtime_seats ss, showtimes s WHERE"
	    "  s.id = ss.showtime_id AND s.movie_id = m.id"
	    "  AND s.status <> 'canceled'"
	    "  AND s.starts_at::date BETWEEN $1 AND $2)"
	    " FROM movies m ORDER BY m.title", 2, p);
	assert_ok(cnt_report_run(ctx, &admin, CNT_REPORT_BY_FILM, from, to, &r,
	    &err), &err);
	assert_int_equal(r.nrows, (size_t)PQntuples(res));
	for (i = 0; i < r.nrows; i++)
		expect_row(&r.rows[i], PQgetvalue(res, (int)i, 0),
		    cnt_pg_int(res, (int)i, 1), cnt_pg_i64(res, (int)i, 2),
		    cnt_pg_i64(res, (int)i, 3), cnt_pg_i64(res, (int)i, 4),
		    cnt_pg_i64(res, (int)i, 5));
	PQclear(res);
	cnt_report_free(&r);
}

static void
test_refusals(void **state)
{
	struct cnt_report r;
	struct cnt_error err;

	(void)state;
	assert_refused(cnt_report_run(ctx, &staff, CNT_REPORT_BY_FILM, from, to,
	    &r, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_report_run(ctx, &customer, CNT_REPORT_BY_DAY, from,
	    to, &r, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_report_run(ctx, &admin, CNT_REPORT_BY_FILM, to, from,
	    &r, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "before it starts");
	assert_refused(cnt_report_run(ctx, &admin, CNT_REPORT_BY_FILM, "2026",
	    to, &r, &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_refused(cnt_report_run(ctx, &admin, CNT_REPORT_BY_FILM,
	    "2026-02-30", "2026-03-01", &r, &err), &err, CNT_E_INVALID);
}

static void
test_by_names(void **state)
{
	enum cnt_report_by by;

	(void)state;
	assert_int_equal(cnt_report_by_parse("theatre", &by), CNT_OK);
	assert_int_equal(by, CNT_REPORT_BY_THEATRE);
	assert_string_equal(cnt_report_by_name(CNT_REPORT_BY_DAY), "day");
	assert_int_equal(cnt_report_by_parse("week", &by), CNT_ERR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_film_hand_figures),
		cmocka_unit_test(test_by_theatre_and_showtime),
		cmocka_unit_test(test_by_day_every_day),
		cmocka_unit_test(test_matches_independent_sql),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_by_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
