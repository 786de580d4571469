/*
 * db.c - the PostgreSQL side of a context: a connection opened on first
 * use and closed when idle, statements with parameters only, and failures
 * classified by SQLSTATE.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define DB_RETRIES 3

void	cnt_redis_free(struct cnt_redis *);	/* redis.c */

struct cnt_ctx *
cnt_ctx_new(const struct cnt_config *cfg)
{
	struct cnt_ctx *ctx = xcalloc(1, sizeof *ctx);

	cnt_config_copy(&ctx->cfg, cfg);
	return ctx;
}

void
cnt_ctx_free(struct cnt_ctx *ctx)
{
	if (ctx == NULL)
		return;
	if (ctx->pg != NULL)
		PQfinish(ctx->pg);
	cnt_redis_free(ctx->redis);
	cnt_config_free(&ctx->cfg);
	free(ctx);
}

const struct cnt_config *
cnt_ctx_config(const struct cnt_ctx *ctx)
{
	return &ctx->cfg;
}

/* Where a connection goes, for messages, from the conninfo and PG*. */
char *
cnt_db_target(struct cnt_ctx *ctx)
{
	PQconninfoOption *opts, *o;
	const char *host = NULL, *port = NULL, *dbname = NULL;
	char	   *msg = NULL, *result;

	opts = ctx->cfg.database[0] != '\0' ?
	    PQconninfoParse(ctx->cfg.database, &msg) : PQconndefaults();
	if (opts == NULL) {
		PQfreemem(msg);
		return xstrdup("(unparsable database setting)");
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			dbname = o->val;
	}
	if (host == NULL && ctx->cfg.database[0] != '\0')
		host = getenv("PGHOST");
	if (port == NULL && ctx->cfg.database[0] != '\0')
		port = getenv("PGPORT");
	if (host == NULL || *host == '\0')
		host = "/var/run/postgresql";
	result = xasprintf("%s %s port %s database %s",
	    host[0] == '/' ? "socket" : "host", host,
	    port != NULL && *port != '\0' ? port : "5432",
	    dbname != NULL && *dbname != '\0' ? dbname : "(default)");
	PQconninfoFree(opts);
	return result;
}

/* Server notices (e.g. "relation already exists, skipping") go to the
 * debug log, never to the terminal the app draws on. */
static void
db_notice(void *arg, const char *msg)
{
	(void)arg;
	log_debug("event=pg_notice msg=\"%.*s\"", (int)strcspn(msg, "\n"), msg);
}

static int
db_connect(struct cnt_ctx *ctx, struct cnt_error *err)
{
	const char *keys[4], *vals[4];
	char	    timeout[32];
	char	   *target;
	int	    n = 0;

	keys[n] = "dbname";
	vals[n++] = ctx->cfg.database;
	keys[n] = "fallback_application_name";
	vals[n++] = "cinetty";
	keys[n] = "connect_timeout";
	vals[n++] = "5";
	keys[n] = NULL;
	vals[n] = NULL;
	/* expand_dbname=1: "database" may be a conninfo string or a URI. */
	ctx->pg = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(ctx->pg) != CONNECTION_OK) {
		/* Where and why are for the log (the operator's terminal,
		 * for the CLI); the message reaches users over SSH too. */
		target = cnt_db_target(ctx);
		log_warn("event=db_unavailable target=\"%s\" error=\"%s\"",
		    target, strtok(PQerrorMessage(ctx->pg), "\n"));
		cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "service unavailable: cannot reach the database");
		free(target);
		PQfinish(ctx->pg);
		ctx->pg = NULL;
		return CNT_ERR;
	}
	PQsetNoticeProcessor(ctx->pg, db_notice, NULL);
	snprintf(timeout, sizeof timeout, "%d", ctx->cfg.statement_timeout_ms);
	{
		const char *p[2] = { timeout, ctx->cfg.timezone };
		PGresult *res = PQexecParams(ctx->pg,
		    "SELECT set_config('statement_timeout', $1, false),"
		    " set_config('TimeZone', $2, false)",
		    2, NULL, p, NULL, NULL, 0);

		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			cnt_db_error(err, res);
			PQclear(res);
			PQfinish(ctx->pg);
			ctx->pg = NULL;
			return CNT_ERR;
		}
		PQclear(res);
	}
	ctx->pg_txn = 0;
	return CNT_OK;
}

PGconn *
cnt_db_conn(struct cnt_ctx *ctx, struct cnt_error *err)
{
	if (ctx->pg != NULL && PQstatus(ctx->pg) != CONNECTION_OK) {
		PQfinish(ctx->pg);
		ctx->pg = NULL;
	}
	if (ctx->pg == NULL && db_connect(ctx, err) != CNT_OK)
		return NULL;
	ctx->pg_used = time(NULL);
	return ctx->pg;
}

int
cnt_db_ping(struct cnt_ctx *ctx, struct cnt_error *err)
{
	PGresult *res = cnt_db_exec(ctx, err, "SELECT 1", 0, NULL);

	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}

void
cnt_db_idle(struct cnt_ctx *ctx)
{
	if (ctx->pg != NULL && ctx->pg_txn == 0 &&
	    ctx->cfg.db_idle_seconds > 0 &&
	    time(NULL) - ctx->pg_used >= ctx->cfg.db_idle_seconds) {
		PQfinish(ctx->pg);
		ctx->pg = NULL;
	}
}

static enum cnt_errkind
sqlstate_kind(const char *state)
{
	if (strncmp(state, "CN", 2) == 0) {
		if (strcmp(state, "CN403") == 0)
			return CNT_E_FORBIDDEN;
		if (strcmp(state, "CN404") == 0)
			return CNT_E_NOTFOUND;
		if (strcmp(state, "CN409") == 0)
			return CNT_E_CONFLICT;
		return CNT_E_INVALID;
	}
	if (strncmp(state, "23", 2) == 0)	/* integrity */
		return strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 ?
		    CNT_E_INVALID : CNT_E_CONFLICT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return CNT_E_CONFLICT;
	if (strncmp(state, "22", 2) == 0)	/* data exception */
		return CNT_E_INVALID;
	if (strcmp(state, "42501") == 0)
		return CNT_E_FORBIDDEN;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
	    strncmp(state, "53", 2) == 0)	/* connection, shutdown, timeout */
		return CNT_E_UNAVAILABLE;
	return CNT_E_INTERNAL;
}

int
cnt_db_error(struct cnt_error *err, const PGresult *res)
{
	const char *state = res != NULL ?
	    PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ?
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	enum cnt_errkind kind;

	if (state == NULL) {	/* no server answer: the connection broke */
		cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "service unavailable: lost the database connection");
		return CNT_ERR;
	}
	kind = sqlstate_kind(state);
	if (kind == CNT_E_UNAVAILABLE) {
		/* The server's words name files and settings: for the log. */
		log_warn("event=db_error sqlstate=%s error=\"%s\"", state,
		    msg != NULL ? msg : "");
		if (strcmp(state, "57014") == 0)
			cnt_error_set(err, kind, "the database took too long "
			    "to answer; try again");
		else if (strcmp(state, "53100") == 0)
			cnt_error_set(err, kind, "service unavailable: the "
			    "database is out of disk space");
		else if (strncmp(state, "53", 2) == 0)
			cnt_error_set(err, kind, "service unavailable: the "
			    "database is out of resources (%s)", state);
		else
			cnt_error_set(err, kind, "service unavailable: the "
			    "database is not answering (%s)", state);
	} else
		cnt_error_set(err, kind, "%s", msg != NULL ? msg : state);
	if (err != NULL)
		cnt_strlcpy(err->sqlstate, state, sizeof err->sqlstate);
	return CNT_ERR;
}

PGresult *
cnt_db_exec(struct cnt_ctx *ctx, struct cnt_error *err, const char *sql,
    int nparams, const char *const *params)
{
	struct cnt_error local;
	PGconn	       *pg;
	PGresult       *res;
	ExecStatusType	st;
	int		attempt;

	if (err == NULL)
		err = &local;
	for (attempt = 0;; attempt++) {
		err->sqlstate[0] = '\0';
		if ((pg = cnt_db_conn(ctx, err)) == NULL)
			return NULL;
		res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			return res;
		cnt_db_error(err, res);
		PQclear(res);
		if (ctx->pg_txn > 0 || attempt + 1 >= DB_RETRIES)
			break;
		if (strcmp(err->sqlstate, "40001") == 0 ||
		    strcmp(err->sqlstate, "40P01") == 0) {
			cnt_db_retry_pause(attempt);
			continue;	/* serialization failure, deadlock */
		}
		if (PQstatus(pg) != CONNECTION_OK && attempt == 0) {
			PQfinish(ctx->pg);	/* reconnect once */
			ctx->pg = NULL;
			continue;
		}
		break;
	}
	if (ctx->pg != NULL && PQstatus(ctx->pg) != CONNECTION_OK) {
		PQfinish(ctx->pg);
		ctx->pg = NULL;
		ctx->pg_txn = 0;
	}
	return NULL;
}

void
cnt_db_retry_pause(int attempt)
{
	struct timespec	ts;
	long		max_ms = 5L << (attempt < 4 ? attempt : 4);	/* <= 80 */
	uint32_t	x;

	/* Randomness enough to break a tie: the clock's nanoseconds mixed
	 * with the pid (random() would run in step in forked clients). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	x = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() * 2654435761u);
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ts.tv_sec = 0;
	ts.tv_nsec = (1 + (long)(x % (uint32_t)max_ms)) * 1000000L;
	nanosleep(&ts, NULL);
}

static int
db_simple(struct cnt_ctx *ctx, const char *sql, struct cnt_error *err)
{
	PGresult *res = cnt_db_exec(ctx, err, sql, 0, NULL);

	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}

int
cnt_db_begin(struct cnt_ctx *ctx, struct cnt_error *err)
{
	if (db_simple(ctx, "BEGIN", err) != CNT_OK)
		return CNT_ERR;
	ctx->pg_txn = 1;
	return CNT_OK;
}

int
cnt_db_commit(struct cnt_ctx *ctx, struct cnt_error *err)
{
	int	rc = db_simple(ctx, "COMMIT", err);

	ctx->pg_txn = 0;
	return rc;
}

void
cnt_db_rollback(struct cnt_ctx *ctx)
{
	if (ctx->pg != NULL && ctx->pg_txn > 0) {
		PQclear(PQexec(ctx->pg, "ROLLBACK"));
	}
	ctx->pg_txn = 0;
}

const char *
cnt_i64(char buf[CNT_I64BUF], int64_t v)
{
	snprintf(buf, CNT_I64BUF, "%" PRId64, v);
	return buf;
}

int64_t
cnt_pg_i64(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 :
	    strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int
cnt_pg_int(const PGresult *res, int row, int col)
{
	return (int)cnt_pg_i64(res, row, col);
}

bool
cnt_pg_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) &&
	    PQgetvalue(res, row, col)[0] == 't';
}

char *
cnt_pg_str(const PGresult *res, int row, int col)
{
	return xstrdup(PQgetisnull(res, row, col) ? "" :
	    PQgetvalue(res, row, col));
}
