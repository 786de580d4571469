/*
 * bench-hold.c - measure the booking hot path through libcinetty.
 *
 *   bench-hold hold    CLIENTS SECONDS   4-seat holds on free seats
 *   bench-hold pair    CLIENTS SECONDS   hold + confirm (card) pairs
 *   bench-hold contend CLIENTS ATTEMPTS  1-4 random seats of one showtime
 *
 * The database must hold the bench data made by tests/bench/run.sh: showtimes
 * of the "Bench Hall" (200 seats) and accounts bench0001... Each client is a
 * thread with its own context (connection) and account. In hold and pair
 * modes the clients work on disjoint showtimes, so nothing conflicts: this
 * measures throughput. In contend mode every client fights over the seats of
 * one 100-seat showtime and holds are short, so seats keep cycling.
 * Prints one "key=value" line of results.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cinetty.h"
#include "bench-util.h"

#define SEATS_PER_SHOW	200
#define HOLD_SEATS	4

struct client {
	int		index;
	int64_t		account_id;
	int64_t	       *shows;		/* this client's showtimes */
	size_t		nshows;
	long		ok, conflicts, errors;
	double	       *lat;		/* contend: latencies in ms */
	size_t		nlat;
	unsigned	seed;
};

static const char *mode;
static int	nclients;
static double	seconds;
static long	attempts_total;
static atomic_long attempts_left;
static int64_t	*seat_ids;		/* of the Bench Hall, ordered */
static int64_t	contend_show;
static int64_t	contend_seats[100];
static struct cnt_config cfg;
static pthread_barrier_t ready;		/* all connected: start the clock */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static PGresult *
query(PGconn *pg, const char *sql)
{
	PGresult *res = PQexec(pg, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "bench-hold: %s: %s", sql, PQerrorMessage(pg));
		exit(2);
	}
	return res;
}

static void
run_hold(struct client *c, struct cnt_ctx *ctx, bool confirm)
{
	struct cnt_actor actor = { c->account_id, CNT_ROLE_CUSTOMER };
	struct cnt_error err;
	struct cnt_payment_input pay;
	double		end = now_s() + seconds;
	size_t		show = 0;
	int		block = 0;

	memset(&pay, 0, sizeof pay);
	pay.method = CNT_PAY_CARD;
	pay.card.number = "4242 4242 4242 4242";
	pay.card.exp_month = 12;
	pay.card.exp_year = 2035;
	pay.card.cvc = "123";
	while (now_s() < end) {
		struct cnt_hold hold;
		struct cnt_booking bk;

		/* Each (showtime, block of 4 seats) is used once. */
		if (cnt_hold_seats(ctx, &actor, c->shows[show],
		    &seat_ids[block * HOLD_SEATS], HOLD_SEATS, &hold,
		    &err) != CNT_OK) {
			if (err.kind == CNT_E_CONFLICT)
				c->conflicts++;
			else if (c->errors++ == 0)
				fprintf(stderr, "bench-hold: %s\n", err.msg);
		} else {
			if (!confirm)
				c->ok++;
			else if (cnt_booking_confirm(ctx, &actor, hold.hold_id,
			    NULL, 0, &pay, &bk, &err) == CNT_OK) {
				c->ok++;
				cnt_booking_free(&bk);
			} else if (c->errors++ == 0)
				fprintf(stderr, "bench-hold: confirm: %s\n",
				    err.msg);
			cnt_hold_free(&hold);
		}
		if (++show == c->nshows) {
			show = 0;
			if (++block == SEATS_PER_SHOW / HOLD_SEATS) {
				fprintf(stderr, "bench-hold: out of seats\n");
				break;
			}
		}
	}
}

static void
run_contend(struct client *c, struct cnt_ctx *ctx)
{
	struct cnt_actor actor = { c->account_id, CNT_ROLE_CUSTOMER };
	struct cnt_error err;

	c->lat = malloc(sizeof *c->lat * (size_t)attempts_total);
	while (atomic_fetch_sub(&attempts_left, 1) > 0) {
		int64_t		want[4];
		int		n = 1 + (int)(rand_r(&c->seed) % 4), i, j;
		struct cnt_hold	hold;
		double		t0;

		for (i = 0; i < n; i++) {
again:
			want[i] = contend_seats[rand_r(&c->seed) % 100];
			for (j = 0; j < i; j++)
				if (want[j] == want[i])
					goto again;
		}
		t0 = now_s();
		/* short holds (2 s) so seats keep cycling */
		if (cnt_hold_seats_for(ctx, &actor, contend_show, want,
		    (size_t)n, 2, &hold, &err) == CNT_OK) {
			c->ok++;
			cnt_hold_free(&hold);
		} else if (err.kind == CNT_E_CONFLICT)
			c->conflicts++;
		else if (c->errors++ == 0)
			fprintf(stderr, "bench-hold: %s\n", err.msg);
		c->lat[c->nlat++] = (now_s() - t0) * 1000;
	}
}

/* Connect first (a loaded machine may need a few tries), wait for every
 * client, then run: the figures exclude connection set-up, as pgbench's
 * "without initial connection time" does. */
static void *
client_main(void *arg)
{
	struct client  *c = arg;
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);
	struct cnt_error err;
	int		i;

	for (i = 0; i < 10 && cnt_db_ping(ctx, &err) != CNT_OK; i++)
		;
	if (i == 10) {
		fprintf(stderr, "bench-hold: %s\n", err.msg);
		c->errors++;
	}
	pthread_barrier_wait(&ready);
	if (c->errors == 0) {
		if (strcmp(mode, "contend") == 0)
			run_contend(c, ctx);
		else
			run_hold(c, ctx, strcmp(mode, "pair") == 0);
	}
	cnt_ctx_free(ctx);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct cnt_error err;
	struct client  *cl;
	pthread_t      *th;
	PGconn	       *pg;
	PGresult       *res;
	int		i, nshow;
	double		t0, elapsed;
	long		ok = 0, conflicts = 0, errors = 0;

	if (argc != 4 || (strcmp(argv[1], "hold") != 0 &&
	    strcmp(argv[1], "pair") != 0 && strcmp(argv[1], "contend") != 0)) {
		fprintf(stderr, "usage: bench-hold hold|pair CLIENTS SECONDS\n"
		    "       bench-hold contend CLIENTS ATTEMPTS\n");
		return 2;
	}
	mode = argv[1];
	nclients = atoi(argv[2]);
	if (strcmp(mode, "contend") == 0)
		attempts_total = atol(argv[3]);
	else
		seconds = atof(argv[3]);
	if (nclients < 1 || nclients > 256 || (seconds <= 0 &&
	    attempts_total <= 0)) {
		fprintf(stderr, "bench-hold: bad numbers\n");
		return 2;
	}
	cnt_config_init(&cfg);
	if (cnt_config_load_env(&cfg, &err) != CNT_OK) {
		fprintf(stderr, "bench-hold: %s\n", err.msg);
		return 2;
	}
	cnt_log_init(CNT_LOG_ERROR, stderr);

	pg = PQconnectdb("");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "bench-hold: %s", PQerrorMessage(pg));
		return 2;
	}
	res = query(pg, "SELECT s.id FROM seats s JOIN theatres t ON"
	    " t.id = s.theatre_id WHERE t.name = 'Bench Hall' ORDER BY s.id");
	if (PQntuples(res) != SEATS_PER_SHOW) {
		fprintf(stderr, "bench-hold: no bench data (run run.sh)\n");
		return 2;
	}
	seat_ids = calloc(SEATS_PER_SHOW, sizeof *seat_ids);
	for (i = 0; i < SEATS_PER_SHOW; i++)
		seat_ids[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	PQclear(res);

	cl = calloc((size_t)nclients, sizeof *cl);
	th = calloc((size_t)nclients, sizeof *th);
	res = query(pg, "SELECT id FROM accounts WHERE username LIKE"
	    " 'bench%' ORDER BY id");
	if (PQntuples(res) < nclients) {
		fprintf(stderr, "bench-hold: need %d bench accounts\n", nclients);
		return 2;
	}
	for (i = 0; i < nclients; i++) {
		cl[i].index = i;
		cl[i].account_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		cl[i].seed = 12345u + (unsigned)i;
	}
	PQclear(res);

	if (strcmp(mode, "contend") == 0) {
		/* A fresh 100-seat showtime: the bench's first free one, with
		 * only its first 100 seats in play. */
		res = query(pg, "SELECT st.id FROM showtimes st JOIN theatres t"
		    " ON t.id = st.theatre_id WHERE t.name = 'Bench Hall'"
		    " AND NOT EXISTS (SELECT 1 FROM showtime_seats ss WHERE"
		    " ss.showtime_id = st.id AND ss.state <> 'free')"
		    " ORDER BY st.starts_at DESC LIMIT 1");
		if (PQntuples(res) != 1) {
			fprintf(stderr, "bench-hold: no free showtime left\n");
			return 2;
		}
		contend_show = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		memcpy(contend_seats, seat_ids, sizeof contend_seats);
		atomic_store(&attempts_left, attempts_total);
	} else {
		/* Disjoint showtimes per client, untouched ones only. */
		res = query(pg, "SELECT st.id FROM showtimes st JOIN theatres t"
		    " ON t.id = st.theatre_id WHERE t.name = 'Bench Hall'"
		    " AND NOT EXISTS (SELECT 1 FROM showtime_seats ss WHERE"
		    " ss.showtime_id = st.id AND ss.state <> 'free')"
		    " ORDER BY st.starts_at LIMIT 4000");
		nshow = PQntuples(res);
		if (nshow < nclients * 4) {
			fprintf(stderr, "bench-hold: too few free showtimes\n");
			return 2;
		}
		for (i = 0; i < nclients; i++) {
			int	k, per = nshow / nclients;

			cl[i].shows = calloc((size_t)per, sizeof(int64_t));
			cl[i].nshows = (size_t)per;
			for (k = 0; k < per; k++)
				cl[i].shows[k] = strtoll(PQgetvalue(res,
				    i * per + k, 0), NULL, 10);
		}
		PQclear(res);
	}

	pthread_barrier_init(&ready, NULL, (unsigned)nclients + 1);
	for (i = 0; i < nclients; i++)
		pthread_create(&th[i], NULL, client_main, &cl[i]);
	pthread_barrier_wait(&ready);
	t0 = now_s();
	for (i = 0; i < nclients; i++)
		pthread_join(th[i], NULL);
	elapsed = now_s() - t0;
	pthread_barrier_destroy(&ready);

	for (i = 0; i < nclients; i++) {
		ok += cl[i].ok;
		conflicts += cl[i].conflicts;
		errors += cl[i].errors;
	}
	if (strcmp(mode, "contend") == 0) {
		double *all = malloc(sizeof *all * (size_t)attempts_total);
		size_t	n = 0, k;
		long	doubles;

		for (i = 0; i < nclients; i++)
			for (k = 0; k < cl[i].nlat; k++)
				all[n++] = cl[i].lat[k];
		qsort(all, n, sizeof *all, cmp_double);
		/* Sold or held twice would need two live rows for a seat, or
		 * a live seat claimed by two holds: count both. */
		{
			char	q[512];

			snprintf(q, sizeof q, "SELECT (SELECT count(*) FROM"
			    " (SELECT seat_id FROM tickets WHERE showtime_id ="
			    " %lld AND status = 'valid' GROUP BY seat_id HAVING"
			    " count(*) > 1) d) + (SELECT count(*) FROM"
			    " (SELECT seat_id FROM showtime_seats WHERE"
			    " showtime_id = %lld GROUP BY seat_id HAVING"
			    " count(*) > 1) e)", (long long)contend_show,
			    (long long)contend_show);
			res = query(pg, q);
			doubles = atol(PQgetvalue(res, 0, 0));
			PQclear(res);
		}
		printf("mode=contend clients=%d attempts=%zu seconds=%.2f"
		    " attempts_per_s=%.0f ok=%ld conflicts=%ld errors=%ld"
		    " p50_ms=%.2f p99_ms=%.2f max_ms=%.2f double_sales=%ld\n",
		    nclients, n, elapsed, n / elapsed, ok, conflicts, errors,
		    n ? all[n / 2] : 0, n ? all[(size_t)(n * 0.99)] : 0,
		    n ? all[n - 1] : 0, doubles);
		free(all);
	} else
		printf("mode=%s clients=%d seconds=%.2f ok=%ld per_s=%.0f"
		    " conflicts=%ld errors=%ld\n", mode, nclients, elapsed, ok,
		    ok / elapsed, conflicts, errors);
	for (i = 0; i < nclients; i++) {
		free(cl[i].shows);
		free(cl[i].lat);
	}
	free(cl);
	free(th);
	free(seat_ids);
	PQfinish(pg);
	cnt_config_free(&cfg);
	return errors > 0 ? 1 : 0;
}
