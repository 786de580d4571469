/*
 * auth.c - accounts: sign-up, sign-in, roles, locking, passwords, listing.
 *
 * Passwords are argon2id encoded hashes (password.c). Sign-in costs one
 * argon2 verification whether or not the account exists (an unknown login
 * is checked against a dummy hash), and an unknown login and a wrong
 * password get the same message, so neither timing nor wording tells a
 * stranger which usernames exist. A sign-in with a hash made under other
 * cost settings re-hashes the password with the configured ones.
 *
 * The last admin who can sign in is never demoted or locked: the role and
 * lock changes lock every unlocked admin row (SELECT ... FOR UPDATE, in id
 * order) before they count them, so two admins demoting each other at the
 * same moment cannot both succeed.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "text.h"

#define PASSWORD_MIN_CHARS	10
#define PASSWORD_MAX_BYTES	1024
#define USERNAME_MIN		3
#define USERNAME_MAX		32
#define EMAIL_MAX		254
#define FULL_NAME_MAX		200
#define LIST_DEFAULT_LIMIT	100
#define LIST_MAX_LIMIT		1000

#define SIGNIN_FAILED	"Wrong username or password."
/* The "source address" password changes are throttled under. */
#define THROTTLE_PEER_PASSWD	"password-change"

/* The columns account_from_row reads, in its order. */
#define ACCOUNT_COLS	"id, username, email, full_name, role, locked," \
			" extract(epoch FROM created_at)::bigint"
#define ACCOUNT_NCOLS	7

void
cnt_account_free(struct cnt_account *a)
{
	if (a == NULL)
		return;
	free(a->username);
	free(a->email);
	free(a->full_name);
	a->username = a->email = a->full_name = NULL;
}

void
cnt_accounts_free(struct cnt_account *a, size_t n)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < n; i++)
		cnt_account_free(&a[i]);
	free(a);
}

struct cnt_actor
cnt_account_actor(const struct cnt_account *a)
{
	struct cnt_actor actor = { a->id, a->role };

	return actor;
}

/* Fill OUT from ROW of RES, whose first columns are ACCOUNT_COLS. */
static void
account_from_row(const PGresult *res, int row, struct cnt_account *out)
{
	char   *role = cnt_pg_str(res, row, 4);

	memset(out, 0, sizeof *out);
	out->id = cnt_pg_i64(res, row, 0);
	out->username = cnt_pg_str(res, row, 1);
	out->email = cnt_pg_str(res, row, 2);
	out->full_name = cnt_pg_str(res, row, 3);
	if (cnt_role_parse(role, &out->role) != CNT_OK)
		out->role = CNT_ROLE_CUSTOMER;
	out->locked = cnt_pg_bool(res, row, 5);
	out->created_at = (time_t)cnt_pg_i64(res, row, 6);
	free(role);
}

/* ------------------------------------------------------------------ */
/* Validation: each returns an owned normalised copy, or NULL and ERR. */

/* A copy of S without leading and trailing white space. */
static char *
trimmed(const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	return xstrndup(s, (size_t)(end - s));
}

/* Lower-case ASCII letters in place. */
static char *
ascii_lower(char *s)
{
	char   *p;

	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

/* Characters (not bytes) of UTF-8 text S. */
static size_t
utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Username: trimmed, case-folded, 3-32 of [a-z0-9._-]. */
static char *
check_username(const char *in, struct cnt_error *err)
{
	char	       *u;
	const char     *p;
	size_t		len;

	if (in == NULL)
		in = "";
	u = ascii_lower(trimmed(in));
	len = strlen(u);
	for (p = u; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '_' || *p == '-')
			continue;
		break;
	}
	if (len < USERNAME_MIN || len > USERNAME_MAX || *p != '\0') {
		free(u);
		cnt_error_field(err, CNT_E_INVALID, "username",
		    "A username has %d to %d characters: letters, digits,"
		    " '.', '_' or '-'.", USERNAME_MIN, USERNAME_MAX);
		return NULL;
	}
	return u;
}

/* Characters allowed in the part of an address before the '@'. */
static int
email_local_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && strchr("@<>()[]\\,;:\"", c) == NULL;
}

/*
 * Email: trimmed; one '@' with something before it and a domain after it
 * that has a dot, no empty label, and only letters, digits, '-' and
 * non-ASCII (international) bytes.
 */
static char *
check_email(const char *in, struct cnt_error *err)
{
	char	       *e, *at;
	const char     *p;
	int		ok = 1;

	if (in == NULL)
		in = "";
	e = trimmed(in);
	at = strchr(e, '@');
	if (strlen(e) > EMAIL_MAX || at == NULL || at == e ||
	    strchr(at + 1, '@') != NULL)
		ok = 0;
	for (p = e; ok && p < at; p++)
		if (!email_local_char((unsigned char)*p))
			ok = 0;
	if (ok) {
		p = at + 1;
		if (*p == '\0' || *p == '.' || *p == '-' ||
		    strchr(p, '.') == NULL || strstr(p, "..") != NULL ||
		    p[strlen(p) - 1] == '.' || p[strlen(p) - 1] == '-')
			ok = 0;
		for (; ok && *p != '\0'; p++) {
			unsigned char c = (unsigned char)*p;

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
			    c >= 0x80))
				ok = 0;
		}
	}
	if (!ok) {
		free(e);
		cnt_error_field(err, CNT_E_INVALID, "email",
		    "That does not look like an email address"
		    " (name@example.com).");
		return NULL;
	}
	return e;
}

/* Full name: trimmed, 1-200 characters, no control characters. */
static char *
check_full_name(const char *in, struct cnt_error *err)
{
	char	       *n;
	size_t		chars;

	if (in == NULL)
		in = "";
	n = trimmed(in);
	chars = utf8_chars(n);
	if (chars >= 1 && chars <= FULL_NAME_MAX &&
	    cnt_text_field(n, 0, "full_name", "A name", err) != CNT_OK) {
		free(n);
		return NULL;
	}
	if (chars < 1 || chars > FULL_NAME_MAX) {
		free(n);
		cnt_error_field(err, CNT_E_INVALID, "full_name",
		    "Please give a name of 1 to %d characters.", FULL_NAME_MAX);
		return NULL;
	}
	return n;
}

/*
 * A new password for USERNAME (already folded): at least 10 characters,
 * at most 1024 bytes, not the username in any case.
 */
static int
check_password(const char *pw, const char *username, struct cnt_error *err)
{
	if (pw == NULL || utf8_chars(pw) < PASSWORD_MIN_CHARS)
		return cnt_error_field(err, CNT_E_INVALID, "password",
		    "A password needs at least %d characters.",
		    PASSWORD_MIN_CHARS);
	if (strlen(pw) > PASSWORD_MAX_BYTES)
		return cnt_error_field(err, CNT_E_INVALID, "password",
		    "A password can be at most %d bytes long.",
		    PASSWORD_MAX_BYTES);
	if (username != NULL && strcasecmp(pw, username) == 0)
		return cnt_error_field(err, CNT_E_INVALID, "password",
		    "The password must not be the username.");
	return CNT_OK;
}

/* Normalised copies of a sign-up's fields; free with signup_clear. */
struct signup_norm {
	char   *username;
	char   *email;
	char   *full_name;
};

static void
signup_clear(struct signup_norm *n)
{
	free(n->username);
	free(n->email);
	free(n->full_name);
}

static int
signup_normalise(const struct cnt_signup *in, struct signup_norm *n,
    struct cnt_error *err)
{
	memset(n, 0, sizeof *n);
	if ((n->username = check_username(in->username, err)) == NULL ||
	    (n->email = check_email(in->email, err)) == NULL ||
	    (n->full_name = check_full_name(in->full_name, err)) == NULL ||
	    check_password(in->password, n->username, err) != CNT_OK) {
		signup_clear(n);
		return CNT_ERR;
	}
	return CNT_OK;
}

int
cnt_signup_validate(const struct cnt_signup *in, struct cnt_error *err)
{
	struct signup_norm n;

	if (signup_normalise(in, &n, err) != CNT_OK)
		return CNT_ERR;
	signup_clear(&n);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Creating accounts.                                                   */

/* CNT_ERR with a field-specific conflict if USERNAME or EMAIL is taken. */
static int
check_taken(struct cnt_ctx *ctx, const char *username, const char *email,
    struct cnt_error *err)
{
	const char     *p[2] = { username, email };
	PGresult       *res;
	bool		user, mail;

	res = cnt_db_exec(ctx, err, "SELECT"
	    " EXISTS (SELECT 1 FROM accounts WHERE username = $1),"
	    " EXISTS (SELECT 1 FROM accounts WHERE lower(email) = lower($2))",
	    2, p);
	if (res == NULL)
		return CNT_ERR;
	user = cnt_pg_bool(res, 0, 0);
	mail = cnt_pg_bool(res, 0, 1);
	PQclear(res);
	if (user)
		return cnt_error_field(err, CNT_E_CONFLICT, "username",
		    "The username \"%s\" is taken; please choose another.",
		    username);
	if (mail)
		return cnt_error_field(err, CNT_E_CONFLICT, "email",
		    "An account with this email address already exists.");
	return CNT_OK;
}

/*
 * Insert an account with ROLE from a validated sign-up and audit it as done
 * by ACTOR (NULL: the person signing up). Checks for a taken username or
 * email first so the message names the field; a concurrent sign-up that
 * wins the race between check and insert is caught by ON CONFLICT.
 */
static int
account_insert(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_signup *in, enum cnt_role role, struct cnt_account *out,
    struct cnt_error *err)
{
	struct signup_norm n;
	struct cnt_account acc;
	struct cnt_actor self;
	PGresult       *res;
	char	       *hash;

	if (signup_normalise(in, &n, err) != CNT_OK)
		return CNT_ERR;
	if (check_taken(ctx, n.username, n.email, err) != CNT_OK) {
		signup_clear(&n);
		return CNT_ERR;
	}
	if ((hash = cnt_password_hash(&ctx->cfg, in->password, err)) == NULL) {
		signup_clear(&n);
		return CNT_ERR;
	}
	if (cnt_db_begin(ctx, err) != CNT_OK)
		goto fail;
	{
		const char *p[5] = { n.username, n.email, n.full_name,
		    cnt_role_name(role), hash };

		res = cnt_db_exec(ctx, err, "INSERT INTO accounts (username,"
		    " email, full_name, role, password_hash) VALUES ($1, $2, $3,"
		    " $4, $5) ON CONFLICT DO NOTHING RETURNING " ACCOUNT_COLS,
		    5, p);
	}
	if (res == NULL)
		goto rollback;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_db_rollback(ctx);
		if (check_taken(ctx, n.username, n.email, err) == CNT_OK)
			cnt_error_set(err, CNT_E_CONFLICT, "That username or email"
			    " was taken a moment ago; please try again.");
		goto fail;
	}
	account_from_row(res, 0, &acc);
	PQclear(res);
	/* Someone signing up is the actor of their own sign-up. */
	self = cnt_account_actor(&acc);
	if (cnt_audit(ctx, actor != NULL ? actor : &self, actor != NULL ?
	    "account.create" : "account.signup", "account", acc.id,
	    cnt_role_name(role), err) != CNT_OK ||
	    cnt_db_commit(ctx, err) != CNT_OK) {
		cnt_account_free(&acc);
		goto rollback;
	}
	log_info("event=account_created account=%lld username=%s role=%s",
	    (long long)acc.id, acc.username, cnt_role_name(role));
	if (out != NULL)
		*out = acc;
	else
		cnt_account_free(&acc);
	free(hash);
	signup_clear(&n);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
fail:
	free(hash);
	signup_clear(&n);
	return CNT_ERR;
}

int
cnt_account_signup(struct cnt_ctx *ctx, const struct cnt_signup *in,
    struct cnt_account *out, struct cnt_error *err)
{
	return account_insert(ctx, NULL, in, CNT_ROLE_CUSTOMER, out, err);
}

int
cnt_account_create(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_signup *in, enum cnt_role role, struct cnt_account *out,
    struct cnt_error *err)
{
	if (actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only an admin can create accounts with a role.");
	if (role != CNT_ROLE_CUSTOMER && role != CNT_ROLE_STAFF &&
	    role != CNT_ROLE_ADMIN)
		return cnt_error_field(err, CNT_E_INVALID, "role",
		    "An account is a customer, staff or admin.");
	return account_insert(ctx, actor, in, role, out, err);
}

/* ------------------------------------------------------------------ */
/* Sign-in.                                                             */

/*
 * A hash in the configured costs for unknown logins to be checked against:
 * a fixed salt and tag, so verifying it costs what a real check costs.
 * It is built as text, not hashed: cinettyd forks a process per
 * connection, and hashing a dummy there first doubled the work of an
 * unknown login (an enumeration oracle of a hundred milliseconds).
 */
static char *
dummy_hash(const struct cnt_config *cfg)
{
	/* 16 bytes of salt and a 32-byte tag, as cnt_password_hash makes */
	return xasprintf("$argon2id$v=19$m=%d,t=%d,p=%d"
	    "$Y2luZXR0eSBkdW1teSBzYQ"
	    "$ZHVtbXkgdGFnIHRoYXQgbm8gcGFzc3dvcmQgbWF0Y2g",
	    cfg->argon2_m_kib, cfg->argon2_t_cost, cfg->argon2_parallelism);
}

/* Best effort: store a hash with the configured costs for account ID. */
static void
rehash(struct cnt_ctx *ctx, int64_t id, const char *old, const char *pw)
{
	struct cnt_error err;
	PGresult       *res;
	char		idb[CNT_I64BUF];
	char	       *hash;

	if ((hash = cnt_password_hash(&ctx->cfg, pw, &err)) == NULL) {
		log_warn("event=rehash_failed account=%lld error=\"%s\"",
		    (long long)id, err.msg);
		return;
	}
	{
		/* Only if unchanged: a concurrent password change wins. */
		const char *p[3] = { cnt_i64(idb, id), hash, old };

		res = cnt_db_exec(ctx, &err, "UPDATE accounts SET"
		    " password_hash = $2 WHERE id = $1 AND password_hash = $3",
		    3, p);
	}
	if (res == NULL)
		log_warn("event=rehash_failed account=%lld error=\"%s\"",
		    (long long)id, err.msg);
	else {
		log_info("event=rehash account=%lld", (long long)id);
		PQclear(res);
	}
	free(hash);
}

int
cnt_account_signin(struct cnt_ctx *ctx, const char *login,
    const char *password, const char *peer, struct cnt_account *out,
    struct cnt_error *err)
{
	PGresult       *res;
	char	       *name, *hash = NULL;
	int		ok;

	if (peer == NULL)
		peer = "local";
	name = ascii_lower(trimmed(login != NULL ? login : ""));
	if (password == NULL)
		password = "";
	if (cnt_throttle_check(ctx, peer, name, err) != CNT_OK) {
		free(name);
		return CNT_ERR;
	}
	{
		/* Not text (invalid UTF-8): no account has that name, and
		 * PostgreSQL would refuse it; look up "" to do the same work. */
		const char *p[1] = { cnt_text_check(name, 0) == CNT_TEXT_UTF8 ?
		    "" : name };

		/* A username has no '@' and an address has one: one match. */
		res = cnt_db_exec(ctx, err, "SELECT " ACCOUNT_COLS ","
		    " password_hash FROM accounts WHERE username = $1"
		    " OR lower(email) = $1 LIMIT 1", 1, p);
	}
	if (res == NULL) {
		free(name);
		return CNT_ERR;
	}
	if (PQntuples(res) == 1)
		hash = cnt_pg_str(res, 0, ACCOUNT_NCOLS);
	if (hash == NULL || strlen(password) > PASSWORD_MAX_BYTES) {
		/* Same work as a real check, then the same answer. */
		char *dummy = dummy_hash(&ctx->cfg);

		(void)cnt_password_verify(dummy, password);
		free(dummy);
		ok = 0;
	} else
		ok = cnt_password_verify(hash, password);
	if (!ok) {
		PQclear(res);
		free(hash);
		cnt_throttle_failed(ctx, peer, name);
		log_info("event=signin_failed peer=%s", peer);
		free(name);
		return cnt_error_field(err, CNT_E_FORBIDDEN, "password",
		    SIGNIN_FAILED);
	}
	account_from_row(res, 0, out);
	PQclear(res);
	if (out->locked) {
		log_info("event=signin_locked account=%lld peer=%s",
		    (long long)out->id, peer);
		cnt_account_free(out);
		free(hash);
		free(name);
		return cnt_error_set(err, CNT_E_FORBIDDEN, "This account is"
		    " locked. Please ask the cinema staff to unlock it.");
	}
	cnt_throttle_succeeded(ctx, peer, name);
	if (cnt_password_needs_rehash(&ctx->cfg, hash))
		rehash(ctx, out->id, hash, password);
	log_info("event=signin account=%lld peer=%s", (long long)out->id, peer);
	free(hash);
	free(name);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Looking accounts up.                                                 */

int
cnt_account_get(struct cnt_ctx *ctx, int64_t id, struct cnt_account *out,
    struct cnt_error *err)
{
	char		idb[CNT_I64BUF];
	const char     *p[1] = { cnt_i64(idb, id) };
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT " ACCOUNT_COLS " FROM accounts"
	    " WHERE id = $1", 1, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
	}
	account_from_row(res, 0, out);
	PQclear(res);
	return CNT_OK;
}

int
cnt_account_by_name(struct cnt_ctx *ctx, const char *username,
    struct cnt_account *out, struct cnt_error *err)
{
	char	       *name = ascii_lower(trimmed(username != NULL ?
			    username : ""));
	const char     *p[1] = { name };
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT " ACCOUNT_COLS " FROM accounts"
	    " WHERE username = $1", 1, p);
	if (res == NULL) {
		free(name);
		return CNT_ERR;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "No account named \"%s\".",
		    name);
		free(name);
		return CNT_ERR;
	}
	account_from_row(res, 0, out);
	PQclear(res);
	free(name);
	return CNT_OK;
}

int
cnt_account_list(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *search, int offset, int limit, struct cnt_account **out,
    size_t *n, struct cnt_error *err)
{
	char		off[CNT_I64BUF], lim[CNT_I64BUF];
	char	       *s;
	PGresult       *res;
	int		i, rows;

	*out = NULL;
	*n = 0;
	if (actor->role != CNT_ROLE_STAFF && actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only staff and admins can list accounts.");
	if (offset < 0)
		offset = 0;
	if (limit <= 0)
		limit = LIST_DEFAULT_LIMIT;
	if (limit > LIST_MAX_LIMIT)
		limit = LIST_MAX_LIMIT;
	if (cnt_text_field(search, 0, "search", "The search", err) != CNT_OK)
		return CNT_ERR;
	s = trimmed(search != NULL ? search : "");
	{
		const char *p[3] = { s, cnt_i64(off, offset),
		    cnt_i64(lim, limit) };

		/* strpos, not LIKE: '%' and '_' in a search are literal. */
		res = cnt_db_exec(ctx, err, "SELECT " ACCOUNT_COLS
		    " FROM accounts WHERE $1 = ''"
		    " OR strpos(username, lower($1)) > 0"
		    " OR strpos(lower(email), lower($1)) > 0"
		    " OR strpos(lower(full_name), lower($1)) > 0"
		    " ORDER BY username OFFSET $2 LIMIT $3", 3, p);
	}
	free(s);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	if (rows > 0) {
		*out = xcalloc((size_t)rows, sizeof **out);
		for (i = 0; i < rows; i++)
			account_from_row(res, i, &(*out)[i]);
	}
	*n = (size_t)rows;
	PQclear(res);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Roles and locking.                                                   */

/*
 * Change account ID's role to *ROLE and/or its lock to *LOCKED (NULL: keep)
 * as admin ACTOR, in one transaction that first locks every admin who can
 * sign in, so the last of them is never demoted or locked even by
 * concurrent calls.
 */
static int
account_guarded_update(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const enum cnt_role *role, const bool *locked,
    struct cnt_error *err)
{
	enum cnt_role	old_role, new_role;
	bool		old_locked, new_locked;
	char		idb[CNT_I64BUF], *name, *detail;
	const char     *action;
	PGresult       *res;
	int		admins;

	if (actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN, locked != NULL ?
		    "Only an admin can lock or unlock accounts." :
		    "Only an admin can change roles.");
	if (role != NULL && *role != CNT_ROLE_CUSTOMER &&
	    *role != CNT_ROLE_STAFF && *role != CNT_ROLE_ADMIN)
		return cnt_error_field(err, CNT_E_INVALID, "role",
		    "An account is a customer, staff or admin.");
	if (locked != NULL && *locked && actor->account_id == id)
		return cnt_error_set(err, CNT_E_INVALID,
		    "You cannot lock your own account.");
	cnt_i64(idb, id);
	if (cnt_db_begin(ctx, err) != CNT_OK)
		return CNT_ERR;
	res = cnt_db_exec(ctx, err, "SELECT id FROM accounts WHERE"
	    " role = 'admin' AND NOT locked ORDER BY id FOR UPDATE", 0, NULL);
	if (res == NULL)
		goto rollback;
	admins = PQntuples(res);
	PQclear(res);
	{
		const char *p[1] = { idb };

		res = cnt_db_exec(ctx, err, "SELECT username, role, locked"
		    " FROM accounts WHERE id = $1 FOR UPDATE", 1, p);
	}
	if (res == NULL)
		goto rollback;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
		goto rollback;
	}
	name = cnt_pg_str(res, 0, 0);
	if (cnt_role_parse(PQgetvalue(res, 0, 1), &old_role) != CNT_OK)
		old_role = CNT_ROLE_CUSTOMER;
	old_locked = cnt_pg_bool(res, 0, 2);
	PQclear(res);
	new_role = role != NULL ? *role : old_role;
	new_locked = locked != NULL ? *locked : old_locked;

	if (old_role == CNT_ROLE_ADMIN && !old_locked &&
	    (new_role != CNT_ROLE_ADMIN || new_locked) && admins <= 1) {
		cnt_error_set(err, CNT_E_CONFLICT, "%s is the last admin who"
		    " can sign in: make another account admin first.", name);
		free(name);
		goto rollback;
	}
	if (new_role == old_role && new_locked == old_locked) {
		free(name);	/* nothing to change */
		cnt_db_rollback(ctx);
		return CNT_OK;
	}
	{
		const char *p[3] = { idb, cnt_role_name(new_role),
		    new_locked ? "true" : "false" };

		res = cnt_db_exec(ctx, err, "UPDATE accounts SET role = $2,"
		    " locked = $3, updated_at = now() WHERE id = $1", 3, p);
	}
	if (res == NULL) {
		free(name);
		goto rollback;
	}
	PQclear(res);
	if (new_role != old_role) {
		action = "account.role";
		detail = xasprintf("%s: %s -> %s", name, cnt_role_name(old_role),
		    cnt_role_name(new_role));
	} else {
		action = new_locked ? "account.lock" : "account.unlock";
		detail = xstrdup(name);
	}
	free(name);
	if (cnt_audit(ctx, actor, action, "account", id, detail, err) !=
	    CNT_OK || cnt_db_commit(ctx, err) != CNT_OK) {
		free(detail);
		goto rollback;
	}
	log_info("event=%s account=%lld", action, (long long)id);
	free(detail);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
	return CNT_ERR;
}

int
cnt_account_set_role(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, enum cnt_role role, struct cnt_error *err)
{
	return account_guarded_update(ctx, actor, id, &role, NULL, err);
}

int
cnt_account_set_locked(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, bool locked, struct cnt_error *err)
{
	return account_guarded_update(ctx, actor, id, NULL, &locked, err);
}

/* ------------------------------------------------------------------ */
/* Profile.                                                             */

int
cnt_account_update_profile(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const char *email_in, const char *name_in,
    struct cnt_error *err)
{
	char		idb[CNT_I64BUF];
	char	       *email = NULL, *name = NULL, *detail;
	PGresult       *res;
	int		rc = CNT_ERR;

	if (actor->role != CNT_ROLE_ADMIN && (actor->role == CNT_ROLE_GUEST ||
	    actor->account_id <= 0 || actor->account_id != id))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "You can change only your own details.");
	if ((email_in != NULL && (email = check_email(email_in, err)) ==
	    NULL) || (name_in != NULL && (name = check_full_name(name_in,
	    err)) == NULL)) {
		free(email);
		return CNT_ERR;
	}
	if (email == NULL && name == NULL)
		return CNT_OK;
	if (cnt_db_begin(ctx, err) != CNT_OK)
		goto out;
	{
		/* The email is unique whatever its case; another account
		 * holding it is found first so the message can say so. */
		const char *p[3] = { cnt_i64(idb, id), email, name };

		res = cnt_db_exec(ctx, err, "UPDATE accounts SET"
		    " email = coalesce($2, email),"
		    " full_name = coalesce($3, full_name), updated_at = now()"
		    " WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM accounts o"
		    " WHERE o.id <> $1 AND $2::text IS NOT NULL"
		    " AND lower(o.email) = lower($2))"
		    " RETURNING 1", 3, p);
	}
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23505") == 0)
			cnt_error_field(err, CNT_E_CONFLICT, "email",
			    "An account with this email address already"
			    " exists.");
		goto rollback;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		res = cnt_db_exec(ctx, err, "SELECT 1 FROM accounts WHERE"
		    " id = $1", 1, (const char *const[]){ idb });
		if (res == NULL)
			goto rollback;
		if (PQntuples(res) == 0)
			cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
		else
			cnt_error_field(err, CNT_E_CONFLICT, "email",
			    "An account with this email address already"
			    " exists.");
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	detail = xasprintf("%s%s%s", email != NULL ? "email" : "",
	    email != NULL && name != NULL ? ", " : "",
	    name != NULL ? "full name" : "");
	rc = cnt_audit(ctx, actor, "account.profile", "account", id, detail,
	    err);
	free(detail);
	if (rc != CNT_OK || (rc = cnt_db_commit(ctx, err)) != CNT_OK)
		goto rollback;
	goto out;
rollback:
	rc = CNT_ERR;
	cnt_db_rollback(ctx);
out:
	free(email);
	free(name);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Passwords.                                                           */

/* Store a hash of PW for account ID and audit ACTION, in a transaction. */
static int
store_password(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const char *pw, const char *action, struct cnt_error *err)
{
	char		idb[CNT_I64BUF];
	char	       *hash;
	PGresult       *res;

	if ((hash = cnt_password_hash(&ctx->cfg, pw, err)) == NULL)
		return CNT_ERR;
	if (cnt_db_begin(ctx, err) != CNT_OK) {
		free(hash);
		return CNT_ERR;
	}
	{
		const char *p[2] = { cnt_i64(idb, id), hash };

		res = cnt_db_exec(ctx, err, "UPDATE accounts SET"
		    " password_hash = $2, updated_at = now() WHERE id = $1",
		    2, p);
	}
	free(hash);
	if (res == NULL)
		goto rollback;
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
		goto rollback;
	}
	PQclear(res);
	if (cnt_audit(ctx, actor, action, "account", id, NULL, err) != CNT_OK ||
	    cnt_db_commit(ctx, err) != CNT_OK)
		goto rollback;
	log_info("event=%s account=%lld", action, (long long)id);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
	return CNT_ERR;
}

int
cnt_account_change_password(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *old_pw, const char *new_pw, struct cnt_error *err)
{
	char		idb[CNT_I64BUF];
	const char     *p[1];
	PGresult       *res;
	char	       *username, *hash;
	int		ok;

	if (actor->account_id <= 0 || actor->role == CNT_ROLE_GUEST)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Sign in to change your password.");
	p[0] = cnt_i64(idb, actor->account_id);
	res = cnt_db_exec(ctx, err, "SELECT username, password_hash"
	    " FROM accounts WHERE id = $1", 1, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
	}
	username = cnt_pg_str(res, 0, 0);
	hash = cnt_pg_str(res, 0, 1);
	PQclear(res);
	/* Guessing the old password is guessing a sign-in: throttled too. */
	if (cnt_throttle_check(ctx, THROTTLE_PEER_PASSWD, username, err) !=
	    CNT_OK) {
		free(hash);
		free(username);
		return CNT_ERR;
	}
	ok = old_pw != NULL && strlen(old_pw) <= PASSWORD_MAX_BYTES &&
	    cnt_password_verify(hash, old_pw);
	free(hash);
	if (!ok) {
		cnt_throttle_failed(ctx, THROTTLE_PEER_PASSWD, username);
		free(username);
		return cnt_error_field(err, CNT_E_FORBIDDEN, "old_password",
		    "Your current password is not right.");
	}
	cnt_throttle_succeeded(ctx, THROTTLE_PEER_PASSWD, username);
	if (check_password(new_pw, username, err) != CNT_OK) {
		free(username);
		return CNT_ERR;
	}
	free(username);
	return store_password(ctx, actor, actor->account_id, new_pw,
	    "account.password", err);
}

int
cnt_account_set_password(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const char *new_pw, struct cnt_error *err)
{
	struct cnt_account acc;
	int		rc;

	if (actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only an admin can reset another account's password.");
	if (cnt_account_get(ctx, id, &acc, err) != CNT_OK)
		return CNT_ERR;
	rc = check_password(new_pw, acc.username, err);
	cnt_account_free(&acc);
	if (rc != CNT_OK)
		return CNT_ERR;
	return store_password(ctx, actor, id, new_pw, "account.password_reset",
	    err);
}
