/*
 * jobs.c - the job queue on Redis and the worker loop.
 *
 * A job's id is "KIND:KEY". Keys (all under cinetty:jobs:):
 *   due       sorted set: id -> due time (ms)
 *   inflight  sorted set: id -> lease deadline (ms)
 *   dead      sorted set: id -> when it died (ms)
 *   payload, attempts, owner, error   hashes by id
 *   wake      a list a worker BLPOPs while idle; enqueue pushes to it when
 *             the new job is the earliest, so the wait ends at once.
 * Every multi-key change is one Lua script, so several workers never claim
 * one job at once; the lease owner token makes a worker whose lease lapsed
 * unable to complete or fail a job another worker has claimed since.
 *
 * PostgreSQL decides: the queue only makes the work prompt. The sweep finds
 * whatever the queue lost (Redis flushed, down, or a job never scheduled).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "redis-internal.h"

#define K_DUE		CNT_REDIS_PREFIX "jobs:due"
#define K_INFLIGHT	CNT_REDIS_PREFIX "jobs:inflight"
#define K_DEAD		CNT_REDIS_PREFIX "jobs:dead"
#define K_PAYLOAD	CNT_REDIS_PREFIX "jobs:payload"
#define K_ATTEMPTS	CNT_REDIS_PREFIX "jobs:attempts"
#define K_OWNER		CNT_REDIS_PREFIX "jobs:owner"
#define K_ERROR		CNT_REDIS_PREFIX "jobs:error"
#define K_WAKE		CNT_REDIS_PREFIX "jobs:wake"

#define JOB_WAIT_MAX_MS		1000	/* longest idle wait: stop latency */
/* Redis times a BLPOP out only on its clock tick (hz 10: up to 100 ms
 * late), so the last stretch before a due job is slept here instead. */
#define JOB_BLPOP_SLACK_MS	120
/* A hold expiry claimed less than this before its deadline stays with the
 * worker until then (it is due in whole seconds, the hold not). */
#define JOB_KEEP_MAX_MS		2000
/* The sweep of expired holds waits for a quiet queue this many sweep
 * periods at most. */
#define JOB_HOLD_SWEEP_LATE	10
#define JOB_DEFAULT_BACKOFF_MS	1000

/* KEYS due inflight dead payload attempts wake; ARGV id due_ms payload.
 * Returns 1 if added, 0 if it existed (a queued one may move earlier). */
static struct cnt_redis_script script_enqueue = { "enqueue",
"local id = ARGV[1]\n"
"local due = tonumber(ARGV[2])\n"
"if redis.call('ZSCORE', KEYS[3], id) or redis.call('ZSCORE', KEYS[2], id)\n"
"then return 0 end\n"
"local cur = redis.call('ZSCORE', KEYS[1], id)\n"
"local added = 0\n"
"if cur then\n"
"  if due >= tonumber(cur) then return 0 end\n"
"else\n"
"  redis.call('HSET', KEYS[4], id, ARGV[3])\n"
"  redis.call('HSET', KEYS[5], id, 0)\n"
"  added = 1\n"
"end\n"
"redis.call('ZADD', KEYS[1], ARGV[2], id)\n"
"local first = redis.call('ZRANGE', KEYS[1], 0, 0)\n"
"if first[1] == id then\n"
"  redis.call('RPUSH', KEYS[6], '1')\n"
"  redis.call('LTRIM', KEYS[6], -8, -1)\n"
"end\n"
"return added\n", "" };

/*
 * KEYS due inflight dead payload attempts owner error;
 * ARGV now_ms lease_ms token max_attempts limit.
 * Lapsed leases become due now (or dead once out of attempts). Then up to
 * LIMIT of the earliest due jobs move to inflight, all with one lease.
 * Returns {claimed, next_ms, then per job: state, id, payload, attempts}
 * with state 1 claimed, 2 died of lapsed leases (already moved to dead);
 * next_ms: when the next job is due or lease lapses (-1: none), when
 * nothing was claimed.
 */
static struct cnt_redis_script script_claim = { "claim",
"local now = tonumber(ARGV[1])\n"
"local max = tonumber(ARGV[4])\n"
"local out = {0, '0'}\n"
"local function add(state, id, n)\n"
"  out[#out + 1] = state\n"
"  out[#out + 1] = id\n"
"  out[#out + 1] = redis.call('HGET', KEYS[4], id) or ''\n"
"  out[#out + 1] = n\n"
"end\n"
"local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now,\n"
"  'LIMIT', 0, 1000)\n"
"for _, id in ipairs(lapsed) do\n"
"  redis.call('ZREM', KEYS[2], id)\n"
"  redis.call('HDEL', KEYS[6], id)\n"
"  local n = tonumber(redis.call('HGET', KEYS[5], id) or '0')\n"
"  if n >= max then\n"
"    redis.call('ZADD', KEYS[3], now, id)\n"
"    redis.call('HSET', KEYS[7], id, 'lease lapsed ' .. n .. ' times')\n"
"    add(2, id, n)\n"
"  else\n"
"    redis.call('HSET', KEYS[7], id, 'lease lapsed (worker died?)')\n"
"    redis.call('ZADD', KEYS[1], now, id)\n"
"  end\n"
"end\n"
"local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0,\n"
"  tonumber(ARGV[5]))\n"
"local lease = now + tonumber(ARGV[2])\n"
"for _, id in ipairs(ids) do\n"
"  redis.call('ZREM', KEYS[1], id)\n"
"  redis.call('ZADD', KEYS[2], lease, id)\n"
"  redis.call('HSET', KEYS[6], id, ARGV[3])\n"
"  add(1, id, redis.call('HINCRBY', KEYS[5], id, 1))\n"
"end\n"
"out[1] = #ids\n"
"if #ids == 0 then\n"
"  local nxt = -1\n"
"  local d = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')\n"
"  if #d > 0 then nxt = tonumber(d[2]) end\n"
"  local l = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')\n"
"  if #l > 0 and (nxt < 0 or tonumber(l[2]) < nxt) then\n"
"    nxt = tonumber(l[2])\n"
"  end\n"
"  out[2] = string.format('%d', nxt)\n"
"end\n"
"return out\n", "" };

/*
 * KEYS inflight due payload attempts owner error;
 * ARGV token, then pairs: id, "done" or a due time in ms.
 * Settles a batch in one round trip: a done job is forgotten; any other is
 * given back unrun (shutdown, or deferred by its handler), due at that
 * time, the attempt not counted. A job whose lease this worker lost is
 * left alone. Returns the ids of those.
 */
static struct cnt_redis_script script_settle = { "settle",
"local lost = {}\n"
"for i = 2, #ARGV, 2 do\n"
"  local id = ARGV[i]\n"
"  if redis.call('HGET', KEYS[5], id) ~= ARGV[1] then\n"
"    lost[#lost + 1] = id\n"
"  else\n"
"    redis.call('ZREM', KEYS[1], id)\n"
"    if ARGV[i + 1] == 'done' then\n"
"      for k = 3, 6 do redis.call('HDEL', KEYS[k], id) end\n"
"    else\n"
"      redis.call('HDEL', KEYS[5], id)\n"
"      redis.call('HINCRBY', KEYS[4], id, -1)\n"
"      redis.call('ZADD', KEYS[2], ARGV[i + 1], id)\n"
"    end\n"
"  end\n"
"end\n"
"return lost\n", "" };

/*
 * KEYS due inflight dead attempts owner error;
 * ARGV id token now_ms backoff_ms max_attempts message.
 * 1 rescheduled after backoff * 2^(attempts-1), 2 dead, 0 lease lost.
 */
static struct cnt_redis_script script_fail = { "fail",
"if redis.call('HGET', KEYS[5], ARGV[1]) ~= ARGV[2] then return 0 end\n"
"redis.call('ZREM', KEYS[2], ARGV[1])\n"
"redis.call('HDEL', KEYS[5], ARGV[1])\n"
"redis.call('HSET', KEYS[6], ARGV[1], ARGV[6])\n"
"local n = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '1')\n"
"local now = tonumber(ARGV[3])\n"
"if n >= tonumber(ARGV[5]) then\n"
"  redis.call('ZADD', KEYS[3], now, ARGV[1])\n"
"  return 2\n"
"end\n"
"local delay = tonumber(ARGV[4]) * 2 ^ (n - 1)\n"
"if delay > 3600000 then delay = 3600000 end\n"
"redis.call('ZADD', KEYS[1], string.format('%d', now + delay), ARGV[1])\n"
"return 1\n", "" };

/* KEYS dead due payload attempts error wake; ARGV id now_ms payload.
 * A dead job back on the queue. PAYLOAD is used when Redis lost it.
 * 1 done, 0 not dead (and not recreated: payload empty and unknown). */
static struct cnt_redis_script script_retry = { "retry",
"local known = redis.call('ZREM', KEYS[1], ARGV[1]) == 1\n"
"if not known and ARGV[4] ~= '1' then return 0 end\n"
"if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then\n"
"  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])\n"
"end\n"
"redis.call('HSET', KEYS[4], ARGV[1], 0)\n"
"redis.call('HDEL', KEYS[5], ARGV[1])\n"
"redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])\n"
"redis.call('RPUSH', KEYS[6], '1')\n"
"redis.call('LTRIM', KEYS[6], -8, -1)\n"
"return 1\n", "" };

/* KEYS dead payload attempts error; ARGV id. 1 dropped, 0 not dead. */
static struct cnt_redis_script script_drop = { "drop",
"if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end\n"
"for i = 2, 4 do redis.call('HDEL', KEYS[i], ARGV[1]) end\n"
"return 1\n", "" };

/* ------------------------------------------------------------------ */
/* Enqueueing.                                                         */

int
cnt_job_enqueue(struct cnt_ctx *ctx, const char *kind, const char *key,
    const char *payload, int64_t due_ms, bool *created, struct cnt_error *err)
{
	const char     *args[9];
	char		due[CNT_I64BUF], *id;
	redisReply     *r;

	if (created != NULL)
		*created = false;
	if (kind == NULL || *kind == '\0' || strchr(kind, ':') != NULL ||
	    key == NULL || *key == '\0')
		return cnt_error_set(err, CNT_E_INVALID,
		    "a job needs a kind (without \":\") and a key");
	id = xasprintf("%s:%s", kind, key);
	args[0] = K_DUE;
	args[1] = K_INFLIGHT;
	args[2] = K_DEAD;
	args[3] = K_PAYLOAD;
	args[4] = K_ATTEMPTS;
	args[5] = K_WAKE;
	args[6] = id;
	args[7] = cnt_i64(due, due_ms);
	args[8] = payload != NULL ? payload : "";
	r = cnt_redis_eval(ctx, err, &script_enqueue, 6, 3, args);
	if (r == NULL) {
		free(id);
		return CNT_ERR;
	}
	if (r->type != REDIS_REPLY_INTEGER) {
		freeReplyObject(r);
		free(id);
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "Redis: unexpected answer to enqueue");
	}
	if (created != NULL)
		*created = r->integer == 1;
	if (r->integer == 1)
		log_debug("event=job_queued job=%s due_ms=%s", id, due);
	freeReplyObject(r);
	free(id);
	return CNT_OK;
}

/* The hook core modules call after a commit: best effort. */
void
cnt_jobs_schedule(struct cnt_ctx *ctx, const char *kind, const char *key,
    const char *payload, time_t due)
{
	struct cnt_error err;
	bool		was_down = cnt_redis_down(ctx);

	/* DUE is whole seconds, the deadline behind it is not: run at the
	 * next second, never before the deadline - except a hold expiry.
	 * Its DUE is the hold's deadline rounded (to the nearest second, by
	 * cnt_hold), so it runs a second early and, seeing the hold has a
	 * moment left, runs again at the exact deadline (the worker keeps
	 * it until then: hold_expiry_batch). */
	int64_t		due_ms = (int64_t)due * 1000;

	if (strcmp(kind, CNT_JOB_HOLD_EXPIRY) != 0)
		due_ms += 1000;
	else
		due_ms -= 1000;
	if (cnt_job_enqueue(ctx, kind, key, payload, due_ms, NULL,
	    &err) == CNT_OK)
		return;
	/* One warning per outage (redis.c logs it going down), not per call. */
	cnt_log(was_down ? CNT_LOG_DEBUG : CNT_LOG_WARN,
	    "event=job_schedule_failed kind=%s key=%s error=\"%s\""
	    " note=\"left to the sweep\"", kind, key, err.msg);
}

/* ------------------------------------------------------------------ */
/* The worker.                                                         */

/* What became of a claimed job. */
enum job_state {
	JS_PENDING,		/* not run yet */
	JS_DONE,		/* ran: forget it */
	JS_RELEASE,		/* give it back unrun, due at .due_ms */
	JS_KEEP,		/* a hold a moment from its deadline: keep
				   it claimed and run it again at .due_ms */
	JS_SETTLED,		/* reported already (failed, or died) */
};

struct claimed {
	char	       *id;
	char	       *payload;
	int		attempts;
	enum job_state	state;
	int64_t		due_ms;		/* JS_RELEASE, JS_KEEP: due again then */
	int64_t		claimed_ms;	/* its lease runs from here */
};

struct batch {
	struct claimed *jobs;
	size_t		n;
	int64_t		claimed_at;	/* ms: the lease runs from here */
	int		ran;		/* jobs that counted as a run */
};

static bool
reply_is_int_or_str(const redisReply *r)
{
	return r->type == REDIS_REPLY_INTEGER || r->type == REDIS_REPLY_STRING;
}

static long long
reply_ll(const redisReply *r)
{
	return r->type == REDIS_REPLY_INTEGER ? r->integer :
	    strtoll(r->str, NULL, 10);
}

/* Split "kind:key" in place: returns the key, *ID keeps the kind. */
static char *
job_split(char *id)
{
	char   *colon = strchr(id, ':');

	if (colon == NULL)
		return id + strlen(id);
	*colon = '\0';
	return colon + 1;
}

/* Keep a dead job for people: a jobs_dead row, and a log line. */
static void
job_record_dead(struct cnt_ctx *ctx, const struct claimed *j,
    const char *why)
{
	struct cnt_error err;
	char	       *kind = xstrdup(j->id), *key = job_split(kind);
	char		n[CNT_I64BUF];
	const char     *p[5] = { kind, key, j->payload, cnt_i64(n, j->attempts),
			    why };
	PGresult       *res;

	log_error("event=job_dead job=%s attempts=%d error=\"%s\"", j->id,
	    j->attempts, why);
	res = cnt_db_exec(ctx, &err, "INSERT INTO jobs_dead (kind, job_key,"
	    " payload, attempts, last_error) VALUES ($1, $2, $3, $4, $5)", 5, p);
	if (res == NULL)
		log_error("event=job_dead_unrecorded job=%s error=\"%s\"", j->id,
		    err.msg);
	PQclear(res);
	free(kind);
}

static void
batch_free(struct batch *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		free(b->jobs[i].id);
		free(b->jobs[i].payload);
	}
	free(b->jobs);
	memset(b, 0, sizeof *b);
}

/*
 * Claim up to LIMIT due jobs into B (one round trip, one lease for all).
 * Jobs that died of lapsed leases come back too, already settled. Returns
 * the number claimed (0: *NEXT_MS says when to look again, -1 if the queue
 * is empty), or -1 with ERR when Redis failed.
 */
static int
job_claim(struct cnt_ctx *ctx, const char *token, int limit, struct batch *b,
    int64_t *next_ms, struct cnt_error *err)
{
	const char     *args[12];
	char		now[CNT_I64BUF], lease[CNT_I64BUF], max[CNT_I64BUF],
			lim[CNT_I64BUF];
	redisReply     *r;
	size_t		i, n;
	int		claimed;

	memset(b, 0, sizeof *b);
	b->claimed_at = cnt_now_ms();
	args[0] = K_DUE;
	args[1] = K_INFLIGHT;
	args[2] = K_DEAD;
	args[3] = K_PAYLOAD;
	args[4] = K_ATTEMPTS;
	args[5] = K_OWNER;
	args[6] = K_ERROR;
	args[7] = cnt_i64(now, b->claimed_at);
	args[8] = cnt_i64(lease, (int64_t)ctx->cfg.job_lease_seconds * 1000);
	args[9] = token;
	args[10] = cnt_i64(max, ctx->cfg.job_max_attempts);
	args[11] = cnt_i64(lim, limit);
	if ((r = cnt_redis_eval(ctx, err, &script_claim, 7, 5, args)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 2 ||
	    (r->elements - 2) % 4 != 0 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER ||
	    !reply_is_int_or_str(r->element[1]))
		goto bad;
	n = (r->elements - 2) / 4;
	for (i = 0; i < n; i++) {
		redisReply **e = &r->element[2 + 4 * i];

		if (e[0]->type != REDIS_REPLY_INTEGER ||
		    e[1]->type != REDIS_REPLY_STRING ||
		    e[2]->type != REDIS_REPLY_STRING || !reply_is_int_or_str(e[3]))
			goto bad;
	}
	claimed = (int)r->element[0]->integer;
	*next_ms = claimed == 0 ? reply_ll(r->element[1]) : 0;
	b->jobs = xcalloc(n + 1, sizeof *b->jobs);
	b->n = n;
	for (i = 0; i < n; i++) {
		redisReply    **e = &r->element[2 + 4 * i];
		struct claimed *j = &b->jobs[i];

		j->id = xstrdup(e[1]->str);
		j->payload = xstrdup(e[2]->str);
		j->attempts = (int)reply_ll(e[3]);
		j->state = e[0]->integer == 1 ? JS_PENDING : JS_SETTLED;
		j->claimed_ms = b->claimed_at;
	}
	freeReplyObject(r);
	for (i = 0; i < n; i++)
		if (b->jobs[i].state == JS_SETTLED)
			job_record_dead(ctx, &b->jobs[i],
			    "its lease lapsed too often");
	return claimed;
bad:
	freeReplyObject(r);
	cnt_error_set(err, CNT_E_INTERNAL, "Redis: unexpected answer to claim");
	return -1;
}

/* Report the failure of job J (run with TOKEN): retried after a backoff,
 * or dead. */
static void
job_fail(struct cnt_ctx *ctx, const struct cnt_worker_opts *o,
    const char *token, struct claimed *j, const char *msg)
{
	struct cnt_error err;
	const char     *args[12];
	char		now[CNT_I64BUF], backoff[CNT_I64BUF], max[CNT_I64BUF];
	redisReply     *r;

	j->state = JS_SETTLED;
	args[0] = K_DUE;
	args[1] = K_INFLIGHT;
	args[2] = K_DEAD;
	args[3] = K_ATTEMPTS;
	args[4] = K_OWNER;
	args[5] = K_ERROR;
	args[6] = j->id;
	args[7] = token;
	args[8] = cnt_i64(now, cnt_now_ms());
	args[9] = cnt_i64(backoff, o->backoff_ms > 0 ? o->backoff_ms :
	    JOB_DEFAULT_BACKOFF_MS);
	args[10] = cnt_i64(max, ctx->cfg.job_max_attempts);
	args[11] = msg;
	r = cnt_redis_eval(ctx, &err, &script_fail, 6, 6, args);
	if (r == NULL) {
		/* The lease will lapse and the job run again: handlers are
		 * idempotent. */
		log_warn("event=job_report_failed job=%s error=\"%s\"", j->id,
		    err.msg);
		return;
	}
	if (r->type == REDIS_REPLY_INTEGER && r->integer == 0)
		log_warn("event=job_lease_lost job=%s", j->id);
	else if (r->type == REDIS_REPLY_INTEGER && r->integer == 2)
		job_record_dead(ctx, j, msg);
	else
		log_warn("event=job_failed job=%s attempt=%d error=\"%s\"",
		    j->id, j->attempts, msg);
	freeReplyObject(r);
}

/* Report every done or released job of B in one round trip. */
static void
batch_settle(struct cnt_ctx *ctx, const char *token, struct batch *b)
{
	struct cnt_error err;
	const char    **args;
	char	       *dues;
	redisReply     *r;
	size_t		i, k;
	int		nargs = 1;

	args = xcalloc(6 + 1 + 2 * b->n, sizeof *args);
	dues = xcalloc(b->n + 1, CNT_I64BUF);
	args[0] = K_INFLIGHT;
	args[1] = K_DUE;
	args[2] = K_PAYLOAD;
	args[3] = K_ATTEMPTS;
	args[4] = K_OWNER;
	args[5] = K_ERROR;
	args[6] = token;
	for (i = 0; i < b->n; i++) {
		struct claimed *j = &b->jobs[i];

		if (j->state != JS_DONE && j->state != JS_RELEASE)
			continue;
		args[6 + nargs++] = j->id;
		args[6 + nargs++] = j->state == JS_DONE ? "done" :
		    cnt_i64(dues + i * CNT_I64BUF, j->due_ms);
	}
	if (nargs > 1) {
		r = cnt_redis_eval(ctx, &err, &script_settle, 6, nargs, args);
		if (r == NULL)
			/* Their leases lapse and they run again: handlers
			 * are idempotent. */
			log_warn("event=job_report_failed jobs=%d error=\"%s\"",
			    (nargs - 1) / 2, err.msg);
		else {
			for (k = 0; r->type == REDIS_REPLY_ARRAY &&
			    k < r->elements; k++)
				if (r->element[k]->type == REDIS_REPLY_STRING)
					log_warn("event=job_lease_lost job=%s",
					    r->element[k]->str);
			freeReplyObject(r);
		}
	}
	free(args);
	free(dues);
}

/* The handlers only parse the payload: hold expiry and showtime
 * completion live in booking.c, mail in mail.c; all are idempotent. */
static int
handle_hold_expiry(struct cnt_ctx *ctx, const char *payload, void *arg,
    struct cnt_error *err)
{
	const char     *p[1] = { payload };
	PGresult       *res;
	int64_t		left = 0;
	int		released = 0;

	(void)arg;
	if (cnt_hold_expire(ctx, strtoll(payload, NULL, 10), &released,
	    err) != CNT_OK)
		return CNT_ERR;
	if (released > 0) {
		log_info("event=hold_expired hold=%s seats=%d", payload,
		    released);
		return CNT_OK;
	}
	/* Nothing freed: gone already, or (scheduled in whole seconds) not
	 * quite expired yet: then come back at the exact moment. */
	res = cnt_db_exec(ctx, err, "SELECT ceil(extract(epoch FROM"
	    " hold_expires - now()) * 1000)::bigint FROM showtime_seats"
	    " WHERE showtime_id = cnt_hold_showtime($1::bigint)"
	    " AND hold_id = $1::bigint AND state = 'held' LIMIT 1", 1, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 1)
		left = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	return left > 0 && left <= 60000 ? (int)left : CNT_OK;
}

static int
handle_showtime_complete(struct cnt_ctx *ctx, const char *payload,
    void *arg, struct cnt_error *err)
{
	int	completed = 0;

	(void)arg;
	if (cnt_showtime_complete(ctx, strtoll(payload, NULL, 10), &completed,
	    err) != CNT_OK)
		return CNT_ERR;
	if (completed > 0)
		log_info("event=showtime_completed showtime=%s bookings=%d",
		    payload, completed);
	return CNT_OK;
}

static int
handle_mail(struct cnt_ctx *ctx, const char *payload, void *arg,
    struct cnt_error *err)
{
	(void)arg;
	return cnt_mail_send(ctx, strtoll(payload, NULL, 10), err);
}

static const struct cnt_job_handler default_handlers[] = {
	{ CNT_JOB_HOLD_EXPIRY, handle_hold_expiry, NULL },
	{ CNT_JOB_SHOWTIME_DONE, handle_showtime_complete, NULL },
	{ CNT_JOB_MAIL, handle_mail, NULL },
};

static const struct cnt_job_handler *
job_handler(const struct cnt_worker_opts *o, const char *kind)
{
	const struct cnt_job_handler *h = o->handlers;
	size_t	n = o->nhandlers, i;

	if (h == NULL) {
		h = default_handlers;
		n = sizeof default_handlers / sizeof default_handlers[0];
	}
	for (i = 0; i < n; i++)
		if (strcmp(h[i].kind, kind) == 0)
			return &h[i];
	return NULL;
}

/* true if job J is a hold expiry run by the built-in handler, which the
 * worker does for a whole batch at once (hold_expiry_batch). */
static bool
job_is_hold_expiry(const struct cnt_worker_opts *o, const struct claimed *j)
{
	const struct cnt_job_handler *h;
	size_t	len = sizeof CNT_JOB_HOLD_EXPIRY - 1;

	if (strncmp(j->id, CNT_JOB_HOLD_EXPIRY ":", len + 1) != 0)
		return false;
	h = o->handlers;
	if (h == NULL)
		return true;
	h = job_handler(o, CNT_JOB_HOLD_EXPIRY);
	return h != NULL && h->run == handle_hold_expiry;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Every pending hold-expiry job of B in one statement (cnt_holds_expire
 * over an array of hold ids): expired holds freed and done, holds a
 * fraction of a second from their deadline released to come back at that
 * moment, vanished ones done. One seat event per showtime that changed.
 */
static void
hold_expiry_batch(struct cnt_ctx *ctx, const struct cnt_worker_opts *o,
    const char *token, struct batch *b)
{
	struct cnt_error err;
	struct claimed **hj;
	const char     *p[1];
	char	       *arr, *end;
	size_t		i, n = 0, len = 2, row;
	int64_t	       *shows, now, keep_lease;
	int		nshows = 0, seats = 0, freed = 0;
	PGresult       *res;

	/* What is left of the lease of the oldest job of the batch. */
	keep_lease = (int64_t)ctx->cfg.job_lease_seconds * 1000 -
	    (cnt_now_ms() - b->claimed_at);
	hj = xcalloc(b->n + 1, sizeof *hj);
	for (i = 0; i < b->n; i++) {
		struct claimed *j = &b->jobs[i];

		if (j->state != JS_PENDING || !job_is_hold_expiry(o, j))
			continue;
		/* A hold id, nothing else, goes into the array literal. */
		if (j->payload[0] == '\0' ||
		    strtoll(j->payload, &end, 10) <= 0 || *end != '\0') {
			job_fail(ctx, o, token, j, "the payload is not a hold id");
			b->ran++;
			continue;
		}
		hj[n++] = j;
		len += strlen(j->payload) + 1;
	}
	if (n == 0) {
		free(hj);
		return;
	}
	arr = xmalloc(len + 1);
	arr[0] = '{';
	arr[1] = '\0';
	for (i = 0, end = arr + 1; i < n; i++)
		end += sprintf(end, "%s%s", i > 0 ? "," : "", hj[i]->payload);
	strcpy(end, "}");
	p[0] = arr;
	res = cnt_db_exec(ctx, &err, "SELECT hold_id, showtime_id, released,"
	    " coalesce(left_ms, 0) FROM cnt_holds_expire($1::bigint[])", 1, p);
	free(arr);
	if (res == NULL) {
		for (i = 0; i < n; i++)
			job_fail(ctx, o, token, hj[i], err.msg);
		b->ran += (int)n;
		free(hj);
		return;
	}
	/* Rows come back in the order of the array, one per hold. */
	shows = xcalloc((size_t)PQntuples(res) + 1, sizeof *shows);
	now = cnt_now_ms();
	for (row = 0, i = 0; row < (size_t)PQntuples(res) && i < n;
	    row++, i++) {
		int64_t	left = cnt_pg_i64(res, (int)row, 3);
		int	rel = cnt_pg_int(res, (int)row, 2);

		if (rel > 0) {
			shows[nshows++] = cnt_pg_i64(res, (int)row, 1);
			seats += rel;
			freed++;
		}
		if (rel == 0 && left > 0 && left <= 60000) {
			/* Its deadline is a moment away (jobs are due in whole
			 * seconds): keep it claimed and try again then, with no
			 * round trips to the queue, if the lease allows. */
			hj[i]->state = left <= JOB_KEEP_MAX_MS &&
			    left + JOB_KEEP_MAX_MS < keep_lease ? JS_KEEP :
			    JS_RELEASE;
			hj[i]->due_ms = now + left;
		} else {
			hj[i]->state = JS_DONE;
			b->ran++;
		}
	}
	PQclear(res);
	for (; i < n; i++)	/* not answered for: run it again */
		job_fail(ctx, o, token, hj[i], "no answer for this hold");
	qsort(shows, (size_t)nshows, sizeof *shows, cmp_i64);
	for (i = 0; i < (size_t)nshows; i++)
		if (i == 0 || shows[i] != shows[i - 1])
			cnt_events_seats_changed(ctx, shows[i]);
	if (freed > 0)
		log_info("event=holds_expired holds=%d seats=%d jobs=%zu",
		    freed, seats, n);
	free(shows);
	free(hj);
}

static bool
worker_stopping(const struct cnt_worker_opts *o)
{
	return o->stop != NULL && *o->stop;
}

/* Run claimed job J with its handler. */
static void
job_run(struct cnt_ctx *ctx, const struct cnt_worker_opts *o,
    const char *token, struct batch *b, struct claimed *j)
{
	const struct cnt_job_handler *h;
	struct cnt_error err;
	char	       *kind = xstrdup(j->id);
	int64_t		start = cnt_now_ms();
	int		rc;

	job_split(kind);
	cnt_error_clear(&err);
	if ((h = job_handler(o, kind)) == NULL)
		rc = cnt_error_set(&err, CNT_E_INTERNAL,
		    "no handler for jobs of kind \"%s\"", kind);
	else {
		rc = h->run(ctx, j->payload, h->arg, &err);
		if (ctx->pg_txn > 0)	/* a handler left a transaction open */
			cnt_db_rollback(ctx);
	}
	free(kind);
	if (rc > 0) {
		/* "Not yet": back on the queue in RC ms, not an attempt. */
		log_debug("event=job_deferred job=%s ms=%d", j->id, rc);
		j->state = JS_RELEASE;
		j->due_ms = cnt_now_ms() + rc;
		return;
	}
	b->ran++;
	if (rc == CNT_OK) {
		log_info("event=job_done job=%s attempt=%d ms=%lld", j->id,
		    j->attempts, (long long)(cnt_now_ms() - start));
		j->state = JS_DONE;
		return;
	}
	job_fail(ctx, o, token, j, err.msg[0] != '\0' ? err.msg : "failed");
}

/* Move the jobs of B to be run again later (JS_KEEP) to KEPT. */
static void
batch_keep(struct batch *b, struct batch *kept)
{
	size_t	i, k = 0;

	for (i = 0; i < b->n; i++) {
		if (b->jobs[i].state != JS_KEEP) {
			b->jobs[k++] = b->jobs[i];
			continue;
		}
		kept->jobs = xrealloc(kept->jobs,
		    (kept->n + 1) * sizeof *kept->jobs);
		kept->jobs[kept->n++] = b->jobs[i];
	}
	b->n = k;
}

/* Move the kept jobs due by NOW (all if ALL) from KEPT to B, to be run
 * (ALL: given back) with it. */
static void
batch_take_due(struct batch *kept, struct batch *b, int64_t now, bool all)
{
	size_t	i, k = 0;

	for (i = 0; i < kept->n; i++) {
		struct claimed *j = &kept->jobs[i];

		if (!all && j->due_ms > now) {
			kept->jobs[k++] = *j;
			continue;
		}
		j->state = all ? JS_RELEASE : JS_PENDING;
		if (b->n == 0 || j->claimed_ms < b->claimed_at)
			b->claimed_at = j->claimed_ms;
		b->jobs = xrealloc(b->jobs, (b->n + 1) * sizeof *b->jobs);
		b->jobs[b->n++] = *j;
	}
	kept->n = k;
}

/* When the first kept job is due again, -1 if none. */
static int64_t
batch_next_due(const struct batch *kept)
{
	int64_t	next = -1;
	size_t	i;

	for (i = 0; i < kept->n; i++)
		if (next < 0 || kept->jobs[i].due_ms < next)
			next = kept->jobs[i].due_ms;
	return next;
}

/*
 * Run batch B: hold expiries all at once, the others one by one. A job
 * not started when the worker is asked to stop, or once half the lease
 * has gone (so no job runs on a lease about to lapse, which would let
 * another worker run it too), goes back on the queue unrun. Then the
 * outcomes go to Redis in one round trip.
 */
static void
batch_run(struct cnt_ctx *ctx, const struct cnt_worker_opts *o,
    const char *token, struct batch *b)
{
	int64_t	half = (int64_t)ctx->cfg.job_lease_seconds * 500;
	size_t	i;

	if (!worker_stopping(o))
		hold_expiry_batch(ctx, o, token, b);
	for (i = 0; i < b->n; i++) {
		struct claimed *j = &b->jobs[i];

		if (j->state != JS_PENDING)
			continue;
		if (worker_stopping(o) ||
		    (i > 0 && cnt_now_ms() - b->claimed_at > half)) {
			j->state = JS_RELEASE;
			j->due_ms = cnt_now_ms();
			continue;
		}
		job_run(ctx, o, token, b, j);
	}
	batch_settle(ctx, token, b);
}

/* What a sweep covers. */
#define SWEEP_HOLDS	1	/* expired holds: reads every held seat */
#define SWEEP_REST	2	/* ended showtimes, unsent mail: indexed */

static int	sweep_run(struct cnt_ctx *, int, struct cnt_sweep_report *,
		    struct cnt_error *);

/* Sleep MS unless a signal arrives (the stop flag is checked after). */
static void
sleep_ms(int ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

int
cnt_worker_run(struct cnt_ctx *ctx, const struct cnt_worker_opts *o,
    struct cnt_error *err)
{
	struct cnt_sweep_report sweep;
	struct cnt_error e;
	struct batch	b, kept;
	char		token[128], host[64];
	int64_t		now, next_sweep = 0, next_ms, wait, sweep_ms;
	int64_t		holds_owed = 0;	/* hold sweep due since (0: not) */
	int64_t		redis_seen_down = 0;	/* when, last (0: never) */
	static unsigned	seq;
	int		ran = 0, limit, got;
	bool		busy = false, recent_outage;
	redisReply     *r;

	(void)err;
	if (gethostname(host, sizeof host) != 0)
		cnt_strlcpy(host, "?", sizeof host);
	host[sizeof host - 1] = '\0';
	snprintf(token, sizeof token, "%s:%ld:%u:%lld", host, (long)getpid(),
	    ++seq, (long long)cnt_now_ms());
	log_info("event=worker_start token=%s", token);
	memset(&kept, 0, sizeof kept);
	while (!worker_stopping(o)) {
		now = cnt_now_ms();
		/* The sweep is a safety net. Its hold part reads every held
		 * seat (no index on a column a hold writes) and can take a
		 * second on a big inventory, so it waits until no job is due
		 * within a second, JOB_HOLD_SWEEP_LATE periods at most (an
		 * expired hold is free to every reader anyway). */
		sweep_ms = (int64_t)ctx->cfg.sweep_seconds * 1000;
		/* Holds made while Redis was down have no expiry job: only
		 * the sweep frees them, so for a hold's lifetime after an
		 * outage it does not wait for a quiet queue. */
		recent_outage = redis_seen_down != 0 && now - redis_seen_down <=
		    (int64_t)ctx->cfg.hold_minutes * 60000 + sweep_ms;
		if (!o->no_sweep && now >= next_sweep) {
			sweep_run(ctx, SWEEP_REST, &sweep, &e);
			next_sweep = now + sweep_ms;
			if (holds_owed == 0)
				holds_owed = now;
		}
		if (holds_owed != 0 && (!busy || recent_outage ||
		    now - holds_owed >= JOB_HOLD_SWEEP_LATE * sweep_ms)) {
			sweep_run(ctx, SWEEP_HOLDS, &sweep, &e);
			holds_owed = 0;
		}
		limit = o->batch > 0 ? o->batch : CNT_JOB_BATCH;
		if (o->max_jobs > 0 && o->max_jobs - ran < limit)
			limit = o->max_jobs - ran;
		next_ms = -1;
		got = job_claim(ctx, token, limit, &b, &next_ms, &e);
		busy = got > 0 || kept.n > 0 || (next_ms >= 0 &&
		    next_ms - cnt_now_ms() < JOB_WAIT_MAX_MS);
		if (got < 0) {
			/* Redis down: the sweep keeps PostgreSQL right, and
			 * its hold part is the only way expired holds go (the
			 * jobs kept from before cannot be acknowledged), so
			 * it no longer waits for a quiet queue. */
			busy = false;
			redis_seen_down = cnt_now_ms();
			wait = JOB_WAIT_MAX_MS;
			if (!o->no_sweep && next_sweep - now < wait)
				wait = next_sweep - now;
			sleep_ms((int)wait);
			continue;
		}
		batch_take_due(&kept, &b, cnt_now_ms(), false);
		if (b.n > 0) {
			batch_run(ctx, o, token, &b);
			batch_keep(&b, &kept);
			ran += b.ran;
			batch_free(&b);
			cnt_db_idle(ctx);
			if (o->max_jobs > 0 && ran >= o->max_jobs)
				break;
			if (got > 0)
				continue;
		}
		batch_free(&b);
		cnt_db_idle(ctx);
		wait = JOB_WAIT_MAX_MS;
		now = cnt_now_ms();
		if (next_ms >= 0 && next_ms - now < wait)
			wait = next_ms - now;
		if (kept.n > 0 && batch_next_due(&kept) - now < wait)
			wait = batch_next_due(&kept) - now;
		if (!o->no_sweep && next_sweep - now < wait)
			wait = next_sweep - now;
		if (holds_owed != 0 && (!busy || recent_outage))
			wait = 0;
		else if (holds_owed != 0 && holds_owed +
		    JOB_HOLD_SWEEP_LATE * sweep_ms - now < wait)
			wait = holds_owed + JOB_HOLD_SWEEP_LATE * sweep_ms - now;
		if (wait <= 0)
			continue;
		if (wait <= JOB_BLPOP_SLACK_MS) {
			sleep_ms((int)wait);
			continue;
		}
		r = cnt_redis_blpop(ctx, &e, K_WAKE,
		    (int)(wait - JOB_BLPOP_SLACK_MS));
		if (r != NULL)
			freeReplyObject(r);
	}
	/* Jobs kept for a moment go back on the queue, due when they were
	 * to run again. */
	memset(&b, 0, sizeof b);
	batch_take_due(&kept, &b, 0, true);
	batch_settle(ctx, token, &b);
	batch_free(&b);
	batch_free(&kept);
	log_info("event=worker_stop token=%s jobs=%d", token, ran);
	return CNT_OK;
}

static volatile int worker_stop_flag;

static void
worker_on_signal(int sig)
{
	(void)sig;
	worker_stop_flag = 1;
}

int
cnt_worker_main(const struct cnt_config *cfg)
{
	struct cnt_worker_opts opts;
	struct sigaction sa;
	struct cnt_error err;
	struct cnt_ctx *ctx;
	int		rc;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = worker_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: end sleeps at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	memset(&opts, 0, sizeof opts);
	opts.stop = &worker_stop_flag;
	ctx = cnt_ctx_new(cfg);
	rc = cnt_worker_run(ctx, &opts, &err);
	if (rc != CNT_OK)
		log_error("event=worker_failed error=\"%s\"", err.msg);
	cnt_ctx_free(ctx);
	return rc == CNT_OK ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* The sweep of PostgreSQL.                                            */

/* Unsent mail back on the queue (or sent here if Redis is down). Sending
 * here is bounded to half a sweep interval: a backlog of mail must not keep
 * the worker from its next sweep of expired holds (the rest waits for the
 * next sweep). */
static int
sweep_mail(struct cnt_ctx *ctx, struct cnt_sweep_report *rep,
    struct cnt_error *err)
{
	struct cnt_error e;
	char		max[CNT_I64BUF], why[256];
	const char     *p[1] = { cnt_i64(max, ctx->cfg.job_max_attempts) };
	PGresult       *res;
	int		i, rc = CNT_OK;
	bool		redis_ok = true;
	int64_t		until = cnt_now_ms() +
			    (int64_t)ctx->cfg.sweep_seconds * 500;

	if (!cnt_mail_configured(&ctx->cfg, why, sizeof why))
		return CNT_OK;	/* stays queued; `cinetty jobs` says why */
	res = cnt_db_exec(ctx, err, "SELECT id FROM mail_outbox"
	    " WHERE sent_at IS NULL AND attempts < $1 ORDER BY id LIMIT 1000",
	    1, p);
	if (res == NULL)
		return CNT_ERR;
	for (i = 0; i < PQntuples(res); i++) {
		const char *id = PQgetvalue(res, i, 0);
		bool	    created;

		if (redis_ok && cnt_job_enqueue(ctx, CNT_JOB_MAIL, id, id,
		    cnt_now_ms(), &created, &e) == CNT_OK) {
			rep->mail_queued += created;
			continue;
		}
		redis_ok = false;
		if (cnt_now_ms() >= until)
			break;
		if (cnt_mail_send(ctx, strtoll(id, NULL, 10), &e) == CNT_OK)
			rep->mail_sent++;
		else if (rc == CNT_OK) {
			*err = e;
			rc = CNT_ERR;
		}
	}
	PQclear(res);
	return rc;
}

/* Log a failed part of the sweep; keep the first error in ERR. */
static int
sweep_failed(const char *part, const struct cnt_error *e, int rc,
    struct cnt_error *err)
{
	log_warn("event=sweep_failed part=%s error=\"%s\"", part, e->msg);
	if (rc == CNT_OK && err != NULL)
		*err = *e;
	return CNT_ERR;
}

/* Sweep PARTS of PostgreSQL for missed work into REP. */
static int
sweep_run(struct cnt_ctx *ctx, int parts, struct cnt_sweep_report *rep,
    struct cnt_error *err)
{
	struct cnt_error e;
	int	rc = CNT_OK;

	memset(rep, 0, sizeof *rep);
	cnt_error_clear(err);
	if ((parts & SWEEP_HOLDS) &&
	    cnt_holds_sweep(ctx, &rep->holds_released, &e) != CNT_OK)
		rc = sweep_failed("holds", &e, rc, err);
	if ((parts & SWEEP_REST) && cnt_showtimes_sweep_complete(ctx,
	    &rep->bookings_completed, &e) != CNT_OK)
		rc = sweep_failed("showtimes", &e, rc, err);
	if ((parts & SWEEP_REST) && sweep_mail(ctx, rep, &e) != CNT_OK)
		rc = sweep_failed("mail", &e, rc, err);
	if (rep->holds_released || rep->bookings_completed ||
	    rep->mail_queued || rep->mail_sent)
		log_info("event=sweep holds_released=%d bookings_completed=%d"
		    " mail_queued=%d mail_sent=%d", rep->holds_released,
		    rep->bookings_completed, rep->mail_queued, rep->mail_sent);
	return rc;
}

int
cnt_jobs_sweep(struct cnt_ctx *ctx, struct cnt_sweep_report *rep,
    struct cnt_error *err)
{
	return sweep_run(ctx, SWEEP_HOLDS | SWEEP_REST, rep, err);
}

/* ------------------------------------------------------------------ */
/* Administration: `cinetty jobs`.                                     */

static int
jobs_admin(const struct cnt_actor *actor, struct cnt_error *err)
{
	if (actor == NULL || actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "only an admin may manage the job queue");
	return CNT_OK;
}

static long
redis_count(struct cnt_ctx *ctx, struct cnt_error *err, const char *key,
    const char *min, const char *max)
{
	redisReply     *r = cnt_redis_cmd(ctx, err, "ZCOUNT", key, min, max,
			    NULL);
	long		n;

	if (r == NULL)
		return -1;
	n = r->type == REDIS_REPLY_INTEGER ? (long)r->integer : -1;
	freeReplyObject(r);
	return n;
}

int
cnt_jobs_status(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    struct cnt_jobs_status *st, struct cnt_error *err)
{
	char		now[CNT_I64BUF], after[CNT_I64BUF];
	int64_t		t = cnt_now_ms();
	PGresult       *res;

	if (jobs_admin(actor, err) != CNT_OK)
		return CNT_ERR;
	memset(st, 0, sizeof *st);
	st->mailer_ok = cnt_mail_configured(&ctx->cfg, st->mailer,
	    sizeof st->mailer);
	res = cnt_db_exec(ctx, err, "SELECT count(*) FROM mail_outbox"
	    " WHERE sent_at IS NULL", 0, NULL);
	if (res == NULL)
		return CNT_ERR;
	st->mail_unsent = (long)cnt_pg_i64(res, 0, 0);
	PQclear(res);
	cnt_i64(now, t);
	cnt_i64(after, t + 1);
	if ((st->due = redis_count(ctx, err, K_DUE, "-inf", now)) < 0 ||
	    (st->scheduled = redis_count(ctx, err, K_DUE, after, "+inf")) < 0 ||
	    (st->inflight = redis_count(ctx, err, K_INFLIGHT, "-inf",
	    "+inf")) < 0 ||
	    (st->dead = redis_count(ctx, err, K_DEAD, "-inf", "+inf")) < 0)
		return CNT_ERR;
	return CNT_OK;
}

void
cnt_jobs_free(struct cnt_job *jobs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(jobs[i].id);
		free(jobs[i].kind);
		free(jobs[i].key);
		free(jobs[i].payload);
		free(jobs[i].last_error);
	}
	free(jobs);
}

/* HGET HASH ID as an owned string, "" if none. */
static char *
hash_str(struct cnt_ctx *ctx, const char *hash, const char *id)
{
	struct cnt_error err;
	redisReply     *r = cnt_redis_cmd(ctx, &err, "HGET", hash, id, NULL);
	char	       *s;

	s = xstrdup(r != NULL && r->type == REDIS_REPLY_STRING ? r->str : "");
	if (r != NULL)
		freeReplyObject(r);
	return s;
}

int
cnt_jobs_list(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    enum cnt_job_state state, int limit, struct cnt_job **out, size_t *n,
    struct cnt_error *err)
{
	static const char *const keys[] = { K_DUE, K_INFLIGHT, K_DEAD };
	struct cnt_job *jobs;
	char		lim[CNT_I64BUF], *att;
	redisReply     *r;
	size_t		i, count;

	*out = NULL;
	*n = 0;
	if (jobs_admin(actor, err) != CNT_OK)
		return CNT_ERR;
	if (limit <= 0)
		limit = 100;
	cnt_i64(lim, limit - 1);
	r = cnt_redis_cmd(ctx, err, "ZRANGE", keys[state], "0", lim,
	    "WITHSCORES", NULL);
	if (r == NULL)
		return CNT_ERR;
	if (r->type != REDIS_REPLY_ARRAY) {
		freeReplyObject(r);
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "Redis: unexpected answer to ZRANGE");
	}
	count = r->elements / 2;
	jobs = xcalloc(count + 1, sizeof *jobs);
	for (i = 0; i < count; i++) {
		const redisReply *id = r->element[2 * i];
		const redisReply *score = r->element[2 * i + 1];
		struct cnt_job *j = &jobs[i];

		if (id->type != REDIS_REPLY_STRING ||
		    score->type != REDIS_REPLY_STRING)
			continue;
		j->id = xstrdup(id->str);
		j->kind = xstrdup(id->str);
		j->key = xstrdup(job_split(j->kind));
		j->state = state;
		j->at_ms = (int64_t)strtod(score->str, NULL);
		j->payload = hash_str(ctx, K_PAYLOAD, id->str);
		j->last_error = hash_str(ctx, K_ERROR, id->str);
		att = hash_str(ctx, K_ATTEMPTS, id->str);
		j->attempts = atoi(att);
		free(att);
	}
	freeReplyObject(r);
	*out = jobs;
	*n = count;
	return CNT_OK;
}

int
cnt_jobs_retry(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *id, struct cnt_error *err)
{
	char		now[CNT_I64BUF], *kind, *key;
	const char     *args[10], *p[2];
	PGresult       *res;
	redisReply     *r;
	bool		in_pg;
	int		rc;

	if (jobs_admin(actor, err) != CNT_OK)
		return CNT_ERR;
	kind = xstrdup(id);
	key = job_split(kind);
	p[0] = kind;
	p[1] = key;
	/* The newest record of it in PostgreSQL, in case Redis lost it. */
	res = cnt_db_exec(ctx, err, "SELECT payload FROM jobs_dead"
	    " WHERE kind = $1 AND job_key = $2 ORDER BY id DESC LIMIT 1", 2, p);
	if (res == NULL) {
		free(kind);
		return CNT_ERR;
	}
	in_pg = PQntuples(res) > 0;
	args[0] = K_DEAD;
	args[1] = K_DUE;
	args[2] = K_PAYLOAD;
	args[3] = K_ATTEMPTS;
	args[4] = K_ERROR;
	args[5] = K_WAKE;
	args[6] = id;
	args[7] = cnt_i64(now, cnt_now_ms());
	args[8] = in_pg ? PQgetvalue(res, 0, 0) : "";
	args[9] = in_pg ? "1" : "0";
	r = cnt_redis_eval(ctx, err, &script_retry, 6, 4, args);
	PQclear(res);
	if (r == NULL) {
		free(kind);
		return CNT_ERR;
	}
	rc = r->type == REDIS_REPLY_INTEGER && r->integer == 1 ? CNT_OK :
	    cnt_error_set(err, CNT_E_NOTFOUND, "no dead job \"%s\"", id);
	freeReplyObject(r);
	if (rc == CNT_OK) {
		res = cnt_db_exec(ctx, NULL, "DELETE FROM jobs_dead"
		    " WHERE kind = $1 AND job_key = $2", 2, p);
		PQclear(res);
		cnt_audit(ctx, actor, "job.retry", "job", 0, id, NULL);
		log_info("event=job_retry job=%s", id);
	}
	free(kind);
	return rc;
}

int
cnt_jobs_drop(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *id, struct cnt_error *err)
{
	char	       *kind, *key;
	const char     *args[5] = { K_DEAD, K_PAYLOAD, K_ATTEMPTS, K_ERROR, id };
	const char     *p[2];
	PGresult       *res;
	redisReply     *r;
	bool		dropped;

	if (jobs_admin(actor, err) != CNT_OK)
		return CNT_ERR;
	if ((r = cnt_redis_eval(ctx, err, &script_drop, 4, 1, args)) == NULL)
		return CNT_ERR;
	dropped = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
	freeReplyObject(r);
	kind = xstrdup(id);
	key = job_split(kind);
	p[0] = kind;
	p[1] = key;
	res = cnt_db_exec(ctx, err, "DELETE FROM jobs_dead"
	    " WHERE kind = $1 AND job_key = $2", 2, p);
	if (res == NULL) {
		free(kind);
		return CNT_ERR;
	}
	dropped = dropped || atoi(PQcmdTuples(res)) > 0;
	PQclear(res);
	free(kind);
	if (!dropped)
		return cnt_error_set(err, CNT_E_NOTFOUND, "no dead job \"%s\"",
		    id);
	cnt_audit(ctx, actor, "job.drop", "job", 0, id, NULL);
	log_info("event=job_drop job=%s", id);
	return CNT_OK;
}
