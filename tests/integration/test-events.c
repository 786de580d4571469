/*
 * test-events.c - live seat events: a subscriber sees a change published
 * by another connection at once (latency measured and printed), only for
 * its showtime; a lost Redis turns into resync/polling and back.
 */
#include <poll.h>

#include "testlib.h"
#include "redis-own.h"

/* Wait up to MS for the next event of EV; returns its kind. */
static enum cnt_event_kind
wait_event(struct cnt_events *ev, int ms, struct cnt_event *out)
{
	int64_t		end = own_now_ms() + ms;
	struct pollfd	pfd;
	int		timeout;

	for (;;) {
		if (cnt_events_next(ev, out))
			return out->kind;
		timeout = (int)(end - own_now_ms());
		if (timeout <= 0)
			return CNT_EV_NONE;
		if (cnt_events_fd(ev) < 0) {
			int t = cnt_events_timeout_ms(ev);

			own_sleep_ms(t >= 0 && t < timeout ? t + 1 : timeout);
			continue;
		}
		pfd.fd = cnt_events_fd(ev);
		pfd.events = POLLIN;
		poll(&pfd, 1, timeout);
	}
}

static void
test_subscriber_sees_change_fast(void **state)
{
	struct cnt_ctx *sub = test_ctx(), *pub = test_ctx();
	struct cnt_events *ev;
	struct cnt_event e;
	int64_t		t, worst = 0, total = 0;
	int		i;

	(void)state;
	ev = cnt_events_open(sub, 7);
	assert_true(cnt_events_live(ev));
	assert_true(cnt_events_fd(ev) >= 0);
	/* the first thing a subscriber hears: read the seat map now */
	assert_int_equal(wait_event(ev, 100, &e), CNT_EV_RESYNC);
	assert_int_equal(cnt_events_timeout_ms(ev), -1);
	assert_int_equal(wait_event(ev, 50, &e), CNT_EV_NONE);
	for (i = 0; i < 20; i++) {
		t = own_now_ms();
		cnt_events_seats_changed(pub, 7);
		assert_int_equal(wait_event(ev, 1000, &e), CNT_EV_SEATS);
		t = own_now_ms() - t;
		assert_true(e.showtime_id == 7);
		total += t;
		if (t > worst)
			worst = t;
	}
	printf("# seat event latency over 20 publishes: mean %.1f ms, worst "
	    "%lld ms\n", total / 20.0, (long long)worst);
	if (worst > 100)
		fail_msg("expected every event within 100 ms, worst %lld ms",
		    (long long)worst);
	/* another showtime's events do not arrive */
	cnt_events_seats_changed(pub, 8);
	assert_int_equal(wait_event(ev, 100, &e), CNT_EV_NONE);
	/* following another showtime: resync, then its events */
	cnt_events_follow(ev, 8);
	assert_int_equal(wait_event(ev, 100, &e), CNT_EV_RESYNC);
	cnt_events_seats_changed(pub, 7);
	cnt_events_seats_changed(pub, 8);
	assert_int_equal(wait_event(ev, 500, &e), CNT_EV_SEATS);
	assert_true(e.showtime_id == 8);
	assert_int_equal(wait_event(ev, 100, &e), CNT_EV_NONE);
	cnt_events_close(ev);
	cnt_ctx_free(sub);
	cnt_ctx_free(pub);
}

static void
test_lost_redis_polls_then_resyncs(void **state)
{
	struct own_redis r;
	struct cnt_ctx *ctx, *pub;
	struct cnt_events *ev;
	struct cnt_event e;
	char		addr[300];
	int64_t		t;

	(void)state;
	memset(&r, 0, sizeof r);
	own_redis_start(&r, "events-own");
	snprintf(addr, sizeof addr, "unix:%s", r.sock);
	ctx = own_ctx(addr, NULL);
	pub = own_ctx(addr, NULL);
	ev = cnt_events_open(ctx, 3);
	assert_int_equal(wait_event(ev, 100, &e), CNT_EV_RESYNC);

	own_redis_kill(&r);
	/* the loss is noticed and reported as "re-read" */
	assert_int_equal(wait_event(ev, 500, &e), CNT_EV_RESYNC);
	assert_false(cnt_events_live(ev));
	assert_int_equal(cnt_events_fd(ev), -1);
	assert_true(cnt_events_timeout_ms(ev) > 0);
	/* publishing without Redis costs nothing */
	t = own_now_ms();
	cnt_events_seats_changed(pub, 3);
	assert_true(own_now_ms() - t < 250);
	/* while down: a resync every few seconds (the polling fallback) */
	t = own_now_ms();
	assert_int_equal(wait_event(ev, 5000, &e), CNT_EV_RESYNC);
	printf("# without Redis the subscriber re-reads after %lld ms\n",
	    (long long)(own_now_ms() - t));

	/* back: reconnected, resync, live events again */
	own_redis_start(&r, "events-own");
	assert_int_equal(wait_event(ev, 5000, &e), CNT_EV_RESYNC);
	assert_true(cnt_events_live(ev));
	own_sleep_ms(2100);	/* the publisher's backoff */
	cnt_events_seats_changed(pub, 3);
	assert_int_equal(wait_event(ev, 1000, &e), CNT_EV_SEATS);
	cnt_events_close(ev);
	cnt_ctx_free(ctx);
	cnt_ctx_free(pub);
	own_redis_kill(&r);
}

static void
test_open_without_redis(void **state)
{
	struct cnt_ctx *ctx = own_ctx("unix:/nonexistent/redis.sock", NULL);
	struct cnt_events *ev;
	struct cnt_event e;
	int64_t		t = own_now_ms();

	(void)state;
	ev = cnt_events_open(ctx, 1);
	assert_true(own_now_ms() - t < 250);
	assert_false(cnt_events_live(ev));
	assert_int_equal(cnt_events_fd(ev), -1);
	/* the caller still gets a first resync, then polls */
	assert_int_equal(wait_event(ev, 10, &e), CNT_EV_RESYNC);
	assert_true(cnt_events_timeout_ms(ev) > 0);
	cnt_events_close(ev);
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_subscriber_sees_change_fast,
		    flush_redis),
		cmocka_unit_test(test_lost_redis_polls_then_resyncs),
		cmocka_unit_test(test_open_without_redis),
	};

	return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
