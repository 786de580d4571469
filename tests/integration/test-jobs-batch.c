/*
 * test-jobs-batch.c - hold expiries in batches: 500 holds expiring in the
 * same second, released by two workers that claim them in batches and
 * free each batch in one statement; every seat is free afterwards, every
 * job ran once (the queue ends empty, nothing dead), and a session
 * watching a showtime still gets its seat event. Also the batch function
 * itself: not-yet-expired holds say how long they have left, and freeing
 * twice frees nothing the second time.
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

static const char *const batch_sets[] = { "mail_command=", NULL };

/* Ten rows of ten. */
static const char big_layout[] =
    "SSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\n"
    "SSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\nSSSSSSSSSS\n";

static pid_t
start_worker(void)
{
	pid_t	pid;

	if ((pid = fork()) == 0) {
		struct cnt_worker_opts o;
		struct sigaction sa;
		struct cnt_error err;
		struct cnt_ctx *child = own_ctx(NULL, batch_sets);

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_term;
		sigaction(SIGTERM, &sa, NULL);
		memset(&o, 0, sizeof o);
		o.stop = &worker_stop;
		o.no_sweep = true;
		cnt_worker_run(child, &o, &err);
		cnt_ctx_free(child);
		_exit(0);
	}
	return pid;
}

static void
test_500_expiries_two_workers(void **state)
{
	struct cnt_ctx *ctx = own_ctx(NULL, batch_sets);
	struct cnt_actor people[50];
	struct cnt_jobs_status st;
	struct cnt_events *ev;
	struct cnt_event e;
	struct cnt_hold	h;
	struct cnt_error err;
	int64_t		shows[10], seat, first = 0, t, deadline;
	char		fb[CNT_I64BUF], label[8];
	pid_t		pids[2];
	int		i, k, held = -1, status_, seen = 0;

	(void)state;
	for (i = 0; i < 50; i++)
		people[i] = bk_account(ctx, "customer");
	for (k = 0; k < 10; k++)
		shows[k] = bk_show_at(ctx, "now() + interval '1 day'",
		    big_layout);
	/* 500 holds of one seat, 3 s long, ending within about a second */
	for (k = 0; k < 10; k++) {
		for (i = 0; i < 50; i++) {
			snprintf(label, sizeof label, "%c%d", 'A' + i / 10,
			    i % 10 + 1);
			seat = bk_seat(ctx, shows[k], label);
			assert_ok(cnt_hold_seats_for(ctx, &people[i], shows[k],
			    &seat, 1, 3, &h, &err), &err);
			if (first == 0)
				first = h.hold_id;
			cnt_hold_free(&h);
		}
	}
	cnt_i64(fb, first);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE state = 'held' AND hold_id >= $1", fb, NULL, NULL), 500);
	deadline = sql_i64(ctx, "SELECT (extract(epoch FROM max(hold_expires))"
	    " * 1000)::bigint FROM showtime_seats WHERE state = 'held'"
	    " AND hold_id >= $1", fb, NULL, NULL);
	ev = cnt_events_open(ctx, shows[9]);
	pids[0] = start_worker();
	pids[1] = start_worker();
	for (i = 0; i < 300 && held != 0; i++) {
		own_sleep_ms(50);
		held = (int)sql_i64(ctx, "SELECT count(*) FROM showtime_seats"
		    " WHERE state = 'held' AND hold_id >= $1", fb, NULL, NULL);
	}
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		t = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	printf("# 500 expiries, 2 workers: all free %lld ms after the last"
	    " deadline\n", (long long)(t - deadline));
	if (held != 0)
		fail_msg("expected all 500 holds released, %d still held", held);
	for (i = 0; i < 2; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < 2; i++) {
		assert_int_equal(waitpid(pids[i], &status_, 0), pids[i]);
		assert_true(WIFEXITED(status_) && WEXITSTATUS(status_) == 0);
	}
	/* every job settled exactly once: nothing left, nothing dead */
	assert_ok(cnt_jobs_status(ctx, &admin, &st, &err), &err);
	if (st.due + st.scheduled + st.inflight + st.dead != 0)
		fail_msg("expected an empty queue, got due %ld scheduled %ld"
		    " inflight %ld dead %ld", st.due, st.scheduled,
		    st.inflight, st.dead);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM jobs_dead", NULL,
	    NULL, NULL), 0);
	/* the watcher of the last showtime heard its seats change */
	for (i = 0; i < 20 && !seen; i++) {
		while (cnt_events_next(ev, &e) == 1)
			seen |= e.kind == CNT_EV_SEATS &&
			    e.showtime_id == shows[9];
		if (!seen)
			own_sleep_ms(50);
	}
	if (!seen)
		fail_msg("expected a seat event for showtime %lld after its"
		    " holds expired", (long long)shows[9]);
	cnt_events_close(ev);
	cnt_ctx_free(ctx);
}

/* cnt_holds_expire directly: one row per hold asked for, in order. */
static void
test_expire_function_is_idempotent(void **state)
{
	struct cnt_ctx *ctx = own_ctx(NULL, batch_sets);
	struct cnt_actor a = bk_account(ctx, "customer");
	struct cnt_actor b = bk_account(ctx, "customer");
	struct cnt_hold	h1, h2;
	struct cnt_error err;
	int64_t		show = bk_show(ctx), s1 = bk_seat(ctx, show, "A1"),
			s2[2] = { bk_seat(ctx, show, "B1"),
			    bk_seat(ctx, show, "B2") };
	char	       *arr, hb[CNT_I64BUF];
	const char     *p[1];
	PGresult       *res;

	(void)state;
	assert_ok(cnt_hold_seats_for(ctx, &a, show, &s1, 1, 60, &h1, &err),
	    &err);
	assert_ok(cnt_hold_seats_for(ctx, &b, show, s2, 2, 60, &h2, &err),
	    &err);
	/* h2 expired a second ago (as if its time ran out) */
	p[0] = cnt_i64(hb, h2.hold_id);
	PQclear(sqlv(ctx, "UPDATE showtime_seats SET hold_expires = now() -"
	    " interval '1 second' WHERE hold_id = $1::bigint", 1, p));
	arr = xasprintf("{%lld,%lld,999999999}", (long long)h1.hold_id,
	    (long long)h2.hold_id);
	p[0] = arr;
	res = sqlv(ctx, "SELECT hold_id, showtime_id, released,"
	    " coalesce(left_ms, 0) FROM cnt_holds_expire($1::bigint[])", 1, p);
	assert_int_equal(PQntuples(res), 3);
	/* h1: not expired, about 60 s left */
	assert_int_equal(cnt_pg_i64(res, 0, 0), h1.hold_id);
	assert_int_equal(cnt_pg_int(res, 0, 2), 0);
	assert_true(cnt_pg_i64(res, 0, 3) > 55000 &&
	    cnt_pg_i64(res, 0, 3) <= 60000);
	/* h2: both seats freed, its showtime named */
	assert_int_equal(cnt_pg_i64(res, 1, 0), h2.hold_id);
	assert_int_equal(cnt_pg_i64(res, 1, 1), show);
	assert_int_equal(cnt_pg_int(res, 1, 2), 2);
	/* unknown: nothing */
	assert_int_equal(cnt_pg_int(res, 2, 2), 0);
	assert_int_equal(cnt_pg_i64(res, 2, 3), 0);
	PQclear(res);
	/* again: nothing more freed, h1 still held */
	res = sqlv(ctx, "SELECT sum(released) FROM"
	    " cnt_holds_expire($1::bigint[])", 1, p);
	assert_int_equal(cnt_pg_i64(res, 0, 0), 0);
	PQclear(res);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 1);
	free(arr);
	cnt_hold_free(&h1);
	cnt_hold_free(&h2);
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_500_expiries_two_workers,
		    flush_redis),
		cmocka_unit_test_setup(test_expire_function_is_idempotent,
		    flush_redis),
	};

	return cmocka_run_group_tests_name("jobs-batch", tests, NULL, NULL);
}
