/*
 * fault-load.c - a booking load through libcinetty for the fault tests.
 *
 *   fault-load CLIENTS SECONDS [HOLD_SECONDS]
 *   fault-load hold SHOWTIME N HOLD_SECONDS
 *
 * The second form holds the first N free seats of SHOWTIME once, as
 * customer fault01, and prints "held N" (for a person watching the map).
 *
 * Needs the data of tests/fault/lib.sh (fault_data): showtimes of the
 * "Fault Hall", customer accounts fault01... and the staff account
 * faultstaff. Each client is a thread with its own context and account. In
 * a loop it reads a seat map, holds 1-3 free seats for HOLD_SECONDS
 * (default 4), and then either leaves the hold to expire (1 in 4), or pays
 * by card; a paid booking of a show starting soon is checked in by staff,
 * one of a later show is canceled by its customer half of the time.
 *
 * FAULT_LOAD_SKIP=N leaves the first N showtimes alone.
 *
 * Conflicts (seats just taken by another client, a hold that expired before
 * it was paid) are normal under contention and counted apart. Anything else
 * is an error. Prints, per second of the run, the operations that
 * succeeded and the errors ("sec=N ok=N err=N"), then the totals per kind
 * ("hold_ok=N ..."), and the first error messages on stderr.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cinetty.h"

#define MAX_SECONDS	600
#define MAX_SHOWS	64

enum op { OP_MAP, OP_HOLD, OP_PAY, OP_CANCEL, OP_CHECKIN, OP_N };
static const char *const op_names[OP_N] = {
	"map", "hold", "pay", "cancel", "checkin"
};

struct client {
	int64_t		account_id;
	unsigned	seed;
	long		ok[OP_N], conflict[OP_N], err[OP_N];
	long		abandoned;
};

static struct cnt_config cfg;
static int64_t	staff_id;
static int64_t	shows[MAX_SHOWS];
static int	show_soon[MAX_SHOWS];	/* starts within the check-in window */
static int	nshows;
static double	t_start, seconds;
static int	hold_seconds = 4;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long	sec_ok[MAX_SECONDS], sec_err[MAX_SECONDS];
static int	nmsgs;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Count one operation's outcome (rc, err) in C and in the timeline. */
static void
record(struct client *c, enum op op, int rc, const struct cnt_error *err)
{
	int	sec = (int)(now_s() - t_start);
	int	bad = 0;

	if (rc == CNT_OK)
		c->ok[op]++;
	else if (err->kind == CNT_E_CONFLICT)
		c->conflict[op]++;
	else {
		c->err[op]++;
		bad = 1;
	}
	if (sec < 0 || sec >= MAX_SECONDS)
		return;
	pthread_mutex_lock(&lock);
	if (bad) {
		sec_err[sec]++;
		if (nmsgs++ < 20)
			fprintf(stderr, "fault-load: %.1f s: %s: %s (%s)\n",
			    now_s() - t_start, op_names[op], err->msg,
			    cnt_errkind_name(err->kind));
	} else if (rc == CNT_OK)
		sec_ok[sec]++;
	pthread_mutex_unlock(&lock);
}

/* One round: map, hold, then abandon, or pay and check in or cancel. */
static void
round_once(struct client *c, struct cnt_ctx *ctx)
{
	struct cnt_actor me = { c->account_id, CNT_ROLE_CUSTOMER };
	struct cnt_actor staff = { staff_id, CNT_ROLE_STAFF };
	struct cnt_payment_input pay;
	struct cnt_seatmap map;
	struct cnt_hold	hold;
	struct cnt_booking bk;
	struct cnt_error err;
	int64_t		want[3];
	int		k = (int)(rand_r(&c->seed) % 3) + 1, n = 0, rc;
	int		s = (int)(rand_r(&c->seed) % (unsigned)nshows);
	size_t		i, start;

	memset(&err, 0, sizeof err);
	rc = cnt_seatmap_get(ctx, &me, shows[s], &map, &err);
	record(c, OP_MAP, rc, &err);
	if (rc != CNT_OK)
		return;
	if (map.nseats == 0) {
		cnt_seatmap_free(&map);
		return;
	}
	start = rand_r(&c->seed) % map.nseats;
	for (i = 0; i < map.nseats && n < k; i++) {
		const struct cnt_seat *seat = &map.seats[(start + i) % map.nseats];

		if (seat->state == CNT_SEAT_FREE)
			want[n++] = seat->seat_id;
	}
	cnt_seatmap_free(&map);
	if (n == 0)
		return;
	rc = cnt_hold_seats_for(ctx, &me, shows[s], want, (size_t)n,
	    hold_seconds, &hold, &err);
	record(c, OP_HOLD, rc, &err);
	if (rc != CNT_OK)
		return;
	if (rand_r(&c->seed) % 4 == 0) {	/* walk away: it expires */
		c->abandoned++;
		cnt_hold_free(&hold);
		return;
	}
	memset(&pay, 0, sizeof pay);
	pay.method = CNT_PAY_CARD;
	pay.card.number = "4242 4242 4242 4242";
	pay.card.exp_month = 12;
	pay.card.exp_year = 2035;
	pay.card.cvc = "123";
	rc = cnt_booking_confirm(ctx, &me, hold.hold_id, NULL, 0, &pay, &bk,
	    &err);
	cnt_hold_free(&hold);
	record(c, OP_PAY, rc, &err);
	if (rc != CNT_OK)
		return;
	if (show_soon[s]) {
		struct cnt_booking in;

		rc = cnt_checkin(ctx, &staff, bk.code, NULL, 0, &in, &err);
		record(c, OP_CHECKIN, rc, &err);
		if (rc == CNT_OK)
			cnt_booking_free(&in);
	} else if (rand_r(&c->seed) % 2 == 0) {
		rc = cnt_booking_cancel(ctx, &me, bk.id, "fault test", NULL,
		    &err);
		record(c, OP_CANCEL, rc, &err);
	}
	cnt_booking_free(&bk);
}

static void *
client_main(void *arg)
{
	struct client  *c = arg;
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);

	while (now_s() - t_start < seconds)
		round_once(c, ctx);
	cnt_ctx_free(ctx);
	return NULL;
}

/* fault-load hold SHOWTIME N HOLD_SECONDS: one hold of N free seats. */
static int
hold_once(int64_t showtime, int n, int secs)
{
	struct cnt_actor me = { 0, CNT_ROLE_CUSTOMER };
	struct cnt_seatmap map;
	struct cnt_hold	hold;
	struct cnt_error err;
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);
	PGconn	       *pg = PQconnectdb("");
	PGresult       *res;
	int64_t	       *want = calloc((size_t)n, sizeof *want);
	size_t		i, k = 0;
	int		rc;

	res = PQexec(pg, "SELECT id FROM accounts WHERE username = 'fault01'");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		me.account_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(pg);
	memset(&err, 0, sizeof err);
	rc = me.account_id == 0 ? CNT_ERR :
	    cnt_seatmap_get(ctx, &me, showtime, &map, &err);
	if (rc == CNT_OK) {
		for (i = 0; i < map.nseats && k < (size_t)n; i++)
			if (map.seats[i].state == CNT_SEAT_FREE)
				want[k++] = map.seats[i].seat_id;
		cnt_seatmap_free(&map);
		rc = k == (size_t)n ? cnt_hold_seats_for(ctx, &me, showtime,
		    want, k, secs, &hold, &err) : CNT_ERR;
		if (rc == CNT_OK)
			cnt_hold_free(&hold);
	}
	if (rc == CNT_OK)
		printf("held %d\n", n);
	else
		fprintf(stderr, "fault-load: hold: %s\n", me.account_id == 0 ?
		    "no account fault01" : k < (size_t)n && err.msg[0] == '\0' ?
		    "not enough free seats" : err.msg);
	free(want);
	cnt_ctx_free(ctx);
	return rc == CNT_OK ? 0 : 1;
}

static PGresult *
query(PGconn *pg, const char *sql)
{
	PGresult *res = PQexec(pg, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "fault-load: %s: %s", sql, PQerrorMessage(pg));
		exit(2);
	}
	return res;
}

int
main(int argc, char **argv)
{
	struct client  *cl;
	struct cnt_error err;
	pthread_t      *th;
	PGconn	       *pg;
	PGresult       *res;
	int		nclients, i, j, last, skip;

	if ((argc < 3 || argc > 4) && !(argc == 5 &&
	    strcmp(argv[1], "hold") == 0)) {
		fprintf(stderr, "usage: fault-load CLIENTS SECONDS "
		    "[HOLD_SECONDS]\n"
		    "       fault-load hold SHOWTIME N HOLD_SECONDS\n");
		return 2;
	}
	if (argc == 5) {
		cnt_config_init(&cfg);
		if (cnt_config_load_env(&cfg, &err) != CNT_OK) {
			fprintf(stderr, "fault-load: %s\n", err.msg);
			return 2;
		}
		cnt_log_init(CNT_LOG_ERROR, stderr);
		i = hold_once(strtoll(argv[2], NULL, 10), atoi(argv[3]),
		    atoi(argv[4]));
		cnt_config_free(&cfg);
		return i;
	}
	nclients = atoi(argv[1]);
	seconds = atof(argv[2]);
	if (argc == 4)
		hold_seconds = atoi(argv[3]);
	if (nclients < 1 || nclients > 64 || seconds <= 0 ||
	    seconds >= MAX_SECONDS || hold_seconds < 1) {
		fprintf(stderr, "fault-load: bad numbers\n");
		return 2;
	}
	cnt_config_init(&cfg);
	if (cnt_config_load_env(&cfg, &err) != CNT_OK) {
		fprintf(stderr, "fault-load: %s\n", err.msg);
		return 2;
	}
	{
		enum cnt_loglevel level = CNT_LOG_ERROR;

		/* errors only, unless FAULT_LOAD_LOG=debug|info|warn */
		if (getenv("FAULT_LOAD_LOG") != NULL)
			(void)cnt_log_parse_level(getenv("FAULT_LOAD_LOG"),
			    &level);
		cnt_log_init(level, stderr);
	}

	pg = PQconnectdb("");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "fault-load: %s", PQerrorMessage(pg));
		return 2;
	}
	res = query(pg, "SELECT st.id, st.starts_at < now() + interval"
	    " '1 hour' FROM showtimes st JOIN theatres t ON t.id ="
	    " st.theatre_id WHERE t.name = 'Fault Hall' ORDER BY st.id");
	/* FAULT_LOAD_SKIP=N leaves the first N showtimes to a person. */
	skip = getenv("FAULT_LOAD_SKIP") != NULL ?
	    atoi(getenv("FAULT_LOAD_SKIP")) : 0;
	for (i = skip < 0 ? 0 : skip; i < PQntuples(res) &&
	    nshows < MAX_SHOWS; i++, nshows++) {
		shows[nshows] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		show_soon[nshows] = PQgetvalue(res, i, 1)[0] == 't';
	}
	PQclear(res);
	res = query(pg, "SELECT id FROM accounts WHERE username ="
	    " 'faultstaff'");
	staff_id = PQntuples(res) == 1 ?
	    strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	res = query(pg, "SELECT id FROM accounts WHERE username LIKE"
	    " 'fault__' ORDER BY id");
	if (nshows == 0 || staff_id == 0 || PQntuples(res) < nclients) {
		fprintf(stderr, "fault-load: no fault data (tests/fault/lib.sh"
		    " fault_data) for %d clients\n", nclients);
		return 2;
	}
	cl = calloc((size_t)nclients, sizeof *cl);
	th = calloc((size_t)nclients, sizeof *th);
	for (i = 0; i < nclients; i++) {
		cl[i].account_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		cl[i].seed = 4242u + (unsigned)i;
	}
	PQclear(res);
	PQfinish(pg);

	t_start = now_s();
	for (i = 0; i < nclients; i++)
		pthread_create(&th[i], NULL, client_main, &cl[i]);
	for (i = 0; i < nclients; i++)
		pthread_join(th[i], NULL);

	last = (int)(now_s() - t_start);
	for (i = 0; i <= last && i < MAX_SECONDS; i++)
		printf("sec=%d ok=%ld err=%ld\n", i, sec_ok[i], sec_err[i]);
	for (j = 0; j < OP_N; j++) {
		long	ok = 0, conflict = 0, bad = 0;

		for (i = 0; i < nclients; i++) {
			ok += cl[i].ok[j];
			conflict += cl[i].conflict[j];
			bad += cl[i].err[j];
		}
		printf("%s_ok=%ld %s_conflict=%ld %s_err=%ld\n", op_names[j],
		    ok, op_names[j], conflict, op_names[j], bad);
	}
	{
		long	ab = 0;

		for (i = 0; i < nclients; i++)
			ab += cl[i].abandoned;
		printf("abandoned=%ld\n", ab);
	}
	free(cl);
	free(th);
	return 0;
}
