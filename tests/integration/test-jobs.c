/*
 * test-jobs.c - the job queue and worker against a real redis-server:
 * idempotent enqueue, lateness, retries with backoff, dead letters,
 * a worker killed mid-job, several workers at once, graceful stop, batches
 * (500 jobs with two workers, half-lease give-back, a worker killed
 * mid-batch), and a Redis that hangs or dies.
 */
#include <errno.h>
#include <fcntl.h>

#include "testlib.h"
#include "redis-own.h"

static const struct cnt_actor admin = { 0, CNT_ROLE_ADMIN };

/* A handler that counts its runs and fails the first ARG->fail_first. */
struct counter {
	int	runs;
	int	fail_first;
	int64_t	last_ms;	/* wall clock of the last run */
};

static int
count_job(struct cnt_ctx *ctx, const char *payload, void *arg,
    struct cnt_error *err)
{
	struct counter *c = arg;
	struct timespec ts;

	(void)ctx;
	(void)payload;
	clock_gettime(CLOCK_REALTIME, &ts);
	c->last_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (++c->runs <= c->fail_first)
		return cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "planned failure %d", c->runs);
	return CNT_OK;
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
run_worker(struct cnt_ctx *ctx, const struct cnt_job_handler *h, size_t nh,
    int max_jobs, int backoff_ms)
{
	struct cnt_worker_opts o;
	struct cnt_error err;

	memset(&o, 0, sizeof o);
	o.handlers = h;
	o.nhandlers = nh;
	o.max_jobs = max_jobs;
	o.backoff_ms = backoff_ms;
	o.no_sweep = true;
	assert_ok(cnt_worker_run(ctx, &o, &err), &err);
}

static void
status(struct cnt_ctx *ctx, struct cnt_jobs_status *st)
{
	struct cnt_error err;

	assert_ok(cnt_jobs_status(ctx, &admin, st, &err), &err);
}

/* Fails unless the queue is empty: nothing due, scheduled, in flight or
 * dead. */
static void
assert_queue_empty(struct cnt_ctx *ctx)
{
	struct cnt_jobs_status st;

	status(ctx, &st);
	if (st.due + st.scheduled + st.inflight + st.dead != 0)
		fail_msg("expected an empty queue, got due %ld scheduled %ld"
		    " inflight %ld dead %ld", st.due, st.scheduled,
		    st.inflight, st.dead);
}

/* What the tests of workers that write to a file share: a context, the
 * file (in CINETTY_TEST_TMP, removed before and after) and the handler
 * of KIND that gets the file's path as its argument. */
struct job_fixture {
	struct cnt_ctx *ctx;
	char	       *path;
	struct cnt_job_handler h;
};

/* Sets F up: the context is own_ctx(NULL, SETS) when SETS is given,
 * test_ctx() otherwise. */
static void
fixture_open(struct job_fixture *f, const char *file,
    const char *const *sets, const char *kind, cnt_job_fn run)
{
	f->path = xasprintf("%s/%s", getenv("CINETTY_TEST_TMP"), file);
	unlink(f->path);
	f->ctx = sets != NULL ? own_ctx(NULL, sets) : test_ctx();
	f->h.kind = kind;
	f->h.run = run;
	f->h.arg = f->path;
}

static void
fixture_close(struct job_fixture *f)
{
	unlink(f->path);
	free(f->path);
	cnt_ctx_free(f->ctx);
}

static volatile int child_stop;

static void
on_term(int sig)
{
	(void)sig;
	child_stop = 1;
}

/* Forks a worker of F's handler on a context of its own (own_ctx with
 * SETS, or test_ctx): MAX_JOBS jobs and it exits, or with MAX_JOBS 0 it
 * works until SIGTERM (stop_workers). Returns its pid. */
static pid_t
fork_worker(const struct job_fixture *f, const char *const *sets,
    int max_jobs)
{
	pid_t	pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct cnt_ctx *child = sets != NULL ? own_ctx(NULL, sets) :
		    test_ctx();
		struct cnt_worker_opts o;
		struct sigaction sa;
		struct cnt_error err;

		if (max_jobs > 0) {
			run_worker(child, &f->h, 1, max_jobs, 0);
			_exit(0);
		}
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_term;
		sigaction(SIGTERM, &sa, NULL);
		memset(&o, 0, sizeof o);
		o.handlers = &f->h;
		o.nhandlers = 1;
		o.stop = &child_stop;
		o.no_sweep = true;
		cnt_worker_run(child, &o, &err);
		cnt_ctx_free(child);
		_exit(0);
	}
	return pid;
}

/* SIGTERM to the N workers PIDS; each must exit with status 0. */
static void
stop_workers(const pid_t *pids, int n)
{
	int	i, st;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}

static void
test_enqueue_is_idempotent(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct cnt_jobs_status st;
	struct cnt_error err;
	struct cnt_job *jobs;
	size_t		n;
	bool		created;
	int64_t		later = wall_ms() + 60000;

	(void)state;
	assert_ok(cnt_job_enqueue(ctx, "hold_expiry", "42", "42", later,
	    &created, &err), &err);
	assert_true(created);
	assert_ok(cnt_job_enqueue(ctx, "hold_expiry", "42", "42", later,
	    &created, &err), &err);
	if (created)
		fail_msg("expected the second enqueue of hold 42 to be a no-op");
	/* the hook, the way booking code calls it */
	cnt_jobs_schedule(ctx, "hold_expiry", "42", "42",
	    (time_t)(later / 1000) + 30);
	status(ctx, &st);
	assert_int_equal(st.scheduled, 1);
	assert_int_equal(st.due, 0);
	/* an earlier due time for the same job moves it, still one job */
	assert_ok(cnt_job_enqueue(ctx, "hold_expiry", "42", "42", later - 59000,
	    &created, &err), &err);
	assert_false(created);
	assert_ok(cnt_jobs_list(ctx, &admin, CNT_JOB_QUEUED, 10, &jobs, &n,
	    &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].id, "hold_expiry:42");
	assert_string_equal(jobs[0].kind, "hold_expiry");
	assert_string_equal(jobs[0].key, "42");
	assert_true(jobs[0].at_ms == later - 59000);
	cnt_jobs_free(jobs, n);
	/* a different key is a different job */
	assert_ok(cnt_job_enqueue(ctx, "hold_expiry", "43", "43", later,
	    &created, &err), &err);
	assert_true(created);
	assert_refused(cnt_job_enqueue(ctx, "bad:kind", "1", "", later, NULL,
	    &err), &err, CNT_E_INVALID);
	/* only admins see or manage the queue */
	{
		const struct cnt_actor staff = { 7, CNT_ROLE_STAFF };

		assert_refused(cnt_jobs_status(ctx, &staff, &st, &err), &err,
		    CNT_E_FORBIDDEN);
		assert_refused(cnt_jobs_retry(ctx, &staff, "x:1", &err), &err,
		    CNT_E_FORBIDDEN);
	}
	cnt_ctx_free(ctx);
}

static void
test_due_job_runs_on_time(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct counter	c = { 0, 0, 0 };
	struct cnt_job_handler h = { "tick", count_job, &c };
	struct cnt_error err;
	int64_t		due = wall_ms() + 1000, start = wall_ms();

	(void)state;
	assert_ok(cnt_job_enqueue(ctx, "tick", "1", "", due, NULL, &err), &err);
	run_worker(ctx, &h, 1, 1, 0);
	assert_int_equal(c.runs, 1);
	printf("# job due in 1 s ran %lld ms after enqueue, %lld ms late\n",
	    (long long)(c.last_ms - start), (long long)(c.last_ms - due));
	if (c.last_ms < due)
		fail_msg("expected the job not before its due time");
	if (c.last_ms - start > 2000)
		fail_msg("expected the job due in 1 s to run within 2 s, took "
		    "%lld ms", (long long)(c.last_ms - start));
	/* a job enqueued while the worker waits wakes it at once */
	c.runs = 0;
	due = wall_ms() + 60000;
	assert_ok(cnt_job_enqueue(ctx, "tick", "later", "", due, NULL, &err),
	    &err);
	assert_ok(cnt_job_enqueue(ctx, "tick", "2", "", wall_ms(), NULL, &err),
	    &err);
	start = wall_ms();
	run_worker(ctx, &h, 1, 1, 0);
	assert_int_equal(c.runs, 1);
	if (c.last_ms - start > 1000)
		fail_msg("expected a due job to run within 1 s, took %lld ms",
		    (long long)(c.last_ms - start));
	cnt_ctx_free(ctx);
}

static void
test_fail_twice_then_succeed(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct counter	c = { 0, 2, 0 };
	struct cnt_job_handler h = { "flaky", count_job, &c };
	struct cnt_error err;
	int64_t		start = wall_ms();

	(void)state;
	assert_ok(cnt_job_enqueue(ctx, "flaky", "1", "", wall_ms(), NULL,
	    &err), &err);
	run_worker(ctx, &h, 1, 3, 200);
	if (c.runs != 3)
		fail_msg("expected 3 runs (2 failures, 1 success), got %d",
		    c.runs);
	/* backoff 200 ms then 400 ms */
	if (wall_ms() - start < 600)
		fail_msg("expected exponential backoff (>= 600 ms), took %lld",
		    (long long)(wall_ms() - start));
	assert_queue_empty(ctx);
	cnt_ctx_free(ctx);
}

static int64_t
dead_rows(struct cnt_ctx *ctx, const char *kind)
{
	struct cnt_error err;
	const char     *p[1] = { kind };
	PGresult       *res = cnt_db_exec(ctx, &err, "SELECT count(*),"
			    " coalesce(max(attempts), 0) FROM jobs_dead"
			    " WHERE kind = $1", 1, p);
	int64_t		n;

	assert_non_null(res);
	n = cnt_pg_i64(res, 0, 0) * 100 + cnt_pg_i64(res, 0, 1);
	PQclear(res);
	return n;
}

static void
test_always_failing_goes_dead(void **state)
{
	static const char *const sets[] = { "job_max_attempts=3", NULL };
	struct cnt_ctx *ctx = own_ctx(NULL, sets);
	struct counter	c = { 0, 1000, 0 };
	struct cnt_job_handler h = { "doomed", count_job, &c };
	struct cnt_jobs_status st;
	struct cnt_error err;
	struct cnt_job *jobs;
	size_t		n;

	(void)state;
	assert_ok(cnt_job_enqueue(ctx, "doomed", "7", "payload-7", wall_ms(),
	    NULL, &err), &err);
	run_worker(ctx, &h, 1, 3, 50);
	assert_int_equal(c.runs, 3);
	status(ctx, &st);
	assert_int_equal(st.dead, 1);
	assert_int_equal(st.due + st.scheduled + st.inflight, 0);
	/* one jobs_dead row with 3 attempts */
	assert_int_equal(dead_rows(ctx, "doomed"), 103);
	assert_ok(cnt_jobs_list(ctx, &admin, CNT_JOB_DEAD, 10, &jobs, &n,
	    &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].id, "doomed:7");
	assert_string_equal(jobs[0].payload, "payload-7");
	assert_int_equal(jobs[0].attempts, 3);
	assert_contains(jobs[0].last_error, "planned failure 3");
	cnt_jobs_free(jobs, n);
	/* a dead job is not revived by enqueueing it again */
	assert_ok(cnt_job_enqueue(ctx, "doomed", "7", "x", wall_ms(), NULL,
	    &err), &err);
	status(ctx, &st);
	assert_int_equal(st.due, 0);
	/* retry: back on the queue, attempts reset; it dies again */
	assert_ok(cnt_jobs_retry(ctx, &admin, "doomed:7", &err), &err);
	assert_int_equal(dead_rows(ctx, "doomed"), 0);
	status(ctx, &st);
	assert_int_equal(st.due, 1);
	assert_int_equal(st.dead, 0);
	run_worker(ctx, &h, 1, 3, 50);
	assert_int_equal(c.runs, 6);
	/* drop: gone from Redis and PostgreSQL */
	assert_ok(cnt_jobs_drop(ctx, &admin, "doomed:7", &err), &err);
	status(ctx, &st);
	assert_int_equal(st.dead, 0);
	assert_int_equal(dead_rows(ctx, "doomed"), 0);
	assert_refused(cnt_jobs_drop(ctx, &admin, "doomed:7", &err), &err,
	    CNT_E_NOTFOUND);
	assert_refused(cnt_jobs_retry(ctx, &admin, "doomed:8", &err), &err,
	    CNT_E_NOTFOUND);
	cnt_ctx_free(ctx);
}

/* A handler that notes "start" then sleeps PAYLOAD ms on its first run,
 * then notes "done", in the file ARG. */
static int
slow_job(struct cnt_ctx *ctx, const char *payload, void *arg,
    struct cnt_error *err)
{
	const char     *path = arg;
	FILE	       *f;
	char		line[64];
	int		starts = 0;

	(void)ctx;
	(void)err;
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			starts += strncmp(line, "start", 5) == 0;
		fclose(f);
	}
	f = fopen(path, "a");
	fprintf(f, "start %ld\n", (long)getpid());
	fclose(f);
	if (starts == 0)
		own_sleep_ms(atoi(payload));
	f = fopen(path, "a");
	fprintf(f, "done %ld\n", (long)getpid());
	fclose(f);
	return CNT_OK;
}

/* Lines of file PATH that start with TEXT, or (WHOLE) are exactly TEXT;
 * 0 when there is no file. */
static int
count_matching(const char *path, const char *text, bool whole)
{
	FILE   *f = fopen(path, "r");
	char	line[128];
	int	n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (whole)
			line[strcspn(line, "\n")] = '\0';
		n += whole ? strcmp(line, text) == 0 :
		    strncmp(line, text, strlen(text)) == 0;
	}
	fclose(f);
	return n;
}

static int
count_lines(const char *path, const char *prefix)
{
	return count_matching(path, prefix, false);
}

static int
count_exact(const char *path, const char *line)
{
	return count_matching(path, line, true);
}

static void
test_killed_worker_job_runs_once_after_lease(void **state)
{
	static const char *const sets[] = { "job_lease_seconds=1", NULL };
	struct job_fixture f;
	struct cnt_jobs_status st;
	struct cnt_error err;
	int64_t		killed;
	pid_t		pid;
	int		i;

	(void)state;
	fixture_open(&f, "slow-job.txt", sets, "slow", slow_job);
	assert_ok(cnt_job_enqueue(f.ctx, "slow", "1", "5000", wall_ms(), NULL,
	    &err), &err);
	pid = fork_worker(&f, sets, 1);
	for (i = 0; i < 100 && count_lines(f.path, "start") == 0; i++)
		own_sleep_ms(20);
	assert_int_equal(count_lines(f.path, "start"), 1);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	killed = own_now_ms();
	status(f.ctx, &st);
	assert_int_equal(st.inflight, 1);
	/* another worker takes it once the lease has lapsed */
	run_worker(f.ctx, &f.h, 1, 1, 0);
	printf("# killed worker's job rerun %lld ms after the kill (lease 1 s)\n",
	    (long long)(own_now_ms() - killed));
	assert_int_equal(count_lines(f.path, "start"), 2);
	assert_int_equal(count_lines(f.path, "done"), 1);
	assert_queue_empty(f.ctx);
	fixture_close(&f);
}

/* Appends the job's key to the file ARG. */
static int
log_job(struct cnt_ctx *ctx, const char *payload, void *arg,
    struct cnt_error *err)
{
	int	fd = open(arg, O_WRONLY | O_APPEND | O_CREAT, 0644);
	char	line[64];
	int	n = snprintf(line, sizeof line, "%s\n", payload);

	(void)ctx;
	(void)err;
	if (write(fd, line, (size_t)n) != n)
		return cnt_error_set(err, CNT_E_INTERNAL, "write failed");
	close(fd);
	own_sleep_ms(5);
	return CNT_OK;
}

/* Enqueues N "many" jobs due now, keys and payloads "0" to "N-1". */
static void
enqueue_many(struct cnt_ctx *ctx, int n)
{
	struct cnt_error err;
	char		key[16];
	int		i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "%d", i);
		assert_ok(cnt_job_enqueue(ctx, "many", key, key, wall_ms(),
		    NULL, &err), &err);
	}
}

/* Fails unless the file PATH of log_job has each of the N keys of
 * enqueue_many exactly once. */
static void
assert_each_ran_once(const char *path, int n)
{
	char		line[64], *seen = xcalloc((size_t)n, 1);
	FILE	       *f = fopen(path, "r");
	int		i, runs, dup = 0;

	assert_non_null(f);
	for (runs = 0; fgets(line, sizeof line, f) != NULL; runs++) {
		i = atoi(line);
		assert_true(i >= 0 && i < n);
		dup += seen[i]++ > 0;
	}
	fclose(f);
	free(seen);
	if (runs != n || dup != 0)
		fail_msg("expected %d jobs run once each, got %d runs, %d "
		    "duplicates", n, runs, dup);
}

static void
test_several_workers_and_graceful_stop(void **state)
{
	struct job_fixture f;
	pid_t		pids[3];
	int64_t		t;
	int		i;

	(void)state;
	fixture_open(&f, "many.txt", NULL, "many", log_job);
	for (i = 0; i < 3; i++)
		pids[i] = fork_worker(&f, NULL, 0);
	enqueue_many(f.ctx, 60);
	for (i = 0; i < 200 && count_lines(f.path, "") < 60; i++)
		own_sleep_ms(50);
	t = own_now_ms();
	stop_workers(pids, 3);
	printf("# 3 workers stopped %lld ms after SIGTERM\n",
	    (long long)(own_now_ms() - t));
	if (own_now_ms() - t > (getenv("CINETTY_TEST_VALGRIND") ? 25000 : 2500))
		fail_msg("expected workers to stop within 2.5 s of SIGTERM");
	assert_each_ran_once(f.path, 60);
	fixture_close(&f);
}

/* PAYLOAD "KEY MS": notes "start KEY", sleeps MS ms the first time KEY
 * starts, notes "done KEY", in the file ARG. */
static int
keyed_slow_job(struct cnt_ctx *ctx, const char *payload, void *arg,
    struct cnt_error *err)
{
	char	key[32], line[64];
	int	ms = 0, first;
	FILE   *f;

	(void)ctx;
	(void)err;
	if (sscanf(payload, "%31s %d", key, &ms) != 2)
		return cnt_error_set(err, CNT_E_INVALID, "bad payload");
	snprintf(line, sizeof line, "start %s", key);
	first = count_exact(arg, line) == 0;
	f = fopen(arg, "a");
	fprintf(f, "start %s\n", key);
	fclose(f);
	if (first)
		own_sleep_ms(ms);
	f = fopen(arg, "a");
	fprintf(f, "done %s\n", key);
	fclose(f);
	return CNT_OK;
}

/* Enqueues N "slowk" jobs, keys "k0".. and payloads "kI MS[I]", due
 * now; in key order when ORDERED (k0 10 ms ago, k1 9 ms ago, ...). */
static void
enqueue_keyed(struct cnt_ctx *ctx, const int *ms, int n, bool ordered)
{
	struct cnt_error err;
	char		key[8], payload[32];
	int		i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(payload, sizeof payload, "k%d %d", i, ms[i]);
		assert_ok(cnt_job_enqueue(ctx, "slowk", key, payload,
		    ordered ? wall_ms() - 10 + i : wall_ms(), NULL, &err),
		    &err);
	}
}

/* Two workers, 500 jobs due at once: claimed in batches, each job runs
 * exactly once and the queue ends empty. */
static void
test_batch_500_jobs_two_workers_run_once(void **state)
{
	struct job_fixture f;
	pid_t		pids[2];
	int64_t		t;
	int		i;

	(void)state;
	fixture_open(&f, "batch500.txt", NULL, "many", log_job);
	enqueue_many(f.ctx, 500);
	t = own_now_ms();
	for (i = 0; i < 2; i++)
		pids[i] = fork_worker(&f, NULL, 0);
	for (i = 0; i < 400 && count_lines(f.path, "") < 500; i++)
		own_sleep_ms(50);
	printf("# 500 jobs (5 ms each) run by 2 workers in %lld ms\n",
	    (long long)(own_now_ms() - t));
	stop_workers(pids, 2);
	assert_each_ran_once(f.path, 500);
	assert_queue_empty(f.ctx);
	fixture_close(&f);
}

/* A batch whose jobs take longer than the lease: a job not started
 * within half the lease goes back on the queue unrun, so no job runs on a
 * lapsed lease and none runs twice. */
static void
test_batch_gives_back_jobs_past_half_the_lease(void **state)
{
	static const char *const sets[] = { "job_lease_seconds=1", NULL };
	static const int ms[3] = { 600, 600, 600 };
	struct job_fixture f;
	char		line[32];
	int		i;

	(void)state;
	fixture_open(&f, "halflease.txt", sets, "slowk", keyed_slow_job);
	enqueue_keyed(f.ctx, ms, 3, false);
	/* one worker claims all three at once; each takes 0.6 s */
	run_worker(f.ctx, &f.h, 1, 3, 0);
	for (i = 0; i < 3; i++) {
		snprintf(line, sizeof line, "start k%d", i);
		if (count_exact(f.path, line) != 1)
			fail_msg("expected job k%d to run once, it started %d "
			    "times", i, count_exact(f.path, line));
	}
	assert_queue_empty(f.ctx);
	fixture_close(&f);
}

/* A worker killed in the middle of a batch: every job of the batch runs
 * again after the lease, once, and the unfinished one finishes once. */
static void
test_killed_worker_batch_runs_once_after_lease(void **state)
{
	static const char *const sets[] = { "job_lease_seconds=1", NULL };
	static const int ms[3] = { 5000, 0, 0 };	/* k0 hangs at first */
	struct job_fixture f;
	struct cnt_jobs_status st;
	char		line[32];
	pid_t		pid;
	int		i;

	(void)state;
	fixture_open(&f, "killedbatch.txt", sets, "slowk", keyed_slow_job);
	enqueue_keyed(f.ctx, ms, 3, true);
	pid = fork_worker(&f, sets, 3);
	for (i = 0; i < 100 && count_exact(f.path, "start k0") == 0; i++)
		own_sleep_ms(20);
	assert_int_equal(count_exact(f.path, "start k0"), 1);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	status(f.ctx, &st);
	if (st.inflight != 3)
		fail_msg("expected the killed worker to hold 3 jobs, it held "
		    "%ld", st.inflight);
	run_worker(f.ctx, &f.h, 1, 3, 0);
	assert_int_equal(count_exact(f.path, "start k0"), 2);
	assert_int_equal(count_exact(f.path, "done k0"), 1);
	for (i = 1; i < 3; i++) {
		snprintf(line, sizeof line, "start k%d", i);
		assert_int_equal(count_exact(f.path, line), 1);
		snprintf(line, sizeof line, "done k%d", i);
		assert_int_equal(count_exact(f.path, line), 1);
	}
	assert_queue_empty(f.ctx);
	fixture_close(&f);
}

/* Time one enqueue, in ms; *RC gets its result. */
static int64_t
timed_enqueue(struct cnt_ctx *ctx, int *rc, struct cnt_error *err)
{
	int64_t	t = own_now_ms();

	*rc = cnt_job_enqueue(ctx, "t", "1", "", wall_ms() + 60000, NULL, err);
	return own_now_ms() - t;
}

static void
test_redis_hung_or_dead_never_blocks(void **state)
{
	static const char *const sets[] = { "redis_timeout_ms=200", NULL };
	struct own_redis r;
	struct cnt_ctx *ctx;
	struct cnt_error err;
	char		addr[300];
	int64_t		ms, t;
	int		rc, i;

	(void)state;
	memset(&r, 0, sizeof r);
	own_redis_start(&r, "jobs-own");
	snprintf(addr, sizeof addr, "unix:%s", r.sock);
	ctx = own_ctx(addr, sets);
	ms = timed_enqueue(ctx, &rc, &err);
	assert_ok(rc, &err);

	/* hung: the call gives up after redis_timeout_ms */
	kill(r.pid, SIGSTOP);
	ms = timed_enqueue(ctx, &rc, &err);
	printf("# enqueue on a hung Redis returned after %lld ms "
	    "(redis_timeout_ms 200)\n", (long long)ms);
	assert_refused(rc, &err, CNT_E_UNAVAILABLE);
	if (ms > 400)
		fail_msg("expected the call to return within ~200 ms, took %lld",
		    (long long)ms);
	/* then calls fail fast while the backoff runs */
	t = own_now_ms();
	for (i = 0; i < 100; i++) {
		cnt_jobs_schedule(ctx, "t", "2", "", time(NULL));
		cnt_events_seats_changed(ctx, 1);
	}
	ms = own_now_ms() - t;
	printf("# 100 hook calls during the backoff took %lld ms\n",
	    (long long)ms);
	if (ms > 450)
		fail_msg("expected hooks to fail fast during backoff, took %lld",
		    (long long)ms);

	/* dead: refused at once */
	own_redis_kill(&r);
	own_sleep_ms(2100);
	ms = timed_enqueue(ctx, &rc, &err);
	assert_refused(rc, &err, CNT_E_UNAVAILABLE);
	assert_true(ms < 200);

	/* back: reconnected after the backoff (at most 2 s) */
	own_redis_start(&r, "jobs-own");
	for (i = 0; i < 40; i++) {
		ms = timed_enqueue(ctx, &rc, &err);
		if (rc == CNT_OK)
			break;
		own_sleep_ms(100);
	}
	assert_ok(rc, &err);
	printf("# reconnected %d00 ms after Redis came back\n", i);
	cnt_ctx_free(ctx);
	own_redis_kill(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_enqueue_is_idempotent, flush_redis),
		cmocka_unit_test_setup(test_due_job_runs_on_time, flush_redis),
		cmocka_unit_test_setup(test_fail_twice_then_succeed, flush_redis),
		cmocka_unit_test_setup(test_always_failing_goes_dead, flush_redis),
		cmocka_unit_test_setup(test_killed_worker_job_runs_once_after_lease, flush_redis),
		cmocka_unit_test_setup(test_several_workers_and_graceful_stop, flush_redis),
		cmocka_unit_test_setup(test_batch_500_jobs_two_workers_run_once, flush_redis),
		cmocka_unit_test_setup(test_batch_gives_back_jobs_past_half_the_lease, flush_redis),
		cmocka_unit_test_setup(test_killed_worker_batch_runs_once_after_lease, flush_redis),
		cmocka_unit_test_setup(test_redis_hung_or_dead_never_blocks, flush_redis),
	};

	return cmocka_run_group_tests_name("jobs", tests, NULL, NULL);
}
