/*
 * test-jobs-outage.c - booking survives Redis going away, and the worker
 * catches up when it returns: Redis is killed, then holds, confirm, cancel
 * and check-in still succeed (quickly); a hold expires and a show ends
 * while no job could be queued; Redis comes back and a worker's sweep
 * releases the hold and completes the booking within sweep_seconds.
 */
#include "test-booking.h"
#include "redis-own.h"

static volatile int worker_stop;

static void
on_term(int sig)
{
	(void)sig;
	worker_stop = 1;
}

static const char *const outage_sets[] = { "sweep_seconds=1",
	"complete_after_minutes=0", "redis_timeout_ms=200", "mail_command=",
	NULL };

/* Time a call, failing if it took more than MAX_MS. */
#define TIMED(what, max_ms, call) do {					\
	int64_t t_ = own_now_ms();					\
	call;								\
	t_ = own_now_ms() - t_;						\
	printf("# %s without Redis: %lld ms\n", what, (long long)t_);	\
	if (t_ > (max_ms))						\
		fail_msg("expected %s within %d ms without Redis, took "	\
		    "%lld ms", what, max_ms, (long long)t_);		\
} while (0)

static void
test_booking_survives_redis_and_sweep_catches_up(void **state)
{
	struct own_redis r;
	struct cnt_ctx *ctx;
	struct cnt_actor alice, bob;
	struct cnt_hold h1, h2, h3;
	struct cnt_booking bk, bk2;
	struct cnt_error err;
	int64_t		show, later, s[4], t;
	char		addr[300];
	pid_t		pid;
	int		i, st;

	(void)state;
	memset(&r, 0, sizeof r);
	own_redis_start(&r, "outage-own");
	snprintf(addr, sizeof addr, "unix:%s", r.sock);
	ctx = own_ctx(addr, outage_sets);
	alice = bk_account(ctx, "customer");
	bob = bk_account(ctx, "customer");
	show = bk_show(ctx);
	later = bk_show(ctx);
	s[0] = bk_seat(ctx, show, "A1");
	s[1] = bk_seat(ctx, show, "A2");
	s[2] = bk_seat(ctx, show, "B1");
	s[3] = bk_seat(ctx, later, "A1");
	/* Redis up: a first hold schedules its expiry as usual */
	assert_ok(cnt_hold_seats(ctx, &alice, show, &s[0], 1, &h1, &err),
	    &err);

	own_redis_kill(&r);
	TIMED("confirm", 1000, assert_ok(cnt_booking_confirm(ctx, &alice,
	    h1.hold_id, NULL, 0, &bk_card_ok, &bk, &err), &err));
	TIMED("hold", 1000, assert_ok(cnt_hold_seats(ctx, &bob, later, &s[3],
	    1, &h3, &err), &err));
	TIMED("cancel", 1000, assert_ok(cnt_booking_cancel(ctx, &alice, bk.id,
	    NULL, NULL, &err), &err));
	/* a booking that will have ended, and a hold that will have expired,
	 * both made while no job can be queued */
	cnt_hold_free(&h1);
	assert_ok(cnt_hold_seats(ctx, &alice, show, &s[1], 1, &h1, &err),
	    &err);
	assert_ok(cnt_booking_confirm(ctx, &alice, h1.hold_id, NULL, 0,
	    &bk_card_ok, &bk2, &err), &err);
	assert_ok(cnt_hold_seats_for(ctx, &bob, show, &s[2], 1, 1, &h2, &err),
	    &err);
	bk_move(ctx, show, "now() - interval '3 hours'");
	own_sleep_ms(1100);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 1);

	/* Redis returns; a worker catches up by its sweep */
	own_redis_start(&r, "outage-own");
	t = own_now_ms();
	if ((pid = fork()) == 0) {
		struct cnt_worker_opts o;
		struct sigaction sa;
		struct cnt_ctx *w = own_ctx(addr, outage_sets);

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_term;
		sigaction(SIGTERM, &sa, NULL);
		memset(&o, 0, sizeof o);
		o.stop = &worker_stop;
		cnt_worker_run(w, &o, &err);
		cnt_ctx_free(w);
		_exit(0);
	}
	for (i = 0; i < 100; i++) {
		if (bk_count(ctx, "SELECT count(*) FROM showtime_seats WHERE"
		    " showtime_id = $1 AND state = 'held'", show) == 0 &&
		    bk_count(ctx, "SELECT count(*) FROM bookings WHERE id = $1"
		    " AND status = 'completed'", bk2.id) == 1)
			break;
		own_sleep_ms(50);
	}
	t = own_now_ms() - t;
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	printf("# after Redis returned the worker caught up in %lld ms "
	    "(sweep_seconds 1)\n", (long long)t);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 0);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE id = $1 AND status = 'completed'", bk2.id), 1);
	if (t > 2500)
		fail_msg("expected the sweep within sweep_seconds (+1 s), took "
		    "%lld ms", (long long)t);
	/* the live hold on the later show is untouched */
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", later), 1);
	cnt_booking_free(&bk);
	cnt_booking_free(&bk2);
	cnt_hold_free(&h1);
	cnt_hold_free(&h2);
	cnt_hold_free(&h3);
	cnt_ctx_free(ctx);
	own_redis_kill(&r);
}

/* The hold expiry job itself (not the sweep) frees seats on time. */
static void
test_hold_expiry_job_releases_on_time(void **state)
{
	struct cnt_ctx *ctx = own_ctx(NULL, outage_sets);
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_worker_opts o;
	struct cnt_hold h;
	struct cnt_error err;
	int64_t		show = bk_show(ctx), seat = bk_seat(ctx, show, "C3");
	int64_t		t;

	(void)state;
	/* From before the hold: its deadline is the database's now() + 2 s,
	 * taken after this, so a job on time runs >= 2000 ms from here. */
	t = own_now_ms();
	assert_ok(cnt_hold_seats_for(ctx, &alice, show, &seat, 1, 2, &h,
	    &err), &err);
	memset(&o, 0, sizeof o);
	o.max_jobs = 1;
	o.no_sweep = true;
	assert_ok(cnt_worker_run(ctx, &o, &err), &err);
	t = own_now_ms() - t;
	printf("# hold expiry job ran %lld ms after the hold (lifetime 2 s)\n",
	    (long long)t);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 0);
	/* never before the deadline (2 s after the hold), and promptly after */
	if (t < 2000 || t > 4000)
		fail_msg("expected the expiry job 2..4 s after a 2 s hold, "
		    "took %lld ms", (long long)t);
	cnt_hold_free(&h);
	cnt_ctx_free(ctx);
}

/* Throughput: 200 holds expiring in the same second, released by one
 * worker; prints how late the last one was. */
static void
test_many_expiries_released_promptly(void **state)
{
	struct cnt_ctx *ctx = own_ctx(NULL, outage_sets);
	struct cnt_actor people[40];
	struct cnt_worker_opts o;
	struct cnt_hold	h;
	struct cnt_error err;
	int64_t		shows[5], seat, t, deadline, first = 0;
	char		fb[CNT_I64BUF];
	int		i, j, held;

	(void)state;
	for (i = 0; i < 40; i++)
		people[i] = bk_account(ctx, "customer");
	for (j = 0; j < 5; j++)
		shows[j] = bk_show(ctx);
	for (j = 0; j < 5; j++) {
		for (i = 0; i < 40; i++) {
			char	label[8];

			snprintf(label, sizeof label, "%c%d", 'A' + i / 8,
			    i % 8 + 1);
			seat = bk_seat(ctx, shows[j], label);
			assert_ok(cnt_hold_seats_for(ctx, &people[i], shows[j],
			    &seat, 1, 3, &h, &err), &err);
			if (first == 0)
				first = h.hold_id;
			cnt_hold_free(&h);
		}
	}
	cnt_i64(fb, first);
	deadline = sql_i64(ctx, "SELECT (extract(epoch FROM max(hold_expires))"
	    " * 1000)::bigint FROM showtime_seats WHERE state = 'held'"
	    " AND hold_id >= $1", fb, NULL, NULL);
	memset(&o, 0, sizeof o);
	o.max_jobs = 200;
	o.no_sweep = true;
	assert_ok(cnt_worker_run(ctx, &o, &err), &err);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		t = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	held = (int)sql_i64(ctx, "SELECT count(*) FROM showtime_seats WHERE"
	    " state = 'held' AND hold_id >= $1", fb, NULL, NULL);
	printf("# 200 hold expiry jobs: the last released %lld ms after the"
	    " last deadline\n", (long long)(t - deadline));
	assert_int_equal(held, 0);
	if (t - deadline > 3000)
		fail_msg("expected 200 expiries done within 3 s of the last "
		    "deadline, took %lld ms", (long long)(t - deadline));
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_booking_survives_redis_and_sweep_catches_up),
		cmocka_unit_test_setup(test_hold_expiry_job_releases_on_time,
		    flush_redis),
		cmocka_unit_test_setup(test_many_expiries_released_promptly,
		    flush_redis),
	};

	return cmocka_run_group_tests_name("jobs-outage", tests, NULL, NULL);
}
