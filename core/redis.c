/*
 * redis.c - the Redis side of a context: one connection opened on first
 * use, with the configured timeout on connect and on every command; dropped
 * on any error and reconnected after a growing delay, so a dead Redis costs
 * a caller at most redis_timeout_ms once and then nothing until the delay
 * has passed. Address "unix:/path" or "host:port" ("[v6]:port"), optional
 * password and database number, all from the config.
 */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "redis-internal.h"

#define REDIS_BACKOFF_MIN_MS	100
#define REDIS_BACKOFF_MAX_MS	2000
#define REDIS_MAXARGS		32

struct cnt_redis {
	redisContext   *c;
	int64_t		retry_at;	/* ms: no new attempt before this */
	int		backoff;	/* ms: the current delay, 0 when up */
	bool		down;		/* the last attempt failed (logged once) */
};

int64_t
cnt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timeval
ms_timeval(int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return tv;
}

/*
 * hiredis writes with write(2), so a server gone away would kill us with
 * SIGPIPE. As libpq does: block SIGPIPE for the call, and swallow one that
 * the call raised (not one that was pending before). No process-wide
 * disposition is changed.
 */
redisReply *
cnt_redis_raw(redisContext *c, int argc, const char **argv,
    const size_t *lens)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t	pipe_set, old, pending;
	redisReply     *r;
	bool		was_pending;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	r = redisCommandArgv(c, argc, argv, lens);
	if (!was_pending) {
		sigpending(&pending);
		if (sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* Run a setup command (AUTH, SELECT) on a fresh connection C. */
static int
redis_setup_cmd(redisContext *c, struct cnt_error *err, int argc,
    const char **argv)
{
	redisReply *r = cnt_redis_raw(c, argc, argv, NULL);
	int	    rc = CNT_OK;

	if (r == NULL)
		rc = cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "Redis unavailable: %s", c->errstr);
	else if (r->type == REDIS_REPLY_ERROR)
		rc = cnt_error_set(err, CNT_E_UNAVAILABLE, "Redis refused %s: %s",
		    argv[0], r->str);
	if (r != NULL)
		freeReplyObject(r);
	return rc;
}

redisContext *
cnt_redis_open(const struct cnt_config *cfg, struct cnt_error *err)
{
	struct timeval	tv = ms_timeval(cfg->redis_timeout_ms);
	redisContext   *c;
	char		host[256], db[16];
	const char     *colon, *argv[2];
	size_t		len;
	int		port;

	if (strncmp(cfg->redis, "unix:", 5) == 0)
		c = redisConnectUnixWithTimeout(cfg->redis + 5, tv);
	else {
		colon = strrchr(cfg->redis, ':');
		if (colon == NULL || colon == cfg->redis) {
			cnt_error_set(err, CNT_E_INVALID,
			    "redis: expected host:port or unix:/path, not \"%s\"",
			    cfg->redis);
			return NULL;
		}
		len = (size_t)(colon - cfg->redis);
		if (cfg->redis[0] == '[' && len >= 2 && colon[-1] == ']')
			cnt_strlcpy(host, cfg->redis + 1,
			    len - 1 < sizeof host ? len - 1 : sizeof host);
		else
			cnt_strlcpy(host, cfg->redis,
			    len + 1 < sizeof host ? len + 1 : sizeof host);
		port = atoi(colon + 1);
		c = redisConnectWithTimeout(host, port, tv);
	}
	if (c == NULL) {
		cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "Redis unavailable: out of memory");
		return NULL;
	}
	if (c->err) {
		cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "Redis unavailable (%s): %s", cfg->redis, c->errstr);
		redisFree(c);
		return NULL;
	}
	if (redisSetTimeout(c, tv) != REDIS_OK) {
		cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "Redis unavailable: cannot set a timeout");
		redisFree(c);
		return NULL;
	}
	if (cfg->redis_password[0] != '\0') {
		argv[0] = "AUTH";
		argv[1] = cfg->redis_password;
		if (redis_setup_cmd(c, err, 2, argv) != CNT_OK) {
			redisFree(c);
			return NULL;
		}
	}
	if (cfg->redis_db != 0) {
		snprintf(db, sizeof db, "%d", cfg->redis_db);
		argv[0] = "SELECT";
		argv[1] = db;
		if (redis_setup_cmd(c, err, 2, argv) != CNT_OK) {
			redisFree(c);
			return NULL;
		}
	}
	return c;
}

static struct cnt_redis *
redis_state(struct cnt_ctx *ctx)
{
	if (ctx->redis == NULL)
		ctx->redis = xcalloc(1, sizeof *ctx->redis);
	return ctx->redis;
}

/* Note a failed attempt: wait longer before the next one. */
static void
redis_backoff(struct cnt_redis *r, const char *addr, const char *why)
{
	r->backoff = r->backoff == 0 ? REDIS_BACKOFF_MIN_MS :
	    r->backoff * 2 > REDIS_BACKOFF_MAX_MS ? REDIS_BACKOFF_MAX_MS :
	    r->backoff * 2;
	r->retry_at = cnt_now_ms() + r->backoff;
	if (!r->down)
		log_warn("event=redis_down addr=%s error=\"%s\"", addr, why);
	r->down = true;
}

redisContext *
cnt_redis_conn(struct cnt_ctx *ctx, struct cnt_error *err)
{
	struct cnt_redis *r = redis_state(ctx);
	struct cnt_error  local;

	if (r->c != NULL)
		return r->c;
	if (r->backoff > 0 && cnt_now_ms() < r->retry_at) {
		cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "Redis unavailable (%s); retrying shortly", ctx->cfg.redis);
		return NULL;
	}
	if (err == NULL)
		err = &local;
	if ((r->c = cnt_redis_open(&ctx->cfg, err)) == NULL) {
		redis_backoff(r, ctx->cfg.redis, err->msg);
		return NULL;
	}
	if (r->down)
		log_info("event=redis_up addr=%s", ctx->cfg.redis);
	r->down = false;
	r->backoff = 0;
	return r->c;
}

void
cnt_redis_drop(struct cnt_ctx *ctx, const char *why)
{
	struct cnt_redis *r = redis_state(ctx);
	char		copy[256];

	/* WHY may be the errstr of the context freed here. */
	cnt_strlcpy(copy, why != NULL ? why : "", sizeof copy);
	if (r->c != NULL) {
		redisFree(r->c);
		r->c = NULL;
	}
	redis_backoff(r, ctx->cfg.redis, copy);
}

bool
cnt_redis_down(struct cnt_ctx *ctx)
{
	return ctx->redis != NULL && ctx->redis->down;
}

/* Check a reply of context C: NULL (connection broken: drop it) or an
 * error reply become NULL with ERR filled. */
static redisReply *
redis_checked(struct cnt_ctx *ctx, struct cnt_error *err, redisContext *c,
    redisReply *reply, const char *what)
{
	if (reply == NULL) {
		cnt_error_set(err, CNT_E_UNAVAILABLE, "Redis unavailable: %s",
		    c->errstr[0] != '\0' ? c->errstr : "no answer");
		cnt_redis_drop(ctx, c->errstr);
		return NULL;
	}
	if (reply->type == REDIS_REPLY_ERROR) {
		cnt_error_set(err, CNT_E_INTERNAL, "Redis %s: %s", what,
		    reply->str);
		freeReplyObject(reply);
		return NULL;
	}
	return reply;
}

redisReply *
cnt_redis_argv(struct cnt_ctx *ctx, struct cnt_error *err, int argc,
    const char **argv, const size_t *lens)
{
	redisContext *c;

	if ((c = cnt_redis_conn(ctx, err)) == NULL)
		return NULL;
	return redis_checked(ctx, err, c,
	    cnt_redis_raw(c, argc, argv, lens), argv[0]);
}

redisReply *
cnt_redis_cmd(struct cnt_ctx *ctx, struct cnt_error *err, const char *arg0,
    ...)
{
	const char     *argv[REDIS_MAXARGS];
	va_list		ap;
	int		argc = 0;

	argv[argc++] = arg0;
	va_start(ap, arg0);
	while (argc < REDIS_MAXARGS &&
	    (argv[argc] = va_arg(ap, const char *)) != NULL)
		argc++;
	va_end(ap);
	return cnt_redis_argv(ctx, err, argc, argv, NULL);
}

redisReply *
cnt_redis_blpop(struct cnt_ctx *ctx, struct cnt_error *err, const char *key,
    int timeout_ms)
{
	redisContext   *c;
	redisReply     *reply;
	char		secs[32];
	const char     *argv[3];

	if ((c = cnt_redis_conn(ctx, err)) == NULL)
		return NULL;
	if (timeout_ms < 10)
		timeout_ms = 10;	/* 0 would block for ever */
	snprintf(secs, sizeof secs, "%d.%03d", timeout_ms / 1000,
	    timeout_ms % 1000);
	argv[0] = "BLPOP";
	argv[1] = key;
	argv[2] = secs;
	redisSetTimeout(c, ms_timeval(timeout_ms + ctx->cfg.redis_timeout_ms));
	reply = redis_checked(ctx, err, c,
	    cnt_redis_raw(c, 3, argv, NULL), "BLPOP");
	if (reply != NULL || ctx->redis->c != NULL)
		redisSetTimeout(c, ms_timeval(ctx->cfg.redis_timeout_ms));
	return reply;
}

/* SCRIPT LOAD S into the server, remembering its SHA. */
static int
redis_script_load(struct cnt_ctx *ctx, struct cnt_error *err,
    struct cnt_redis_script *s)
{
	redisReply *r = cnt_redis_cmd(ctx, err, "SCRIPT", "LOAD", s->src, NULL);

	if (r == NULL)
		return CNT_ERR;
	if (r->type != REDIS_REPLY_STRING || r->len != 40) {
		freeReplyObject(r);
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "Redis: SCRIPT LOAD of %s gave an unexpected answer",
		    s->name);
	}
	memcpy(s->sha, r->str, 40);
	s->sha[40] = '\0';
	freeReplyObject(r);
	return CNT_OK;
}

redisReply *
cnt_redis_eval(struct cnt_ctx *ctx, struct cnt_error *err,
    struct cnt_redis_script *s, int nkeys, int nargs, const char **args)
{
	const char     *small[REDIS_MAXARGS], **argv = small;
	char		n[16];
	redisContext   *c;
	redisReply     *r = NULL;
	int		i, attempt;

	/* Batches (jobs.c) pass hundreds of arguments. */
	if (nkeys < 0 || nargs < 0)
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "Redis: bad script arguments"), NULL;
	if (nkeys + nargs + 3 > REDIS_MAXARGS)
		argv = xcalloc((size_t)(nkeys + nargs + 3), sizeof *argv);
	snprintf(n, sizeof n, "%d", nkeys);
	for (attempt = 0; attempt < 2; attempt++) {
		if (s->sha[0] == '\0' && redis_script_load(ctx, err, s) != CNT_OK)
			goto out;
		if ((c = cnt_redis_conn(ctx, err)) == NULL)
			goto out;
		argv[0] = "EVALSHA";
		argv[1] = s->sha;
		argv[2] = n;
		for (i = 0; i < nkeys + nargs; i++)
			argv[3 + i] = args[i];
		r = cnt_redis_raw(c, 3 + nkeys + nargs, argv, NULL);
		if (r != NULL && r->type == REDIS_REPLY_ERROR &&
		    strncmp(r->str, "NOSCRIPT", 8) == 0) {
			/* A restarted or flushed server: load it again. */
			freeReplyObject(r);
			s->sha[0] = '\0';
			continue;
		}
		r = redis_checked(ctx, err, c, r, s->name);
		goto out;
	}
	cnt_error_set(err, CNT_E_INTERNAL, "Redis: script %s will not load",
	    s->name);
	r = NULL;
out:
	if (argv != small)
		free(argv);
	return r;
}

void
cnt_redis_free(struct cnt_redis *r)
{
	if (r == NULL)
		return;
	if (r->c != NULL)
		redisFree(r->c);
	free(r);
}
