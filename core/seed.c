/*
 * seed.c - the demo data of `cinetty seed`, safe to run again.
 *
 * From DIR (the seed/ folder): catalog.sql (genres, films), theatres/NAME.layout
 * (one theatre per file, the name from the file name with '_' as space),
 * schedule.sql (functions that make showtimes relative to today and sales
 * for past days). Accounts are made here so their passwords are argon2id
 * hashes. Every step skips what exists, so a second run adds nothing and a
 * run days later tops the schedule up to 13 days ahead.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "internal.h"

#define SEED_DAYS_AHEAD	13
#define SEED_DAYS_PAST	3

/* The demo's people. Staff and customers share one known password. */
static const struct {
	const char     *username;
	const char     *full_name;
	const char     *role;
} seed_people[] = {
	{ "admin", "Ada Admin", "admin" },
	{ "alice", "Alice Box-Office", "staff" },
	{ "bob", "Bob Box-Office", "staff" },
	{ "carol", "Carol Customer", "customer" },
	{ "dave", "Dave Moviegoer", "customer" },
	{ "erin", "Erin Filmfan", "customer" },
	{ "frank", "Frank Popcorn", "customer" },
	{ "grace", "Grace Matinee", "customer" },
};

#define SEED_DEMO_PASSWORD "cinetty-demo"

/* Run a seed SQL file: several statements, no parameters, not user input. */
static int
run_sql_file(struct cnt_ctx *ctx, const char *dir, const char *name,
    struct cnt_error *err)
{
	char	       *path = xasprintf("%s/%s", dir, name), *sql;
	PGconn	       *pg;
	PGresult       *res;
	int		rc = CNT_OK;

	sql = cnt_read_file(path, err);
	free(path);
	if (sql == NULL)
		return CNT_ERR;
	if ((pg = cnt_db_conn(ctx, err)) == NULL) {
		free(sql);
		return CNT_ERR;
	}
	res = PQexec(pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		cnt_db_error(err, res);
		char	msg[sizeof err->msg];
		cnt_strlcpy(msg, err->msg, sizeof msg);
		cnt_error_set(err, CNT_E_INVALID, "seed %s: %s", name, msg);
		rc = CNT_ERR;
	}
	PQclear(res);
	free(sql);
	return rc;
}

/* A readable random password: 4 groups of 4 from an unambiguous alphabet. */
static char *
random_password(void)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	unsigned char	r[16];
	char	       *pw = xmalloc(20);
	int		i, j = 0;

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		abort();	/* the kernel always has entropy after boot */
	for (i = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			pw[j++] = '-';
		pw[j++] = alphabet[r[i] % (sizeof alphabet - 1)];
	}
	pw[j] = '\0';
	return pw;
}

static int
seed_accounts(struct cnt_ctx *ctx, struct cnt_seed_report *rep,
    struct cnt_error *err)
{
	const char     *admin_pw = getenv("CINETTY_ADMIN_PASSWORD");
	size_t		i;

	for (i = 0; i < sizeof seed_people / sizeof seed_people[0]; i++) {
		const char     *p[5];
		char	       *email, *hash, *pw;
		PGresult       *res;
		bool		exists;

		p[0] = seed_people[i].username;
		res = cnt_db_exec(ctx, err, "SELECT 1 FROM accounts WHERE"
		    " username = $1", 1, p);
		if (res == NULL)
			return CNT_ERR;
		exists = PQntuples(res) > 0;
		PQclear(res);
		if (exists)
			continue;

		if (strcmp(seed_people[i].role, "admin") != 0)
			pw = xstrdup(SEED_DEMO_PASSWORD);
		else if (admin_pw != NULL && *admin_pw != '\0')
			pw = xstrdup(admin_pw);
		else
			pw = random_password();
		if ((hash = cnt_password_hash(&ctx->cfg, pw, err)) == NULL) {
			free(pw);
			return CNT_ERR;
		}
		email = xasprintf("%s@example.com", seed_people[i].username);
		p[1] = email;
		p[2] = seed_people[i].full_name;
		p[3] = seed_people[i].role;
		p[4] = hash;
		res = cnt_db_exec(ctx, err, "INSERT INTO accounts (username,"
		    " email, full_name, role, password_hash) VALUES ($1, $2, $3,"
		    " $4, $5) ON CONFLICT DO NOTHING", 5, p);
		free(email);
		free(hash);
		if (res == NULL) {
			free(pw);
			return CNT_ERR;
		}
		if (PQcmdTuples(res)[0] == '1') {
			rep->accounts++;
			if (strcmp(seed_people[i].role, "admin") == 0 &&
			    (admin_pw == NULL || *admin_pw == '\0')) {
				free(rep->admin_password);
				rep->admin_password = pw;
				pw = NULL;
			}
		}
		PQclear(res);
		free(pw);
	}
	return CNT_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
seed_theatres(struct cnt_ctx *ctx, const char *dir,
    struct cnt_seed_report *rep, struct cnt_error *err)
{
	struct cnt_actor system = CNT_ACTOR_SYSTEM;
	char	       *tdir = xasprintf("%s/theatres", dir);
	char	      **files = NULL;
	size_t		n = 0, i;
	DIR	       *d;
	struct dirent  *de;
	int		rc = CNT_OK;

	if ((d = opendir(tdir)) == NULL) {
		cnt_error_set(err, CNT_E_INVALID, "%s: %s", tdir,
		    strerror(errno));
		free(tdir);
		return CNT_ERR;
	}
	while ((de = readdir(d)) != NULL) {
		size_t	len = strlen(de->d_name);

		if (len > 7 && strcmp(de->d_name + len - 7, ".layout") == 0) {
			files = xreallocarray(files, n + 1, sizeof *files);
			files[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(files, n, sizeof *files, cmp_str);

	for (i = 0; i < n && rc == CNT_OK; i++) {
		char	       *name = xstrndup(files[i], strlen(files[i]) - 7);
		char	       *path = xasprintf("%s/%s", tdir, files[i]);
		char	       *text = NULL, *c;
		const char     *p[1] = { name };
		PGresult       *res;
		int64_t		id;

		for (c = name; *c != '\0'; c++)
			if (*c == '_')
				*c = ' ';
		res = cnt_db_exec(ctx, err, "SELECT 1 FROM theatres WHERE"
		    " lower(name) = lower($1)", 1, p);
		if (res == NULL)
			rc = CNT_ERR;
		else if (PQntuples(res) == 0) {
			if ((text = cnt_read_file(path, err)) == NULL)
				rc = CNT_ERR;
			else if (cnt_theatre_create(ctx, &system, name, text, &id,
			    err) != CNT_OK) {
				char	msg[sizeof err->msg];

				cnt_strlcpy(msg, err->msg, sizeof msg);
				cnt_error_set(err, CNT_E_INVALID, "%s: %s",
				    path, msg);
				rc = CNT_ERR;
			} else
				rep->theatres++;
		}
		PQclear(res);
		free(text);
		free(path);
		free(name);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(tdir);
	return rc;
}

static int
count(struct cnt_ctx *ctx, const char *sql, int *out, struct cnt_error *err)
{
	PGresult *res = cnt_db_exec(ctx, err, sql, 0, NULL);

	if (res == NULL)
		return CNT_ERR;
	*out = cnt_pg_int(res, 0, 0);
	PQclear(res);
	return CNT_OK;
}

static int
seed_schedule(struct cnt_ctx *ctx, const char *dir,
    struct cnt_seed_report *rep, struct cnt_error *err)
{
	char		past[CNT_I64BUF], ahead[CNT_I64BUF];
	char		trailer[CNT_I64BUF], clean[CNT_I64BUF];
	const char     *p[4];
	PGresult       *res;

	if (run_sql_file(ctx, dir, "schedule.sql", err) != CNT_OK)
		return CNT_ERR;
	p[0] = cnt_i64(past, SEED_DAYS_PAST);
	p[1] = cnt_i64(ahead, SEED_DAYS_AHEAD);
	p[2] = cnt_i64(trailer, ctx->cfg.trailer_minutes);
	p[3] = cnt_i64(clean, ctx->cfg.cleaning_minutes);
	res = cnt_db_exec(ctx, err, "SELECT pg_temp.seed_schedule("
	    "current_date - $1::int, current_date + $2::int, $3, $4)", 4, p);
	if (res == NULL)
		return CNT_ERR;
	rep->showtimes = cnt_pg_int(res, 0, 0);
	PQclear(res);

	res = cnt_db_exec(ctx, err, "SELECT pg_temp.seed_past_sales("
	    "(SELECT array_agg(id ORDER BY id) FROM accounts"
	    "  WHERE role = 'customer' AND email LIKE '%@example.com'),"
	    " (SELECT min(id) FROM accounts WHERE role = 'staff'), 0.55)",
	    0, NULL);
	if (res == NULL)
		return CNT_ERR;
	rep->bookings = cnt_pg_int(res, 0, 0);
	PQclear(res);
	return CNT_OK;
}

/* statement_timeout for this session: VALUE ms ("0" = none). */
static int
set_timeout(struct cnt_ctx *ctx, const char *value, struct cnt_error *err)
{
	const char     *p[1] = { value };
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT set_config('statement_timeout',"
	    " $1, false)", 1, p);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}

static int
seed_all(struct cnt_ctx *ctx, const char *dir, struct cnt_seed_report *rep,
    struct cnt_error *err)
{
	int	before;

	if (seed_accounts(ctx, rep, err) != CNT_OK)
		return CNT_ERR;
	if (count(ctx, "SELECT count(*) FROM movies", &before, err) != CNT_OK ||
	    run_sql_file(ctx, dir, "catalog.sql", err) != CNT_OK ||
	    count(ctx, "SELECT count(*) FROM movies", &rep->films,
	    err) != CNT_OK)
		return CNT_ERR;
	rep->films -= before;
	if (seed_theatres(ctx, dir, rep, err) != CNT_OK)
		return CNT_ERR;
	return seed_schedule(ctx, dir, rep, err);
}

int
cnt_seed(struct cnt_ctx *ctx, const char *dir, struct cnt_seed_report *rep,
    struct cnt_error *err)
{
	struct cnt_error ignored;
	char		timeout[CNT_I64BUF];
	int		rc;

	memset(rep, 0, sizeof *rep);
	/* A batch job: the interactive statement timeout does not apply. */
	if (set_timeout(ctx, "0", err) != CNT_OK)
		return CNT_ERR;
	rc = seed_all(ctx, dir, rep, err);
	(void)set_timeout(ctx, cnt_i64(timeout, ctx->cfg.statement_timeout_ms),
	    &ignored);
	return rc;
}
