/* test-report.c - revenue and occupancy reports against figures worked
 * out by hand and against an independent SQL query over the same rows;
 * and the per-showtime totals the reports read (showtime_sales, kept by
 * triggers) against a direct count after each kind of sale, check-in,
 * cancel, refund, no-show, completion and canceled show. */
#include "test-booking.h"

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

/* The report row of showtime ID in R, or NULL. */
static const struct cnt_report_row *
report_row(const struct cnt_report *r, int64_t id)
{
	size_t	i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].id == id)
			return &r->rows[i];
	return NULL;
}

/*
 * After STEP: the kept totals agree with the detail rows everywhere, and
 * the report by showtime gives, for each of SHOWS[0..N), what a direct
 * count of its tickets and bookings gives (a canceled show: no row).
 */
static void
expect_sales_match(const char *step, const int64_t *shows, int n)
{
	struct cnt_report r;
	struct cnt_error err;
	const struct cnt_report_row *row;
	char		f[11], t[11], sb[CNT_I64BUF];
	const char     *p[1];
	PGresult       *res;
	int		i;

	res = sqlv(ctx, "SELECT count(*), coalesce(min(showtime_id), 0) FROM"
	    " cnt_showtime_sales_check()", 0, NULL);
	if (cnt_pg_i64(res, 0, 0) != 0)
		fail_msg("%s: showtime_sales differs from the tickets for %lld"
		    " showtimes (first %lld)", step,
		    (long long)cnt_pg_i64(res, 0, 0),
		    (long long)cnt_pg_i64(res, 0, 1));
	PQclear(res);
	res = sqlv(ctx, "SELECT to_char(current_date - 1, 'YYYY-MM-DD'),"
	    " to_char(current_date + 2, 'YYYY-MM-DD')", 0, NULL);
	cnt_strlcpy(f, PQgetvalue(res, 0, 0), sizeof f);
	cnt_strlcpy(t, PQgetvalue(res, 0, 1), sizeof t);
	PQclear(res);
	assert_ok(cnt_report_run(ctx, &admin, CNT_REPORT_BY_SHOWTIME, f, t, &r,
	    &err), &err);
	for (i = 0; i < n; i++) {
		int64_t	tickets, realized, potential;
		bool	canceled;

		p[0] = cnt_i64(sb, shows[i]);
		res = sqlv(ctx, "SELECT count(*) FILTER (WHERE live),"
		    " coalesce(sum(price_cents) FILTER (WHERE live AND"
		    "  realized), 0),"
		    " coalesce(sum(price_cents) FILTER (WHERE live AND NOT"
		    "  realized), 0),"
		    " (SELECT status = 'canceled' FROM showtimes WHERE id = $1)"
		    " FROM (SELECT t.price_cents, t.status = 'valid' AND"
		    "  b.status IN ('confirmed', 'completed', 'no_show') AS live,"
		    "  b.status IN ('completed', 'no_show') OR"
		    "  t.checked_in_at IS NOT NULL AS realized"
		    "  FROM tickets t JOIN bookings b ON b.id = t.booking_id"
		    "  WHERE t.showtime_id = $1) x", 1, p);
		tickets = cnt_pg_i64(res, 0, 0);
		realized = cnt_pg_i64(res, 0, 1);
		potential = cnt_pg_i64(res, 0, 2);
		canceled = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
		PQclear(res);
		row = report_row(&r, shows[i]);
		if (canceled) {
			if (row != NULL)
				fail_msg("%s: canceled showtime %lld in the "
				    "report", step, (long long)shows[i]);
			continue;
		}
		if (row == NULL)
			fail_msg("%s: showtime %lld not in the report", step,
			    (long long)shows[i]);
		if (row->tickets != tickets || row->realized_cents != realized ||
		    row->potential_cents != potential)
			fail_msg("%s: showtime %lld: expected tickets %lld "
			    "realized %lld potential %lld (direct count), the "
			    "report says %lld %lld %lld", step,
			    (long long)shows[i], (long long)tickets,
			    (long long)realized, (long long)potential,
			    (long long)row->tickets,
			    (long long)row->realized_cents,
			    (long long)row->potential_cents);
	}
	cnt_report_free(&r);
}

/* Hold seats LABELS of SHOW for WHO and pay by card; the booking. */
static int64_t
buy(const struct cnt_actor *who, int64_t show, const char *const *labels,
    int n, struct cnt_booking *out)
{
	struct cnt_hold	h;
	struct cnt_error err;
	int64_t		seats[8];
	int		i;

	for (i = 0; i < n; i++)
		seats[i] = bk_seat(ctx, show, labels[i]);
	assert_ok(cnt_hold_seats(ctx, who, show, seats, (size_t)n, &h, &err),
	    &err);
	assert_ok(cnt_booking_confirm(ctx, who, h.hold_id, NULL, 0,
	    &bk_card_ok, out, &err), &err);
	cnt_hold_free(&h);
	return out->id;
}

/* Every way tickets and bookings change, through the booking API; after
 * each, the report agrees with a direct count. */
static void
test_sales_totals_follow_every_change(void **state)
{
	static const char *const row_a[] = { "A1", "A2", "A3", "A4" };
	static const char *const row_b[] = { "B1", "B2" };
	static const char *const row_c[] = { "C1", "C2", "C3" };
	struct cnt_actor c1 = bk_account(ctx, "customer");
	struct cnt_actor c2 = bk_account(ctx, "customer");
	struct cnt_actor c3 = bk_account(ctx, "customer");
	struct cnt_actor clerk = bk_account(ctx, "staff");
	struct cnt_actor boss = bk_account(ctx, "admin");
	struct cnt_booking b1, bb2, b3, w;
	struct cnt_walkup wu;
	struct cnt_error err;
	int64_t		shows[3], wseats[3], tk[2];
	int		i, n;

	(void)state;
	for (i = 0; i < 3; i++)
		shows[i] = bk_show_at(ctx, "now() + interval '1 day'",
		    small_layout);
	expect_sales_match("nothing sold", shows, 3);

	buy(&c1, shows[0], row_a, 4, &b1);
	buy(&c2, shows[0], row_b, 2, &bb2);
	buy(&c3, shows[1], row_b, 2, &b3);
	for (i = 0; i < 3; i++)
		wseats[i] = bk_seat(ctx, shows[1], row_c[i]);
	memset(&wu, 0, sizeof wu);
	wu.showtime_id = shows[1];
	wu.seat_ids = wseats;
	wu.nseats = 3;
	wu.customer_name = "Walk Up";
	wu.pay.method = CNT_PAY_CASH;
	wu.pay.cash_given_cents = 100000;
	assert_ok(cnt_walkup_sell(ctx, &clerk, &wu, &w, &err), &err);
	{
		struct cnt_booking x;

		buy(&c1, shows[2], row_b, 2, &x);
		cnt_booking_free(&x);
	}
	expect_sales_match("sold", shows, 3);

	/* a refund (cancel by staff) */
	assert_ok(cnt_booking_cancel(ctx, &clerk, bb2.id, "test", NULL, &err),
	    &err);
	expect_sales_match("refunded", shows, 3);

	/* a whole show canceled: its bookings refunded */
	assert_ok(cnt_showtime_cancel(ctx, &boss, shows[2], &n, &err), &err);
	assert_int_equal(n, 1);
	expect_sales_match("show canceled", shows, 3);

	/* two of four tickets checked in */
	bk_move(ctx, shows[0], "now() + interval '30 minutes'");
	tk[0] = b1.tickets[0].id;
	tk[1] = b1.tickets[1].id;
	assert_ok(cnt_checkin(ctx, &clerk, b1.code, tk, 2, NULL, &err), &err);
	expect_sales_match("checked in", shows, 3);

	/* a no-show once the show started, then the show completed */
	bk_move(ctx, shows[1], "now() - interval '10 minutes'");
	assert_ok(cnt_booking_no_show(ctx, &clerk, b3.id, &err), &err);
	expect_sales_match("no-show", shows, 3);
	bk_move(ctx, shows[1], "now() - interval '3 hours'");
	assert_ok(cnt_showtime_complete(ctx, shows[1], &n, &err), &err);
	assert_int_equal(n, 1);
	expect_sales_match("completed", shows, 3);

	/* rows changed by hand (as an operator might) are followed too */
	{
		char		id[CNT_I64BUF];
		const char     *p[1] = { cnt_i64(id, w.id) };

		PQclear(sqlv(ctx, "UPDATE tickets SET status = 'canceled'"
		    " WHERE id = (SELECT min(id) FROM tickets"
		    " WHERE booking_id = $1)", 1, p));
		expect_sales_match("a ticket canceled by hand", shows, 3);
		PQclear(sqlv(ctx, "DELETE FROM bookings WHERE id = $1", 1, p));
		expect_sales_match("a booking deleted by hand", shows, 3);
	}
	cnt_booking_free(&b1);
	cnt_booking_free(&bb2);
	cnt_booking_free(&b3);
	cnt_booking_free(&w);
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
		cmocka_unit_test(test_sales_totals_follow_every_change),
		cmocka_unit_test(test_by_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
