/*
 * bench-reports.c - time the reports against a naive query of the same
 * report, in the same run, on the data made by tests/bench/bench-reports.sh.
 *
 *   bench-reports BY FROM TO RUNS     BY: film | theatre | day
 *
 * cinetty: cnt_report_run (admin actor) RUNS times. Reference: the same
 * report written naively - every valid ticket joined through its booking,
 * capacity counted from showtime_seats instead of showtimes.capacity - with
 * the report index tickets_showtime_report dropped inside a transaction that
 * is rolled back (so the schema is unchanged afterwards). The two results'
 * totals are compared so the reference is known to compute the same thing.
 * The reference runs at most REF_RUNS times (it takes seconds a run).
 * Prints one "key=value" line: p50_ms p95_ms ref_p50_ms ref_p95_ms tickets.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cinetty.h"
#include "bench-util.h"

#define MAX_RUNS 200
#define REF_RUNS 5

/* The naive report: one statement, the obvious joins, no precomputed
 * capacity, grouped by KEY (a column expression) labelled LABEL. */
#define NAIVE(KEY, LABEL, JOIN)						\
	"SELECT " KEY ", " LABEL ", count(DISTINCT s.id),"		\
	" COALESCE(sum(t.price_cents) FILTER (WHERE b.status IN"	\
	"  ('completed', 'no_show') OR t.checked_in_at IS NOT NULL), 0),"	\
	" COALESCE(sum(t.price_cents) FILTER (WHERE b.status = 'confirmed'"	\
	"  AND t.checked_in_at IS NULL), 0),"				\
	" count(t.id),"							\
	" (SELECT count(*) FROM showtime_seats ss JOIN showtimes s2"	\
	"   ON s2.id = ss.showtime_id WHERE s2.status <> 'canceled'"	\
	"   AND s2.starts_at >= $1::date::timestamptz"			\
	"   AND s2.starts_at < ($2::date + 1)::timestamptz"		\
	"   AND " JOIN ")"						\
	" FROM showtimes s"						\
	" LEFT JOIN (tickets t JOIN bookings b ON b.id = t.booking_id"	\
	"   AND b.status IN ('confirmed', 'completed', 'no_show'))"	\
	"   ON t.showtime_id = s.id AND t.status = 'valid'"		\
	" WHERE s.status <> 'canceled'"					\
	"  AND s.starts_at >= $1::date::timestamptz"			\
	"  AND s.starts_at < ($2::date + 1)::timestamptz"

static const char *naive_sql(enum cnt_report_by by)
{
	switch (by) {
	case CNT_REPORT_BY_FILM:
		return NAIVE("s.movie_id", "(SELECT title FROM movies WHERE id = s.movie_id)",
		    "s2.movie_id = s.movie_id")
		    " GROUP BY s.movie_id ORDER BY 2, 1";
	case CNT_REPORT_BY_THEATRE:
		return NAIVE("s.theatre_id", "(SELECT name FROM theatres WHERE id = s.theatre_id)",
		    "s2.theatre_id = s.theatre_id")
		    " GROUP BY s.theatre_id ORDER BY 2, 1";
	default:
		return NAIVE("0", "s.starts_at::date",
		    "s2.starts_at::date = min(s.starts_at)::date")
		    " GROUP BY s.starts_at::date ORDER BY 2";
	}
}

static void
must(PGconn *pg, PGresult *res, ExecStatusType want, const char *what)
{
	if (PQresultStatus(res) != want) {
		fprintf(stderr, "bench-reports: %s: %s", what, PQerrorMessage(pg));
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	struct cnt_config cfg;
	struct cnt_error err;
	struct cnt_actor admin = { 1, CNT_ROLE_ADMIN };
	enum cnt_report_by by;
	double	cin[MAX_RUNS], ref[MAX_RUNS];
	int64_t	cin_tickets = 0, cin_money = 0, ref_tickets = 0, ref_money = 0;
	int	runs;

	if (argc != 5 || cnt_report_by_parse(argv[1], &by) != CNT_OK ||
	    (runs = atoi(argv[4])) < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench-reports film|theatre|day FROM TO RUNS\n");
		return 2;
	}
	cnt_config_init(&cfg);
	if (cnt_config_load_env(&cfg, &err) != CNT_OK) {
		fprintf(stderr, "bench-reports: %s\n", err.msg);
		return 2;
	}
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);
	for (int i = 0; i < runs; i++) {
		struct cnt_report r;
		double t0 = now_ms();

		if (cnt_report_run(ctx, &admin, by, argv[2], argv[3], &r,
		    &err) != CNT_OK) {
			fprintf(stderr, "bench-reports: report: %s\n", err.msg);
			return 2;
		}
		cin[i] = now_ms() - t0;
		cin_tickets = r.total.tickets;
		cin_money = r.total.realized_cents + r.total.potential_cents;
		cnt_report_free(&r);
	}
	cnt_ctx_free(ctx);

	PGconn *pg = PQconnectdb("");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "bench-reports: %s", PQerrorMessage(pg));
		return 2;
	}
	PGresult *res = PQexec(pg, "BEGIN; DROP INDEX tickets_showtime_report");
	must(pg, res, PGRES_COMMAND_OK, "drop index");
	PQclear(res);
	const char *p[2] = { argv[2], argv[3] };
	int	nref = runs < REF_RUNS ? runs : REF_RUNS;
	for (int i = 0; i < nref; i++) {
		double t0 = now_ms();

		res = PQexecParams(pg, naive_sql(by), 2, NULL, p, NULL, NULL, 0);
		ref[i] = now_ms() - t0;
		must(pg, res, PGRES_TUPLES_OK, "naive report");
		ref_tickets = ref_money = 0;
		for (int row = 0; row < PQntuples(res); row++) {
			ref_money += atoll(PQgetvalue(res, row, 3)) +
			    atoll(PQgetvalue(res, row, 4));
			ref_tickets += atoll(PQgetvalue(res, row, 5));
		}
		PQclear(res);
	}
	PQclear(PQexec(pg, "ROLLBACK"));
	PQfinish(pg);

	if (ref_tickets != cin_tickets || ref_money != cin_money) {
		fprintf(stderr, "bench-reports: naive report differs: %lld tickets"
		    " %lld cents, cinetty %lld tickets %lld cents\n",
		    (long long)ref_tickets, (long long)ref_money,
		    (long long)cin_tickets, (long long)cin_money);
		return 2;
	}
	qsort(cin, (size_t)runs, sizeof(double), cmp_double);
	qsort(ref, (size_t)nref, sizeof(double), cmp_double);
	printf("p50_ms=%.1f p95_ms=%.1f ref_p50_ms=%.1f ref_p95_ms=%.1f tickets=%lld\n",
	    pct(cin, runs, 50), pct(cin, runs, 95), pct(ref, nref, 50),
	    pct(ref, nref, 95), (long long)cin_tickets);
	return 0;
}
