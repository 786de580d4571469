/*
 * bench-lateness.c - how late the worker releases expired holds.
 *
 *   bench-lateness HOLDS SPREAD_SECONDS
 *
 * Makes HOLDS one-seat holds on the bench showtimes (tests/bench/run.sh)
 * whose deadlines fall evenly over SPREAD_SECONDS, starting once all of
 * them can have been made (the rate of the first 200 decides when), while
 * a `cinetty worker` runs. A hold whose deadline passed before it could be
 * made is not counted (reported as skipped). Every 20 ms, from the first
 * measured hold on (so also while the last ones are still being made on a
 * loaded machine), looks up the seats of the holds past their deadline
 * (by primary key) and records, for each hold, the time its seat stopped
 * being held:
 * lateness = that time - its deadline. Prints p50/p99/max in ms and how many
 * were never released within deadline + 30 s.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cinetty.h"
#include "bench-util.h"

struct h {
	int64_t	id;
	int64_t	show, seat;	/* its one seat */
	double	deadline;	/* wall clock seconds */
	bool	known;		/* deadline read from the database */
	double	released;	/* 0 until seen free */
	bool	skip;		/* not measured (timing hold, or too late) */
};

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_h(const void *a, const void *b)
{
	int64_t	x = ((const struct h *)a)->id, y = ((const struct h *)b)->id;

	return x < y ? -1 : x > y;
}

/*
 * Of the holds in HS (LEARN: those whose exact deadline is not known yet;
 * else those not yet seen released whose deadline is before NOW), the
 * ones whose seat is still held by them, with their deadline in epoch
 * seconds. Primary-key lookups of the holds' seats only, so watching
 * every 20 ms costs the server little.
 */
static PGresult *
held_query(PGconn *pg, const struct h *hs, int n, double now, bool learn)
{
	size_t	cap = (size_t)n * 24 + 8, len[3] = { 0, 0, 0 };
	char   *arr[3];
	const char *p[3];
	PGresult *res;
	int	i, k, count = 0;

	for (k = 0; k < 3; k++) {
		arr[k] = malloc(cap);
		arr[k][len[k]++] = '{';
	}
	for (i = 0; i < n; i++) {
		int64_t	v[3] = { hs[i].id, hs[i].show, hs[i].seat };

		if (hs[i].skip || (learn ? hs[i].known : !hs[i].known ||
		    hs[i].released != 0 || now < hs[i].deadline))
			continue;
		for (k = 0; k < 3; k++)
			len[k] += (size_t)snprintf(arr[k] + len[k], cap - len[k],
			    "%s%lld", count > 0 ? "," : "", (long long)v[k]);
		count++;
	}
	for (k = 0; k < 3; k++) {
		snprintf(arr[k] + len[k], cap - len[k], "}");
		p[k] = arr[k];
	}
	res = PQexecParams(pg, "SELECT u.id, extract(epoch FROM"
	    " ss.hold_expires)::float8 FROM unnest($1::bigint[], $2::bigint[],"
	    " $3::bigint[]) u(id, show, seat) JOIN showtime_seats ss"
	    " ON ss.showtime_id = u.show AND ss.seat_id = u.seat"
	    " AND ss.hold_id = u.id AND ss.state = 'held'", 3, NULL, p, NULL,
	    NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "bench-lateness: %s", PQerrorMessage(pg));
		exit(2);
	}
	for (k = 0; k < 3; k++)
		free(arr[k]);
	return res;
}

/*
 * One look at the holds HS[0..N) (made so far; ids ascending): learn the
 * exact deadlines of new ones (the API gives whole seconds), then note
 * the time NOW for those past their deadline whose seat is no longer
 * held. Returns how many were newly seen released.
 */
static int
watch_step(PGconn *pg, struct h *hs, int n, double now)
{
	PGresult       *res;
	int64_t	       *held;
	size_t		nheld;
	int		i, seen = 0;

	res = held_query(pg, hs, n, now, true);
	for (i = 0; i < PQntuples(res); i++) {
		struct h key = { .id = strtoll(PQgetvalue(res, i, 0), NULL, 10) };
		struct h *found = bsearch(&key, hs, (size_t)n, sizeof *hs,
		    cmp_h);

		if (found != NULL) {
			found->deadline = atof(PQgetvalue(res, i, 1));
			found->known = true;
		}
	}
	PQclear(res);
	res = held_query(pg, hs, n, now, false);
	nheld = (size_t)PQntuples(res);
	held = calloc(nheld + 1, sizeof *held);
	for (i = 0; i < (int)nheld; i++)
		held[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	PQclear(res);
	qsort(held, nheld, sizeof *held, cmp_i64);
	for (i = 0; i < n; i++) {
		if (hs[i].skip || !hs[i].known || hs[i].released != 0 ||
		    now < hs[i].deadline)
			continue;
		if (bsearch(&hs[i].id, held, nheld, sizeof *held,
		    cmp_i64) == NULL) {
			hs[i].released = now;
			seen++;
		}
	}
	free(held);
	return seen;
}

/* The first column of SQL's rows as numbers (calloc'd, one spare); *N
 * gets how many. */
static int64_t *
ids(PGconn *pg, const char *sql, int *n)
{
	PGresult *res = PQexec(pg, sql);
	int64_t	*v;
	int	i;

	*n = PQntuples(res);
	v = calloc((size_t)*n + 1, sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	PQclear(res);
	return v;
}

int
main(int argc, char **argv)
{
	struct cnt_config cfg;
	struct cnt_error err;
	struct cnt_ctx *ctx;
	struct h       *hs;
	PGconn	       *pg;
	PGresult       *res;
	int		nholds, spread, i, nshows, nseats, pending;
	int64_t	       *shows, *seats, account;
	double		start, t_first = 0, last_step = 0, *late;
	int		nlate = 0, lost = 0, skipped = 0;

	if (argc != 3 || (nholds = atoi(argv[1])) < 1 ||
	    (spread = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: bench-lateness HOLDS SPREAD_SECONDS\n");
		return 2;
	}
	cnt_config_init(&cfg);
	if (cnt_config_load_env(&cfg, &err) != CNT_OK) {
		fprintf(stderr, "bench-lateness: %s\n", err.msg);
		return 2;
	}
	cnt_log_init(CNT_LOG_ERROR, stderr);
	ctx = cnt_ctx_new(&cfg);
	pg = PQconnectdb("");
	shows = ids(pg, "SELECT st.id FROM showtimes st JOIN theatres t ON"
	    " t.id = st.theatre_id WHERE t.name = 'Bench Hall' AND NOT EXISTS"
	    " (SELECT 1 FROM showtime_seats ss WHERE ss.showtime_id = st.id"
	    " AND ss.state <> 'free') ORDER BY st.starts_at DESC LIMIT 1000",
	    &nshows);
	seats = ids(pg, "SELECT s.id FROM seats s JOIN theatres t ON t.id ="
	    " s.theatre_id WHERE t.name = 'Bench Hall' ORDER BY s.id", &nseats);
	res = PQexec(pg, "SELECT min(id) FROM accounts WHERE username LIKE 'bench%'");
	account = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (nshows * nseats < nholds || account == 0) {
		fprintf(stderr, "bench-lateness: not enough bench data\n");
		return 2;
	}

	/* One account can have one hold per showtime: use many accounts'
	 * worth by giving each hold its own (showtime, account) pair -
	 * here, showtime i % nshows and the i / nshows-th bench account. */
	hs = calloc((size_t)nholds, sizeof *hs);
	start = 0;
	for (i = 0; i < nholds; i++) {
		struct cnt_actor actor = { account + i / nshows,
		    CNT_ROLE_CUSTOMER };
		struct cnt_hold	hold;
		double		deadline;
		int		life;

		/* The first 200 holds (long-lived, not measured) time the
		 * rate; deadlines start when the rest will all exist. */
		if (i == 200 || (i < 200 && i == nholds - 1)) {
			double rate = (i + 1) / (wall() - t_first);

			start = wall() + 3 + 1.5 * (nholds - i) / rate;
		}
		if (i == 0)
			t_first = wall();
		deadline = start + (double)spread * i / nholds;
		life = start == 0 ? 3600 : (int)(deadline - wall() + 0.999);
		if (life < 1) {
			hs[i].skip = true;
			life = 1;
		}
		if (cnt_hold_seats_for(ctx, &actor, shows[i % nshows],
		    &seats[i / nshows], 1, life, &hold, &err) != CNT_OK) {
			fprintf(stderr, "bench-lateness: hold %d: %s\n", i,
			    err.msg);
			return 2;
		}
		hs[i].id = hold.hold_id;
		hs[i].show = shows[i % nshows];
		hs[i].seat = seats[i / nshows];
		if (start == 0)
			hs[i].skip = true;
		hs[i].deadline = (double)hold.expires_at;
		cnt_hold_free(&hold);
		/* Watch while still making holds: on a loaded machine the
		 * first deadlines may come before the last hold is made. */
		if (start != 0 && wall() - last_step >= 0.02) {
			last_step = wall();
			watch_step(pg, hs, i + 1, last_step);
		}
	}
	fprintf(stderr, "bench-lateness: %d holds made, watching\n", nholds);
	pending = 0;
	for (i = 0; i < nholds; i++)
		if (!hs[i].skip && hs[i].released == 0)
			pending++;
	while (pending > 0) {
		double	now = wall();

		pending -= watch_step(pg, hs, nholds, now);
		if (now > start + spread + 30)
			break;
		usleep(20000);
	}
	late = calloc((size_t)nholds, sizeof *late);
	for (i = 0; i < nholds; i++) {
		if (hs[i].skip)
			skipped++;
		else if (hs[i].released == 0)
			lost++;
		else
			late[nlate++] = (hs[i].released - hs[i].deadline) * 1000;
	}
	qsort(late, (size_t)nlate, sizeof *late, cmp_double);
	printf("holds=%d spread_s=%d skipped=%d released=%d p50_ms=%.0f"
	    " p99_ms=%.0f max_ms=%.0f not_released=%d\n", nholds, spread,
	    skipped, nlate,
	    nlate ? late[nlate / 2] : 0, nlate ? late[(int)(nlate * 0.99)] : 0,
	    nlate ? late[nlate - 1] : 0, lost);
	free(late);
	free(hs);
	free(shows);
	free(seats);
	PQfinish(pg);
	cnt_ctx_free(ctx);
	cnt_config_free(&cfg);
	return 0;
}
