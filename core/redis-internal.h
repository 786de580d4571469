/*
 * redis-internal.h - what the Redis modules of core/ share (redis.c, jobs.c,
 * events.c, throttle.c): the context's connection, commands with timeouts,
 * and Lua scripts run by SHA. hiredis types appear only here and in those
 * files; nothing outside core/ includes this.
 *
 * Rules every caller follows (DESIGN.md "Redis": Redis accelerates,
 * PostgreSQL decides):
 *  - no call waits longer than redis_timeout_ms on a dead or hung server;
 *  - a context with an error is dropped at once and reconnected later, with
 *    a growing delay (100 ms doubling to 2 s) during which calls fail fast;
 *  - every reply is checked for NULL and for its type before it is read.
 */
#ifndef CNT_REDIS_INTERNAL_H
#define CNT_REDIS_INTERNAL_H

#include <hiredis/hiredis.h>

#include "internal.h"

/* Every key and channel of cinetty starts with this. */
#define CNT_REDIS_PREFIX "cinetty:"

/* Milliseconds since the epoch (wall clock: due times are shared between
 * processes and machines). */
int64_t		cnt_now_ms(void);

/* A new connection to the configured Redis, AUTH and SELECT done, command
 * timeout redis_timeout_ms. NULL with ERR (UNAVAILABLE) if unreachable. */
redisContext   *cnt_redis_open(const struct cnt_config *, struct cnt_error *);

/* The context's shared connection, opened on first use; NULL with ERR while
 * Redis is unreachable (without trying again until the backoff passes). */
redisContext   *cnt_redis_conn(struct cnt_ctx *, struct cnt_error *);
/* Drop the context's connection after an error; the next use reconnects
 * after the backoff. */
void		cnt_redis_drop(struct cnt_ctx *, const char *why);
/* true if the last attempt to reach Redis failed (for status displays). */
bool		cnt_redis_down(struct cnt_ctx *);

/*
 * Run one command, arguments as separate binary-safe strings (LENS may be
 * NULL for NUL-terminated ones). Returns the reply (freeReplyObject it) or
 * NULL with ERR filled: UNAVAILABLE when the connection failed (it is
 * dropped), INTERNAL for an error reply.
 */
redisReply     *cnt_redis_argv(struct cnt_ctx *, struct cnt_error *, int argc,
		    const char **argv, const size_t *lens);
/* redisCommandArgv on C with SIGPIPE blocked (and a SIGPIPE it caused
 * swallowed): every command of core/ goes through this. */
redisReply     *cnt_redis_raw(redisContext *c, int argc, const char **argv,
		    const size_t *lens);
/* As cnt_redis_argv, NULL-terminated string arguments. */
redisReply     *cnt_redis_cmd(struct cnt_ctx *, struct cnt_error *,
		    const char *arg0, ...);
/* BLPOP KEY for up to TIMEOUT_MS: the read timeout is stretched for this
 * one call. Returns the reply (NIL when it timed out) or NULL with ERR. */
redisReply     *cnt_redis_blpop(struct cnt_ctx *, struct cnt_error *,
		    const char *key, int timeout_ms);

/* A Lua script kept next to the C that calls it. SHA is filled by SCRIPT
 * LOAD on first use and again after NOSCRIPT (a restarted server). */
struct cnt_redis_script {
	const char     *name;		/* for messages */
	const char     *src;
	char		sha[41];
};

/* EVALSHA SCRIPT with NKEYS keys then NARGS arguments (in ARGS, keys
 * first). Returns the reply or NULL with ERR, as cnt_redis_argv. */
redisReply     *cnt_redis_eval(struct cnt_ctx *, struct cnt_error *,
		    struct cnt_redis_script *, int nkeys, int nargs,
		    const char **args);

void		cnt_redis_free(struct cnt_redis *);

#endif
