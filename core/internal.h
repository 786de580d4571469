/*
 * internal.h - what core/ modules share and the outside never sees: the
 * context's insides and the PostgreSQL statement helpers. SQL lives only in
 * core/, so libpq types appear only here.
 */
#ifndef CNT_INTERNAL_H
#define CNT_INTERNAL_H

#include <libpq-fe.h>

#include "cinetty.h"

struct cnt_redis;			/* redis.c */

struct cnt_ctx {
	struct cnt_config cfg;		/* a deep copy, owned */
	PGconn	       *pg;		/* NULL until first use */
	time_t		pg_used;	/* last use, for db_idle_seconds */
	int		pg_txn;		/* inside cnt_db_begin .. commit */
	struct cnt_redis *redis;	/* NULL until first use */
};

/*
 * Run one parameterised statement (unnamed, extended protocol, so a
 * transaction-pooling pgbouncer may sit in between). NPARAMS values as text,
 * NULL for SQL NULL. Returns the result (PQclear it) or NULL with ERR filled
 * in by SQLSTATE. Outside a transaction, serialization failures and
 * deadlocks are retried and a lost connection is re-opened once.
 */
PGresult       *cnt_db_exec(struct cnt_ctx *, struct cnt_error *,
		    const char *sql, int nparams, const char *const *params);
/* The connection, opened if needed; NULL with ERR set when unreachable. */
PGconn	       *cnt_db_conn(struct cnt_ctx *, struct cnt_error *);
int		cnt_db_begin(struct cnt_ctx *, struct cnt_error *);
int		cnt_db_commit(struct cnt_ctx *, struct cnt_error *);
void		cnt_db_rollback(struct cnt_ctx *);
/* Before running again a transaction that lost a deadlock or serialization
 * check: a random pause that grows with ATTEMPT (0, 1, ...), so the
 * transactions that collided do not collide again in step. */
void		cnt_db_retry_pause(int attempt);
/* Fill ERR from a failed result: kind by SQLSTATE, message for a person. */
int		cnt_db_error(struct cnt_error *, const PGresult *);

/*
 * Errors raised on purpose by SQL functions use SQLSTATE class "CN" and a
 * message meant for the user: CN403 forbidden, CN404 not found, CN409
 * conflict, CN422 invalid. cnt_db_error maps them to the error kinds.
 */

/* file.c: the whole of PATH as a string (free it); NULL with ERR set if it
 * cannot be read or holds a NUL byte. */
char	       *cnt_read_file(const char *path, struct cnt_error *);

/* Small value helpers for building parameter arrays. */
#define CNT_I64BUF 24
const char     *cnt_i64(char buf[CNT_I64BUF], int64_t);
int64_t		cnt_pg_i64(const PGresult *, int row, int col);
int		cnt_pg_int(const PGresult *, int row, int col);
bool		cnt_pg_bool(const PGresult *, int row, int col);
/* Owned copy of a text value; "" for NULL. */
char	       *cnt_pg_str(const PGresult *, int row, int col);

/*
 * Hooks between core modules, all best effort (they log and return: Redis
 * being down must never fail a booking):
 *  - events.c: publish "seats of SHOWTIME changed" after a commit;
 *  - jobs.c: schedule a job KIND for KEY (idempotent per kind+key) due at
 *    DUE; PAYLOAD is the job's argument (often the same as KEY).
 */
void		cnt_events_seats_changed(struct cnt_ctx *, int64_t showtime_id);
void		cnt_jobs_schedule(struct cnt_ctx *, const char *kind,
		    const char *key, const char *payload, time_t due);

/* audit.c: one audit_log row in the current transaction (best effort
 * outside one). ACTOR may be NULL for the system. */
int		cnt_audit(struct cnt_ctx *, const struct cnt_actor *,
		    const char *action, const char *entity, int64_t entity_id,
		    const char *detail, struct cnt_error *);

#endif
