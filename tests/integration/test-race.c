/*
 * test-race.c - THE race: 64 clients, each a thread with its own context,
 * connection and account, make 10,000 hold attempts of 1-4 random seats on
 * one 100-seat showtime, and pay for every hold they get (so holds do not
 * replace each other and the house fills up). Afterwards:
 *  - no seat was sold twice (checked in memory as holds succeed, and in the
 *    database: tickets, seat states);
 *  - every failed attempt was CONFLICT "Seat taken" (no deadlock, no other
 *    error reached the caller, and PostgreSQL counted no deadlocks);
 *  - seats sold == seats in successful holds, and the house is full.
 * Prints attempts/s, latency and success/refusal counts (a figure, not an
 * assertion).
 */
#include <pthread.h>
#include <time.h>

#include "test-booking.h"

#define CLIENTS		64
#define ATTEMPTS	10000
#define ROWS		10
#define PER_ROW		10

struct race {
	int64_t		 show;
	int64_t		 seat_ids[ROWS * PER_ROW];
	struct cnt_actor actors[CLIENTS];
	pthread_barrier_t start;
	pthread_mutex_t	 lock;
	int64_t		 owner[ROWS * PER_ROW];	/* booking that got it */
	int		 next;			/* attempts handed out */
	int		 ok, refused, other, doubles, seats_won, confirm_fail;
	char		 first_other[600];
	double		*lat_ms;		/* per attempt */
};

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

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct client {
	struct race	*race;
	int		 index;
};

/* Index of SEAT in race->seat_ids. */
static int
seat_index(const struct race *r, int64_t seat)
{
	int	i;

	for (i = 0; i < ROWS * PER_ROW; i++)
		if (r->seat_ids[i] == seat)
			return i;
	return -1;
}

/*
 * A context for one client with a long statement timeout (this test is
 * about correctness, not latency: on a loaded 2-core machine 64 busy
 * backends can take seconds over one statement), connected before the
 * start line; connecting is retried for a minute, as 64 connections
 * opening at once on an overloaded machine can miss the 5 s timeout.
 */
static struct cnt_ctx *
client_ctx(void)
{
	struct cnt_config cfg;
	struct cnt_ctx	*cx;
	struct cnt_error err;
	int		 i;

	test_config(&cfg);
	cfg.statement_timeout_ms = 120000;
	cx = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	for (i = 0; i < 60 && cnt_db_ping(cx, &err) != CNT_OK; i++)
		sleep(1);
	return cx;
}

static void *
client_run(void *arg)
{
	struct client	*c = arg;
	struct race	*r = c->race;
	const struct cnt_actor *me = &r->actors[c->index];
	struct cnt_ctx	*cx;
	struct cnt_error err;
	struct cnt_hold	 h;
	struct cnt_booking bk;
	unsigned	 seed = (unsigned)(c->index * 7919 + 17);
	int64_t		 want[4];
	int		 attempt, n, i, k, rc;
	double		 t0;

	cx = client_ctx();
	pthread_barrier_wait(&r->start);
	for (;;) {
		pthread_mutex_lock(&r->lock);
		attempt = r->next < ATTEMPTS ? r->next++ : -1;
		pthread_mutex_unlock(&r->lock);
		if (attempt < 0)
			break;
		n = 1 + rand_r(&seed) % 4;
		for (i = 0; i < n; i++) {
			do {
				want[i] = r->seat_ids[rand_r(&seed) %
				    (ROWS * PER_ROW)];
				for (k = 0; k < i && want[k] != want[i]; k++)
					;
			} while (k < i);
		}
		t0 = now_ms();
		rc = cnt_hold_seats(cx, me, r->show, want, (size_t)n, &h, &err);
		r->lat_ms[attempt] = now_ms() - t0;
		if (rc != CNT_OK) {
			pthread_mutex_lock(&r->lock);
			if (err.kind == CNT_E_CONFLICT &&
			    strstr(err.msg, "Seat taken") != NULL)
				r->refused++;
			else if (r->other++ == 0)
				snprintf(r->first_other, sizeof r->first_other,
				    "%s: %s [%s]", cnt_errkind_name(err.kind),
				    err.msg, err.sqlstate);
			pthread_mutex_unlock(&r->lock);
			continue;
		}
		rc = cnt_booking_confirm(cx, me, h.hold_id, NULL, 0,
		    &bk_card_ok, &bk, &err);
		pthread_mutex_lock(&r->lock);
		r->ok++;
		r->seats_won += (int)h.nseats;
		if (rc != CNT_OK) {
			if (r->confirm_fail++ == 0)
				snprintf(r->first_other, sizeof r->first_other,
				    "confirm: %s", err.msg);
		} else {
			for (i = 0; i < (int)h.nseats; i++) {
				k = seat_index(r, h.seats[i].seat_id);
				if (k < 0 || r->owner[k] != 0)
					r->doubles++;
				else
					r->owner[k] = bk.id;
			}
			cnt_booking_free(&bk);
		}
		pthread_mutex_unlock(&r->lock);
		cnt_hold_free(&h);
	}
	cnt_ctx_free(cx);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
test_race_hold(void **state)
{
	static const char layout[] =
	    "SSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\n"
	    "SSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\n";
	struct race	*r = xcalloc(1, sizeof *r);
	struct client	 clients[CLIENTS];
	pthread_t	 th[CLIENTS];
	int64_t		 deadlocks0, deadlocks1;
	double		 t0, secs;
	char		 label[8];
	int		 i;

	(void)state;
	r->show = bk_show_at(ctx, "now() + interval '1 day'", layout);
	for (i = 0; i < ROWS * PER_ROW; i++) {
		snprintf(label, sizeof label, "%c%d", 'A' + i / PER_ROW,
		    i % PER_ROW + 1);
		r->seat_ids[i] = bk_seat(ctx, r->show, label);
	}
	for (i = 0; i < CLIENTS; i++)
		r->actors[i] = bk_account(ctx, "customer");
	r->lat_ms = xcalloc(ATTEMPTS, sizeof *r->lat_ms);
	pthread_barrier_init(&r->start, NULL, CLIENTS + 1);
	pthread_mutex_init(&r->lock, NULL);
	deadlocks0 = sql_i64(ctx, "SELECT deadlocks FROM pg_stat_database"
	    " WHERE datname = current_database()", NULL, NULL, NULL);

	for (i = 0; i < CLIENTS; i++) {
		clients[i].race = r;
		clients[i].index = i;
		if (pthread_create(&th[i], NULL, client_run, &clients[i]) != 0)
			fail_msg("pthread_create failed");
	}
	pthread_barrier_wait(&r->start);
	t0 = now_ms();
	for (i = 0; i < CLIENTS; i++)
		pthread_join(th[i], NULL);
	secs = (now_ms() - t0) / 1e3;

	qsort(r->lat_ms, ATTEMPTS, sizeof *r->lat_ms, cmp_double);
	printf("race: %d clients, %d attempts of 1-4 seats on a %d-seat"
	    " showtime in %.2f s = %.0f attempts/s; %d holds won (%d seats,"
	    " each paid), %d refused \"seat taken\", %d other errors;"
	    " latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
	    CLIENTS, ATTEMPTS, ROWS * PER_ROW, secs, ATTEMPTS / secs, r->ok,
	    r->seats_won, r->refused, r->other,
	    r->lat_ms[ATTEMPTS / 2], r->lat_ms[ATTEMPTS * 99 / 100],
	    r->lat_ms[ATTEMPTS - 1]);

	if (r->other > 0 || r->confirm_fail > 0)
		fail_msg("expected only \"seat taken\" refusals; %d other"
		    " errors, %d failed confirms, first: %s", r->other,
		    r->confirm_fail, r->first_other);
	assert_int_equal(r->ok + r->refused, ATTEMPTS);
	if (r->doubles > 0)
		fail_msg("%d seats were won twice", r->doubles);
	/* The database agrees: one valid ticket per sold seat, every seat
	 * sold (10,000 attempts fill 100 seats), none held or free. */
	assert_int_equal(r->seats_won, ROWS * PER_ROW);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'sold'", r->show),
	    ROWS * PER_ROW);
	assert_int_equal(bk_count(ctx, "SELECT count(DISTINCT seat_id) FROM"
	    " tickets WHERE showtime_id = $1 AND status = 'valid'", r->show),
	    ROWS * PER_ROW);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM tickets"
	    " WHERE showtime_id = $1", r->show), ROWS * PER_ROW);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1", r->show), r->ok);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats ss"
	    " JOIN tickets t ON t.showtime_id = ss.showtime_id"
	    " AND t.seat_id = ss.seat_id WHERE ss.showtime_id = $1"
	    " AND t.booking_id = ss.booking_id", r->show), ROWS * PER_ROW);
	usleep(700 * 1000);	/* backends report their stats as they exit */
	deadlocks1 = sql_i64(ctx, "SELECT deadlocks FROM pg_stat_database"
	    " WHERE datname = current_database()", NULL, NULL, NULL);
	if (deadlocks1 != deadlocks0)
		fail_msg("PostgreSQL counted %lld deadlocks during the race",
		    (long long)(deadlocks1 - deadlocks0));

	pthread_barrier_destroy(&r->start);
	pthread_mutex_destroy(&r->lock);
	free(r->lat_ms);
	free(r);
}

/*
 * Cancelling a showtime while customers are paying: 16 clients hold and pay
 * for seats one at a time while an admin cancels the showtime. Afterwards
 * no booking of it is still confirmed, no seat is sold, and every booking
 * made was refunded.
 */
#define CANCEL_CLIENTS	16

struct cancel_race {
	int64_t		 show;
	int64_t		 seat_ids[ROWS * PER_ROW];
	struct cnt_actor actors[CANCEL_CLIENTS];
	pthread_barrier_t start;
	pthread_mutex_t	 lock;
	int		 sold, other;
	char		 first_other[600];
};

struct cancel_client {
	struct cancel_race *race;
	int		 index;
};

static void *
cancel_client_run(void *arg)
{
	struct cancel_client *c = arg;
	struct cancel_race *r = c->race;
	struct cnt_ctx	*cx;
	struct cnt_error err;
	struct cnt_hold	 h;
	int		 i, per = ROWS * PER_ROW / CANCEL_CLIENTS;

	cx = client_ctx();
	pthread_barrier_wait(&r->start);
	for (i = 0; i < per; i++) {
		int64_t seat = r->seat_ids[c->index * per + i];
		bool	 ok;

		if (cnt_hold_seats(cx, &r->actors[c->index], r->show, &seat, 1,
		    &h, &err) != CNT_OK) {
			ok = err.kind == CNT_E_INVALID;	/* canceled */
		} else {
			ok = cnt_booking_confirm(cx, &r->actors[c->index],
			    h.hold_id, NULL, 0, &bk_card_ok, NULL, &err) ==
			    CNT_OK;
			if (ok) {
				pthread_mutex_lock(&r->lock);
				r->sold++;
				pthread_mutex_unlock(&r->lock);
			} else	/* hold released by the cancel, or canceled */
				ok = err.kind == CNT_E_CONFLICT ||
				    err.kind == CNT_E_INVALID;
			cnt_hold_free(&h);
		}
		if (!ok) {
			pthread_mutex_lock(&r->lock);
			if (r->other++ == 0)
				snprintf(r->first_other, sizeof r->first_other,
				    "%s: %s", cnt_errkind_name(err.kind),
				    err.msg);
			pthread_mutex_unlock(&r->lock);
		}
	}
	cnt_ctx_free(cx);
	return NULL;
}

static void
test_race_showtime_cancel(void **state)
{
	static const char layout[] =
	    "SSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\n"
	    "SSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\n";
	struct cancel_race *r = xcalloc(1, sizeof *r);
	struct cancel_client clients[CANCEL_CLIENTS];
	pthread_t	 th[CANCEL_CLIENTS];
	struct cnt_error err;
	char		 label[8];
	int		 i, refunded = -1;

	(void)state;
	r->show = bk_show_at(ctx, "now() + interval '1 day'", layout);
	for (i = 0; i < ROWS * PER_ROW; i++) {
		snprintf(label, sizeof label, "%c%d", 'A' + i / PER_ROW,
		    i % PER_ROW + 1);
		r->seat_ids[i] = bk_seat(ctx, r->show, label);
	}
	for (i = 0; i < CANCEL_CLIENTS; i++)
		r->actors[i] = bk_account(ctx, "customer");
	pthread_barrier_init(&r->start, NULL, CANCEL_CLIENTS + 1);
	pthread_mutex_init(&r->lock, NULL);
	for (i = 0; i < CANCEL_CLIENTS; i++) {
		clients[i].race = r;
		clients[i].index = i;
		if (pthread_create(&th[i], NULL, cancel_client_run,
		    &clients[i]) != 0)
			fail_msg("pthread_create failed");
	}
	pthread_barrier_wait(&r->start);
	/* Let some sales through, then cancel in the middle of the rest. */
	while (bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1", r->show) < 10)
		usleep(2000);
	assert_ok(cnt_showtime_cancel(ctx, &CNT_ACTOR_SYSTEM, r->show,
	    &refunded, &err), &err);
	for (i = 0; i < CANCEL_CLIENTS; i++)
		pthread_join(th[i], NULL);
	printf("cancel race: %d bookings made, %d refunded by the cancel,"
	    " %d unexpected errors\n", r->sold, refunded, r->other);
	if (r->other > 0)
		fail_msg("%d unexpected errors, first: %s", r->other,
		    r->first_other);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1 AND status = 'confirmed'", r->show), 0);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1 AND status = 'refunded'", r->show),
	    r->sold);
	assert_int_equal(refunded, r->sold);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'sold'", r->show), 0);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM tickets"
	    " WHERE showtime_id = $1 AND status = 'valid'", r->show), 0);
	pthread_barrier_destroy(&r->start);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_race_hold),
		cmocka_unit_test(test_race_showtime_cancel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
