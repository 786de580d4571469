/*
 * migrate.c - apply db/NNN_name.sql files in order.
 *
 * Each file runs in its own transaction and is recorded with its SHA-256 in
 * schema_migrations. Each transaction first takes a transaction-level
 * advisory lock and only then looks at what is recorded, so two concurrent
 * runs apply each file once; a transaction-level lock (not a session one)
 * also holds through a transaction-pooling pgbouncer. A recorded file whose content has
 * changed since it was applied stops the run: the database no longer matches
 * the files, and a person has to decide.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MIGRATE_LOCK "7264418923"	/* advisory lock key: "cinetty" */

static int
migration_name_ok(const char *name)
{
	size_t	len = strlen(name);

	return len > 8 && name[0] >= '0' && name[0] <= '9' &&
	    name[1] >= '0' && name[1] <= '9' && name[2] >= '0' &&
	    name[2] <= '9' && name[3] == '_' &&
	    strcmp(name + len - 4, ".sql") == 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
exec_ok(struct cnt_ctx *ctx, struct cnt_error *err, const char *sql,
    int n, const char *const *p)
{
	PGresult *res = cnt_db_exec(ctx, err, sql, n, p);

	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}

/*
 * Apply file NAME with content SQL unless schema_migrations has it: one
 * transaction, under the advisory lock. *DONE says whether it ran. A
 * recorded file whose checksum differs is refused.
 */
static int
migrate_one(struct cnt_ctx *ctx, const char *name, const char *sql,
    bool *done, struct cnt_error *err)
{
	const char     *p[2] = { name, sql };
	const char     *lockp[1] = { MIGRATE_LOCK };
	PGresult       *res;
	char		msg[sizeof err->msg];

	*done = false;
	if (cnt_db_begin(ctx, err) != CNT_OK)
		return CNT_ERR;
	if (exec_ok(ctx, err, "SELECT pg_advisory_xact_lock($1::bigint)", 1,
	    lockp) != CNT_OK ||
	    exec_ok(ctx, err, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " filename text PRIMARY KEY, sha256 text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL) != CNT_OK)
		goto fail;
	res = cnt_db_exec(ctx, err, "SELECT sha256 = encode(sha256("
	    "convert_to($2, 'UTF8')), 'hex') FROM schema_migrations"
	    " WHERE filename = $1", 2, p);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) == 1) {
		bool	same = cnt_pg_bool(res, 0, 0);

		PQclear(res);
		cnt_db_rollback(ctx);
		if (!same)
			return cnt_error_set(err, CNT_E_CONFLICT,
			    "migration %s has changed since it was applied;"
			    " refusing to go on (restore the file, or add a new"
			    " migration instead)", name);
		return CNT_OK;
	}
	PQclear(res);
	/* The file's statements: several, simple protocol, not user input. */
	res = PQexec(ctx->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		cnt_db_error(err, res);
		PQclear(res);
		cnt_strlcpy(msg, err->msg, sizeof msg);
		cnt_error_set(err, CNT_E_INVALID, "%s: %s", name, msg);
		goto fail;
	}
	PQclear(res);
	if (exec_ok(ctx, err, "INSERT INTO schema_migrations (filename, sha256)"
	    " VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'))",
	    2, p) != CNT_OK)
		goto fail;
	if (cnt_db_commit(ctx, err) != CNT_OK)
		return CNT_ERR;
	*done = true;
	return CNT_OK;
fail:
	cnt_db_rollback(ctx);
	return CNT_ERR;
}

int
cnt_migrate(struct cnt_ctx *ctx, const char *dir, int *applied,
    struct cnt_error *err)
{
	DIR	       *d;
	struct dirent  *de;
	char	      **names = NULL, *path, *sql;
	size_t		n = 0, i;
	int		rc = CNT_ERR;

	*applied = 0;
	if ((d = opendir(dir)) == NULL)
		return cnt_error_set(err, CNT_E_INVALID,
		    "migrations folder %s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!migration_name_ok(de->d_name))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n == 0) {
		cnt_error_set(err, CNT_E_INVALID,
		    "no migrations (NNN_name.sql) in %s", dir);
		goto out;
	}
	qsort(names, n, sizeof *names, cmp_names);

	for (i = 0; i < n; i++) {
		bool	done;

		path = xasprintf("%s/%s", dir, names[i]);
		sql = cnt_read_file(path, err);
		free(path);
		if (sql == NULL)
			goto out;
		if (migrate_one(ctx, names[i], sql, &done, err) != CNT_OK) {
			free(sql);
			goto out;
		}
		free(sql);
		if (done)
			(*applied)++;
	}
	rc = CNT_OK;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
