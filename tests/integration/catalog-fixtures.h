/*
 * catalog-fixtures.h - what the catalogue, venue, schedule and report tests
 * share: actors, quick films and theatres, and raw SQL for the rows only
 * the booking code writes (sales), so these tests do not depend on
 * booking.c.
 */
#ifndef CATALOG_FIXTURES_H
#define CATALOG_FIXTURES_H

#include "testlib.h"
#include "internal.h"

static const struct cnt_actor admin = { 0, CNT_ROLE_ADMIN };
static const struct cnt_actor staff = { 0, CNT_ROLE_STAFF };
static const struct cnt_actor customer = { 0, CNT_ROLE_CUSTOMER };

static const char small_layout[] =
    "SSSS\n"
    "PPPP\n"
    "WC V\n";

/* Run SQL with string parameters; fail the test on error. Returns the
 * result (PQclear it). */
static inline PGresult *
sqlv(struct cnt_ctx *ctx, const char *sql, int n, const char *const *p)
{
	struct cnt_error err;
	PGresult       *res = cnt_db_exec(ctx, &err, sql, n, p);

	if (res == NULL)
		fail_msg("SQL failed: %s\n%s", err.msg, sql);
	return res;
}

/* A single bigint from SQL with up to 3 parameters (-1 if no row). */
static inline int64_t
sql_i64(struct cnt_ctx *ctx, const char *sql, const char *a, const char *b,
    const char *c)
{
	const char     *p[3] = { a, b, c };
	int		n = c != NULL ? 3 : b != NULL ? 2 : a != NULL ? 1 : 0;
	PGresult       *res = sqlv(ctx, sql, n, p);
	int64_t		v = PQntuples(res) > 0 ? cnt_pg_i64(res, 0, 0) : -1;

	PQclear(res);
	return v;
}

static inline int64_t
mk_film(struct cnt_ctx *ctx, const char *title, int runtime)
{
	struct cnt_film_input in = { .title = title, .runtime_min = runtime,
	    .rating = "PG-13" };
	struct cnt_error err;
	int64_t		id = 0;

	assert_ok(cnt_film_create(ctx, &admin, &in, &id, &err), &err);
	return id;
}

static inline int64_t
mk_theatre(struct cnt_ctx *ctx, const char *name, const char *layout)
{
	struct cnt_error err;
	int64_t		id = 0;

	assert_ok(cnt_theatre_create(ctx, &admin, name, layout, &id, &err),
	    &err);
	return id;
}

/* A showtime written straight into the table (so it may be in the past):
 * START_SQL is an SQL timestamptz expression such as "now() - interval
 * '3 days'". The inventory trigger runs as for any showtime. */
static inline int64_t
mk_show_sql(struct cnt_ctx *ctx, int64_t film, int64_t theatre,
    const char *start_sql, int price)
{
	char		f[CNT_I64BUF], t[CNT_I64BUF], pr[CNT_I64BUF];
	char	       *sql;
	int64_t		id;

	sql = xasprintf("INSERT INTO showtimes (movie_id, theatre_id,"
	    " starts_at, ends_at, blocked_until, base_price_cents) SELECT $1,"
	    " $2, st, st + interval '2 hours', st + interval '2 hours 15"
	    " minutes', $3 FROM (SELECT %s AS st) x RETURNING id", start_sql);
	id = sql_i64(ctx, sql, cnt_i64(f, film), cnt_i64(t, theatre),
	    cnt_i64(pr, price));
	free(sql);
	return id;
}

/*
 * Sell N seats of SHOWTIME (the lowest seat ids still free) as one booking
 * with STATUS at PRICE cents a ticket; the first CHECKED_IN tickets get a
 * check-in time. Returns the booking id. Written as booking.c would:
 * booking row, tickets, seats sold.
 */
static inline int64_t
sell(struct cnt_ctx *ctx, int64_t showtime, int n, int price,
    const char *status, int checked_in)
{
	static int	serial;
	char		s[CNT_I64BUF], nn[CNT_I64BUF], pr[CNT_I64BUF];
	char		code[16], ci[CNT_I64BUF], b[CNT_I64BUF];
	int64_t		booking;
	const char     *p[5];
	PGresult       *res;

	snprintf(code, sizeof code, "T%02d-%03d", serial / 1000 % 100,
	    serial % 1000);
	serial++;
	cnt_i64(s, showtime);
	cnt_i64(nn, n);
	cnt_i64(pr, price);
	p[0] = code;
	p[1] = s;
	p[2] = status;
	p[3] = cnt_i64(b, (int64_t)n * price);
	res = sqlv(ctx, "INSERT INTO bookings (code, customer_name, showtime_id,"
	    " status, channel, total_cents) VALUES ($1, 'test', $2, $3,"
	    " 'boxoffice', $4) RETURNING id", 4, p);
	booking = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	p[0] = cnt_i64(b, booking);
	p[1] = s;
	p[2] = nn;
	p[3] = pr;
	p[4] = cnt_i64(ci, checked_in);
	res = sqlv(ctx, "WITH pick AS (SELECT seat_id FROM showtime_seats"
	    " WHERE showtime_id = $2 AND state = 'free' ORDER BY seat_id"
	    " LIMIT $3::int FOR UPDATE),"
	    " seats AS (UPDATE showtime_seats ss SET state = 'sold',"
	    "  booking_id = $1, price_cents = $4 FROM pick"
	    "  WHERE ss.showtime_id = $2 AND ss.seat_id = pick.seat_id"
	    "  RETURNING ss.seat_id)"
	    " INSERT INTO tickets (booking_id, showtime_id, seat_id,"
	    " ticket_type, price_cents, checked_in_at)"
	    " SELECT $1, $2, seat_id, 'adult', $4, CASE WHEN"
	    " row_number() OVER (ORDER BY seat_id) <= $5::int THEN now() END"
	    " FROM seats", 5, p);
	PQclear(res);
	return booking;
}

#endif
