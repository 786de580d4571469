/*
 * test-throttle.c - sign-in throttling per address and per account, in
 * Redis and in the per-process fallback when Redis is down.
 */
#include "testlib.h"
#include "redis-own.h"

static const char *const limits[] = { "login_max_failures=3",
	"login_window_seconds=60", "login_lockout_seconds=1", NULL };

static void
fail_n(struct cnt_ctx *ctx, const char *peer, const char *login, int n)
{
	struct cnt_error err;
	int	i;

	for (i = 0; i < n; i++) {
		assert_ok(cnt_throttle_check(ctx, peer, login, &err), &err);
		cnt_throttle_failed(ctx, peer, login);
	}
}

/* The rules, whichever store CTX uses. */
static void
check_rules(struct cnt_ctx *ctx)
{
	struct cnt_error err;
	int	i;

	fail_n(ctx, "10.0.0.1", "alice", 2);
	assert_ok(cnt_throttle_check(ctx, "10.0.0.1", "alice", &err), &err);
	cnt_throttle_failed(ctx, "10.0.0.1", "alice");
	/* third failure: refused, with the wait in the message */
	assert_refused(cnt_throttle_check(ctx, "10.0.0.1", "alice", &err),
	    &err, CNT_E_FORBIDDEN);
	assert_contains(err.msg, "Try again in 1 second.");
	/* per address: another account from there is refused too */
	assert_refused(cnt_throttle_check(ctx, "10.0.0.1", "bob", &err),
	    &err, CNT_E_FORBIDDEN);
	/* per account: from another address too (case-folded) */
	assert_refused(cnt_throttle_check(ctx, "10.0.0.2", "ALICE", &err),
	    &err, CNT_E_FORBIDDEN);
	/* an unrelated address and account are fine */
	assert_ok(cnt_throttle_check(ctx, "10.0.0.2", "bob", &err), &err);
	/* until the delay passes */
	own_sleep_ms(1100);
	/* the next lockout is longer: 2 s */
	fail_n(ctx, "10.0.0.1", "alice", 3);
	assert_refused(cnt_throttle_check(ctx, "10.0.0.1", "alice", &err),
	    &err, CNT_E_FORBIDDEN);
	assert_contains(err.msg, "Try again in 2 seconds.");
	own_sleep_ms(1100);
	assert_refused(cnt_throttle_check(ctx, "10.0.0.1", "alice", &err),
	    &err, CNT_E_FORBIDDEN);
	own_sleep_ms(1000);
	assert_ok(cnt_throttle_check(ctx, "10.0.0.1", "alice", &err), &err);

	/* a success resets the account's count (not the address's) */
	fail_n(ctx, "10.0.0.3", "carol", 2);
	cnt_throttle_succeeded(ctx, "10.0.0.4", "carol");
	fail_n(ctx, "10.0.0.5", "carol", 2);
	assert_ok(cnt_throttle_check(ctx, "10.0.0.6", "carol", &err), &err);
	/* ...while 10.0.0.3 still has its 2 failures: one more locks it */
	fail_n(ctx, "10.0.0.3", "dave", 1);
	assert_refused(cnt_throttle_check(ctx, "10.0.0.3", "erin", &err),
	    &err, CNT_E_FORBIDDEN);

	/* Attempts still in flight count: with 3 let through and none of
	 * them answered yet, the 4th is refused, and the key is locked. */
	for (i = 0; i < 3; i++)
		assert_ok(cnt_throttle_check(ctx, "10.0.0.8", "ivan", &err),
		    &err);
	assert_refused(cnt_throttle_check(ctx, "10.0.0.8", "ivan", &err),
	    &err, CNT_E_FORBIDDEN);
	assert_contains(err.msg, "Try again in 1 second.");
	cnt_throttle_failed(ctx, "10.0.0.8", "ivan");	/* no second lock */
	assert_refused(cnt_throttle_check(ctx, "10.0.0.9", "ivan", &err),
	    &err, CNT_E_FORBIDDEN);
	assert_contains(err.msg, "Try again in 1 second.");

	/* A success gives the address its attempt back. */
	fail_n(ctx, "10.0.0.10", "judy", 2);
	assert_ok(cnt_throttle_check(ctx, "10.0.0.10", "kim", &err), &err);
	cnt_throttle_succeeded(ctx, "10.0.0.10", "kim");
	assert_ok(cnt_throttle_check(ctx, "10.0.0.10", "lee", &err), &err);
	cnt_throttle_failed(ctx, "10.0.0.10", "lee");
	assert_refused(cnt_throttle_check(ctx, "10.0.0.10", "max", &err),
	    &err, CNT_E_FORBIDDEN);
}

static void
test_throttle_in_redis(void **state)
{
	struct cnt_ctx *ctx = own_ctx(NULL, limits), *other;
	struct cnt_error err;

	(void)state;
	check_rules(ctx);
	/* the counts are shared: another process sees the lockout */
	other = own_ctx(NULL, limits);
	fail_n(ctx, "10.9.9.9", "frank", 3);
	assert_refused(cnt_throttle_check(other, "10.9.9.9", "x", &err), &err,
	    CNT_E_FORBIDDEN);
	cnt_ctx_free(other);
	cnt_ctx_free(ctx);
}

static void
test_throttle_without_redis(void **state)
{
	struct cnt_ctx *ctx = own_ctx("unix:/nonexistent/redis.sock", limits);
	struct cnt_error err;
	int64_t		t;

	(void)state;
	t = own_now_ms();
	assert_ok(cnt_throttle_check(ctx, "10.1.1.1", "zed", &err), &err);
	assert_true(own_now_ms() - t < 250);
	check_rules(ctx);
	cnt_ctx_free(ctx);
}

static void
test_throttle_redis_dies_midway(void **state)
{
	struct own_redis r;
	struct cnt_ctx *ctx;
	struct cnt_error err;
	char		addr[300];

	(void)state;
	memset(&r, 0, sizeof r);
	own_redis_start(&r, "throttle-own");
	snprintf(addr, sizeof addr, "unix:%s", r.sock);
	ctx = own_ctx(addr, limits);
	fail_n(ctx, "10.7.7.7", "gina", 2);
	own_redis_kill(&r);
	/* the fallback starts counting afresh, but does count */
	fail_n(ctx, "10.7.7.7", "gina", 3);
	assert_refused(cnt_throttle_check(ctx, "10.7.7.7", "gina", &err), &err,
	    CNT_E_FORBIDDEN);
	cnt_ctx_free(ctx);
}

/* Through the real sign-in: refused even with the right password. */
static void
test_signin_refused_with_right_password(void **state)
{
	struct cnt_ctx *ctx = own_ctx(NULL, limits);
	struct cnt_signup su = { "hank", "hank@example.org", "Hank Hill",
	    "propane-and-accessories" };
	struct cnt_account acct;
	struct cnt_error err;
	int	i;

	(void)state;
	assert_ok(cnt_account_signup(ctx, &su, &acct, &err), &err);
	cnt_account_free(&acct);
	for (i = 0; i < 3; i++)
		assert_refused(cnt_account_signin(ctx, "hank", "wrong password",
		    "192.0.2.7", &acct, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_account_signin(ctx, "hank",
	    "propane-and-accessories", "192.0.2.7", &acct, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_contains(err.msg, "Too many failed sign-ins. Try again in");
	own_sleep_ms(1100);
	assert_ok(cnt_account_signin(ctx, "hank", "propane-and-accessories",
	    "192.0.2.7", &acct, &err), &err);
	cnt_account_free(&acct);
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_throttle_in_redis, flush_redis),
		cmocka_unit_test(test_throttle_without_redis),
		cmocka_unit_test(test_throttle_redis_dies_midway),
		cmocka_unit_test_setup(test_signin_refused_with_right_password,
		    flush_redis),
	};

	return cmocka_run_group_tests_name("throttle", tests, NULL, NULL);
}
