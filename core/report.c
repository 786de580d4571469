/*
 * report.c - revenue and occupancy over a range of local days, per film,
 * theatre, day or showtime (definitions in cinetty-report.h).
 *
 * Each report is one set-based statement: the showtimes of the range (by
 * the showtimes_starts index) with their sales totals (showtime_sales,
 * kept by triggers: db/006_reports.sql), grouped by the dimension asked
 * for. No per-row round trips; the totals are summed here from the rows.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog-private.h"

static const char *const by_names[] = {
	[CNT_REPORT_BY_FILM] = "film",
	[CNT_REPORT_BY_THEATRE] = "theatre",
	[CNT_REPORT_BY_DAY] = "day",
	[CNT_REPORT_BY_SHOWTIME] = "showtime",
};

const char *
cnt_report_by_name(enum cnt_report_by by)
{
	return (size_t)by < sizeof by_names / sizeof by_names[0] ?
	    by_names[by] : "unknown";
}

int
cnt_report_by_parse(const char *s, enum cnt_report_by *by)
{
	size_t	i;

	for (i = 0; s != NULL && i < sizeof by_names / sizeof by_names[0]; i++) {
		if (strcmp(s, by_names[i]) == 0) {
			*by = (enum cnt_report_by)i;
			return CNT_OK;
		}
	}
	return CNT_ERR;
}

/*
 * Per showtime of the range: realized, potential, tickets, capacity.
 * $1, $2: first and last local day.
 *
 * The money and tickets of a showtime come from its showtime_sales row,
 * kept by triggers on tickets and bookings (db/006_reports.sql) under the
 * same definition as cinetty-report.h: valid tickets of live bookings,
 * realized once the booking is completed or no-show or the ticket checked
 * in. So a month's report reads ~1k showtime rows by the showtimes_starts
 * index and as many primary-key lookups, not the month's ~100k tickets.
 */
#define REPORT_RANGE							\
	" s.starts_at >= $1::date::timestamptz"				\
	" AND s.starts_at < ($2::date + 1)::timestamptz"
#define REPORT_PER_SHOWTIME						\
	"WITH per AS (SELECT s.id, s.movie_id, s.theatre_id, s.starts_at,"	\
	"  s.capacity, s.starts_at::date AS day,"			\
	"  COALESCE(x.realized_cents, 0) AS realized,"			\
	"  COALESCE(x.revenue_cents - x.realized_cents, 0) AS potential,"	\
	"  COALESCE(x.tickets, 0) AS tickets"				\
	"  FROM showtimes s LEFT JOIN showtime_sales x"			\
	"   ON x.showtime_id = s.id"					\
	"  WHERE s.status <> 'canceled' AND" REPORT_RANGE ") "

/* Every variant returns: id, label, showtimes, realized, potential,
 * tickets, capacity. */
#define REPORT_SUMS							\
	" count(per.id), COALESCE(sum(per.realized), 0),"		\
	" COALESCE(sum(per.potential), 0), COALESCE(sum(per.tickets), 0),"	\
	" COALESCE(sum(per.capacity), 0) "

static const char *const report_sql[] = {
	[CNT_REPORT_BY_FILM] = REPORT_PER_SHOWTIME
	    "SELECT m.id, m.title," REPORT_SUMS
	    "FROM per JOIN movies m ON m.id = per.movie_id"
	    " GROUP BY m.id, m.title ORDER BY lower(m.title), m.id",
	[CNT_REPORT_BY_THEATRE] = REPORT_PER_SHOWTIME
	    "SELECT th.id, th.name," REPORT_SUMS
	    "FROM per JOIN theatres th ON th.id = per.theatre_id"
	    " GROUP BY th.id, th.name ORDER BY lower(th.name), th.id",
	[CNT_REPORT_BY_DAY] = REPORT_PER_SHOWTIME
	    "SELECT 0, to_char(g.day, 'YYYY-MM-DD')," REPORT_SUMS
	    "FROM generate_series($1::date, $2::date, interval '1 day') g(day)"
	    " LEFT JOIN per ON per.day = g.day::date"
	    " GROUP BY g.day ORDER BY g.day",
	[CNT_REPORT_BY_SHOWTIME] = REPORT_PER_SHOWTIME
	    "SELECT per.id, to_char(per.starts_at, 'YYYY-MM-DD HH24:MI') ||"
	    " ' ' || m.title || ' (' || th.name || ')', 1, per.realized,"
	    " per.potential, per.tickets, per.capacity"
	    " FROM per JOIN movies m ON m.id = per.movie_id"
	    " JOIN theatres th ON th.id = per.theatre_id"
	    " ORDER BY per.starts_at, lower(th.name)",
};

/* Averages and percentages from the sums. */
static void
row_finish(struct cnt_report_row *r)
{
	int64_t	revenue = r->realized_cents + r->potential_cents;

	r->avg_price_cents = r->tickets > 0 ?
	    (revenue + r->tickets / 2) / r->tickets : 0;
	r->occupancy = r->capacity > 0 ?
	    100.0 * (double)r->tickets / (double)r->capacity : 0.0;
}

/*
 * Run report BY for local days FROM..TO into R (free with
 * cnt_report_free). Admin only.
 */
int
cnt_report_run(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    enum cnt_report_by by, const char *from, const char *to,
    struct cnt_report *r, struct cnt_error *err)
{
	const char     *p[2] = { from, to };
	struct cnt_report_row *row, *t = &r->total;
	PGresult       *res;
	int		i, rows;

	memset(r, 0, sizeof *r);
	if (cnt_need_admin(actor, "see reports", err) != CNT_OK)
		return CNT_ERR;
	if ((size_t)by >= sizeof report_sql / sizeof report_sql[0])
		return cnt_error_set(err, CNT_E_INVALID, "unknown report kind");
	if (!cnt_date_syntax(from))
		return cnt_error_field(err, CNT_E_INVALID, "from",
		    "\"%s\" is not a date (use YYYY-MM-DD)", from ? from : "");
	if (!cnt_date_syntax(to))
		return cnt_error_field(err, CNT_E_INVALID, "to",
		    "\"%s\" is not a date (use YYYY-MM-DD)", to ? to : "");
	res = cnt_db_exec(ctx, err, "SELECT $2::date - $1::date", 2, p);
	if (res == NULL)
		return CNT_ERR;
	i = cnt_pg_int(res, 0, 0);
	PQclear(res);
	if (i < 0)
		return cnt_error_field(err, CNT_E_INVALID, "to",
		    "the range ends (%s) before it starts (%s)", to, from);
	if (i >= 3660)
		return cnt_error_field(err, CNT_E_INVALID, "to",
		    "a report covers at most 3660 days");

	res = cnt_db_exec(ctx, err, report_sql[by], 2, p);
	if (res == NULL)
		return CNT_ERR;
	r->by = by;
	cnt_strlcpy(r->from, from, sizeof r->from);
	cnt_strlcpy(r->to, to, sizeof r->to);
	rows = PQntuples(res);
	r->rows = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof *r->rows);
	t->label = xstrdup("total");
	for (i = 0; i < rows; i++) {
		row = &r->rows[i];
		row->id = cnt_pg_i64(res, i, 0);
		row->label = cnt_pg_str(res, i, 1);
		row->showtimes = cnt_pg_int(res, i, 2);
		row->realized_cents = cnt_pg_i64(res, i, 3);
		row->potential_cents = cnt_pg_i64(res, i, 4);
		row->tickets = cnt_pg_i64(res, i, 5);
		row->capacity = cnt_pg_i64(res, i, 6);
		row_finish(row);
		t->showtimes += row->showtimes;
		t->realized_cents += row->realized_cents;
		t->potential_cents += row->potential_cents;
		t->tickets += row->tickets;
		t->capacity += row->capacity;
	}
	r->nrows = (size_t)rows;
	row_finish(t);
	PQclear(res);
	return CNT_OK;
}

void
cnt_report_free(struct cnt_report *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrows; i++)
		free(r->rows[i].label);
	free(r->rows);
	free(r->total.label);
	memset(r, 0, sizeof *r);
}
