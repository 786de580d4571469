/*
 * status.c - the health of an installation for `cinetty status`: database
 * and Redis reachability and latency, migrations, the job queue, the nodes
 * that sent a heartbeat, and recent sales. Nodes are fields of one Redis
 * hash, "name" -> "sessions seen_ms"; a node silent for NODE_STALE_MS is
 * dropped from the list when it is read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "redis-internal.h"

#define NODES_KEY	CNT_REDIS_PREFIX "nodes"
#define NODE_STALE_MS	60000

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int
cnt_node_heartbeat(struct cnt_ctx *ctx, const char *name, int sessions,
    struct cnt_error *err)
{
	char		value[64];
	redisReply     *r;

	snprintf(value, sizeof value, "%d %lld", sessions,
	    (long long)cnt_now_ms());
	r = cnt_redis_cmd(ctx, err, "HSET", NODES_KEY, name, value, NULL);
	if (r == NULL)
		return CNT_ERR;
	freeReplyObject(r);
	return CNT_OK;
}

void
cnt_node_forget(struct cnt_ctx *ctx, const char *name)
{
	struct cnt_error err;
	redisReply     *r = cnt_redis_cmd(ctx, &err, "HDEL", NODES_KEY, name,
	    NULL);

	if (r != NULL)
		freeReplyObject(r);
}

static void
status_nodes(struct cnt_ctx *ctx, struct cnt_status *st)
{
	struct cnt_error err;
	redisReply     *r;
	int64_t		now = cnt_now_ms();
	size_t		i;

	r = cnt_redis_cmd(ctx, &err, "HGETALL", NODES_KEY, NULL);
	if (r == NULL)
		return;
	if (r->type != REDIS_REPLY_ARRAY) {
		freeReplyObject(r);
		return;
	}
	st->nodes = xcalloc(r->elements / 2 + 1, sizeof *st->nodes);
	for (i = 0; i + 1 < r->elements; i += 2) {
		redisReply     *k = r->element[i], *v = r->element[i + 1];
		int		sessions;
		long long	seen;

		if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING ||
		    sscanf(v->str, "%d %lld", &sessions, &seen) != 2)
			continue;
		if (now - seen > NODE_STALE_MS) {
			cnt_node_forget(ctx, k->str);
			continue;
		}
		st->nodes[st->nnodes].name = xstrdup(k->str);
		st->nodes[st->nnodes].sessions = sessions;
		st->nodes[st->nnodes].seen_ms = seen;
		st->nnodes++;
	}
	freeReplyObject(r);
}

static void
status_redis(struct cnt_ctx *ctx, struct cnt_status *st)
{
	struct cnt_error err;
	struct timespec	t0;
	redisReply     *r;
	char	       *v;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = cnt_redis_cmd(ctx, &err, "PING", NULL);
	if (r == NULL) {
		st->redis_error = xstrdup(err.msg);
		return;
	}
	st->redis_ms = ms_since(&t0);
	freeReplyObject(r);
	st->redis_ok = true;
	r = cnt_redis_cmd(ctx, &err, "INFO", "server", NULL);
	if (r != NULL && r->type == REDIS_REPLY_STRING &&
	    (v = strstr(r->str, "redis_version:")) != NULL)
		st->redis_version = xstrndup(v + 14, strcspn(v + 14, "\r\n"));
	if (r != NULL)
		freeReplyObject(r);
	status_nodes(ctx, st);
}

static void
status_db(struct cnt_ctx *ctx, struct cnt_status *st)
{
	struct cnt_error err;
	struct timespec	t0;
	PGresult       *res;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cnt_db_ping(ctx, &err) != CNT_OK) {
		st->db_error = xstrdup(err.msg);
		return;
	}
	/* The first ping may include connecting: time a second one. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cnt_db_ping(ctx, &err) != CNT_OK) {
		st->db_error = xstrdup(err.msg);
		return;
	}
	st->db_ms = ms_since(&t0);
	st->db_ok = true;
	res = cnt_db_exec(ctx, &err, "SELECT current_setting('server_version'),"
	    " (SELECT count(*) FROM schema_migrations),"
	    " (SELECT max(filename) FROM schema_migrations),"
	    " (SELECT count(DISTINCT hold_id) FROM showtime_seats"
	    "   WHERE state = 'held' AND hold_expires > now()),"
	    " (SELECT count(*) FROM showtime_seats"
	    "   WHERE state = 'held' AND hold_expires > now()),"
	    " (SELECT count(*) FROM bookings"
	    "   WHERE created_at > now() - interval '1 hour'),"
	    " (SELECT count(*) FROM tickets t JOIN bookings b ON b.id ="
	    "   t.booking_id WHERE b.created_at > now() - interval '1 hour'),"
	    " (SELECT coalesce(sum(total_cents), 0) FROM bookings"
	    "   WHERE created_at > now() - interval '1 hour')", 0, NULL);
	if (res == NULL) {
		st->db_error = xstrdup(err.msg);
		return;
	}
	st->db_version = cnt_pg_str(res, 0, 0);
	st->migrations = cnt_pg_int(res, 0, 1);
	st->last_migration = cnt_pg_str(res, 0, 2);
	st->live_holds = (long)cnt_pg_i64(res, 0, 3);
	st->held_seats = (long)cnt_pg_i64(res, 0, 4);
	st->sales_last_hour = (long)cnt_pg_i64(res, 0, 5);
	st->tickets_last_hour = (long)cnt_pg_i64(res, 0, 6);
	st->revenue_last_hour_cents = (long)cnt_pg_i64(res, 0, 7);
	PQclear(res);
}

int
cnt_status_get(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    struct cnt_status *st, struct cnt_error *err)
{
	struct cnt_error ignored;

	memset(st, 0, sizeof *st);
	if (actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "only an admin can see the system status");
	status_db(ctx, st);
	status_redis(ctx, st);
	if (st->db_ok && st->redis_ok)
		st->jobs_ok = cnt_jobs_status(ctx, actor, &st->jobs,
		    &ignored) == CNT_OK;
	return CNT_OK;
}

void
cnt_status_free(struct cnt_status *st)
{
	size_t	i;

	free(st->db_version);
	free(st->db_error);
	free(st->last_migration);
	free(st->redis_version);
	free(st->redis_error);
	for (i = 0; i < st->nnodes; i++)
		free(st->nodes[i].name);
	free(st->nodes);
	memset(st, 0, sizeof *st);
}
