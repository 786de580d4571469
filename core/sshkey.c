/*
 * sshkey.c - SSH public keys of accounts: add from an authorized_keys line,
 * list, remove, and find the account for a key at public-key sign-in.
 *
 * Lines are parsed and validated with libssh's pki functions (the only use
 * of libssh in core/, no session code). A key is stored as its type name
 * and the base64 of its blob exactly as libssh exports it, so the daemon's
 * lookup with a key libssh decoded from the wire matches byte for byte. The
 * fingerprint is the SHA-256 of the blob in unpadded base64 after
 * "SHA256:", which is what `ssh-keygen -lf` prints.
 */
#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>

#include "internal.h"
#include "text.h"

#define SSHKEY_LINE_MAX		16384
#define SSHKEY_COMMENT_MAX	200
#define SSHKEY_PER_ACCOUNT	20

#define SSHKEY_COLS	"id, account_id, key_type, fingerprint, comment," \
			" extract(epoch FROM created_at)::bigint"

/* A parsed line: what is stored. */
struct sshkey_parsed {
	char   *type;		/* "ssh-ed25519" */
	char   *base64;		/* the blob as libssh exports it */
	char   *fingerprint;	/* "SHA256:..." */
	char   *comment;
};

static void
parsed_clear(struct sshkey_parsed *k)
{
	free(k->type);
	free(k->base64);
	free(k->fingerprint);
	free(k->comment);
	memset(k, 0, sizeof *k);
}

void
cnt_sshkey_free(struct cnt_sshkey *k)
{
	if (k == NULL)
		return;
	free(k->type);
	free(k->fingerprint);
	free(k->comment);
	k->type = k->fingerprint = k->comment = NULL;
}

void
cnt_sshkeys_free(struct cnt_sshkey *k, size_t n)
{
	size_t	i;

	if (k == NULL)
		return;
	for (i = 0; i < n; i++)
		cnt_sshkey_free(&k[i]);
	free(k);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The next white-space separated word of *P (advanced past it), or NULL. */
static char *
next_word(const char **p)
{
	const char *s = *p, *e;

	while (is_space(*s))
		s++;
	if (*s == '\0')
		return NULL;
	for (e = s; *e != '\0' && !is_space(*e); e++)
		;
	*p = e;
	return xstrndup(s, (size_t)(e - s));
}

/* True if NAME is a key type name libssh knows, certificates included. */
static int
known_type(const char *name)
{
	return ssh_key_type_from_name(name) != SSH_KEYTYPE_UNKNOWN;
}

/*
 * The comment after the key: trimmed, control characters (C0, DEL, C1)
 * and bytes that are not valid UTF-8 dropped, cut to
 * SSHKEY_COMMENT_MAX bytes at a character boundary.
 */
static char *
clean_comment(const char *s)
{
	char   *out = xmalloc(strlen(s) + 1), *o = out;

	while (is_space(*s))
		s++;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			*o++ = *s;
	while (o > out && is_space(o[-1]))
		o--;
	*o = '\0';
	cnt_text_clean(out);
	if (strlen(out) > SSHKEY_COMMENT_MAX) {
		o = out + SSHKEY_COMMENT_MAX;
		while (o > out && ((unsigned char)*o & 0xc0) == 0x80)
			o--;
		*o = '\0';
	}
	return out;
}

/*
 * Why the first word of a line is not a key type: options in front of the
 * key (a later word is a key type), a missing type, or not a key at all.
 */
static int
explain_bad_type(const char *first, const char *rest, struct cnt_error *err)
{
	const char     *p = rest;
	char	       *w;
	int		options = 0;

	while (!options && (w = next_word(&p)) != NULL) {
		options = known_type(w);
		free(w);
	}
	if (options)
		return cnt_error_field(err, CNT_E_INVALID, "key",
		    "Options in front of the key (\"%.40s\") are not"
		    " supported; paste the line from the key type on, e.g."
		    " \"ssh-ed25519 AAAA... you@host\".", first);
	if (strncmp(first, "AAAA", 4) == 0)
		return cnt_error_field(err, CNT_E_INVALID, "key",
		    "The key type is missing: the line should start with it,"
		    " e.g. \"ssh-ed25519 AAAA... you@host\".");
	return cnt_error_field(err, CNT_E_INVALID, "key",
	    "That is not an SSH public key line; expected \"TYPE BASE64"
	    " [comment]\" as in a .pub file, e.g. \"ssh-ed25519 AAAA..."
	    " you@host\".");
}

/*
 * Parse LINE ("TYPE BASE64 [COMMENT]", trailing newline allowed) into OUT:
 * the key must decode with libssh, be of the type the line names, and
 * export to the same base64 (no trailing bytes, no type mismatch).
 */
static int
sshkey_parse_line(const char *line, struct sshkey_parsed *out,
    struct cnt_error *err)
{
	enum ssh_keytypes_e type;
	ssh_key		key = NULL;
	unsigned char  *hash = NULL;
	size_t		hlen = 0, len;
	const char     *p, *canon;
	char	       *first = NULL, *b64 = NULL, *exported = NULL, *fp;
	int		rc = CNT_ERR;

	memset(out, 0, sizeof *out);
	if (line == NULL)
		line = "";
	len = strlen(line);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > SSHKEY_LINE_MAX)
		return cnt_error_field(err, CNT_E_INVALID, "key",
		    "That key line is too long (%zu bytes).", len);
	if (memchr(line, '\n', len) != NULL || memchr(line, '\r', len) != NULL)
		return cnt_error_field(err, CNT_E_INVALID, "key",
		    "Give one key line at a time.");
	p = line = xstrndup(line, len);
	if ((first = next_word(&p)) == NULL || first[0] == '#') {
		cnt_error_field(err, CNT_E_INVALID, "key",
		    "The key line is empty; paste the contents of your .pub"
		    " file (e.g. ~/.ssh/id_ed25519.pub).");
		goto out;
	}
	type = ssh_key_type_from_name(first);
	if (type == SSH_KEYTYPE_UNKNOWN) {
		explain_bad_type(first, p, err);
		goto out;
	}
	if (strstr(first, "-cert-") != NULL) {
		cnt_error_field(err, CNT_E_INVALID, "key", "SSH certificates"
		    " are not supported; add the plain public key instead.");
		goto out;
	}
	if (type == SSH_KEYTYPE_DSS || type == SSH_KEYTYPE_RSA1) {
		cnt_error_field(err, CNT_E_INVALID, "key", "%s keys are no"
		    " longer accepted; please use an ed25519 key"
		    " (ssh-keygen -t ed25519).", first);
		goto out;
	}
	if ((b64 = next_word(&p)) == NULL) {
		cnt_error_field(err, CNT_E_INVALID, "key",
		    "The key data is missing after \"%s\".", first);
		goto out;
	}
	if (ssh_pki_import_pubkey_base64(b64, type, &key) != SSH_OK) {
		cnt_error_field(err, CNT_E_INVALID, "key",
		    "The key data is not a valid %s key.", first);
		goto out;
	}
	canon = ssh_key_type_to_char(ssh_key_type(key));
	if (canon == NULL || strcmp(canon, first) != 0 ||
	    ssh_pki_export_pubkey_base64(key, &exported) != SSH_OK ||
	    strcmp(exported, b64) != 0) {
		cnt_error_field(err, CNT_E_INVALID, "key",
		    "The key data does not match its type \"%s\"; was the"
		    " line changed or cut short?", first);
		goto out;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0 || (fp = ssh_get_fingerprint_hash(
	    SSH_PUBLICKEY_HASH_SHA256, hash, hlen)) == NULL) {
		cnt_error_set(err, CNT_E_INTERNAL,
		    "could not compute the key's fingerprint");
		goto out;
	}
	out->fingerprint = xstrdup(fp);
	ssh_string_free_char(fp);
	out->type = xstrdup(canon);
	out->base64 = xstrdup(exported);
	out->comment = clean_comment(p);
	rc = CNT_OK;
out:
	if (hash != NULL)
		ssh_clean_pubkey_hash(&hash);
	if (exported != NULL)
		ssh_string_free_char(exported);
	ssh_key_free(key);
	free(b64);
	free(first);
	free((char *)line);
	return rc;
}

int
cnt_sshkey_parse(const char *line, struct cnt_sshkey *out,
    struct cnt_error *err)
{
	struct sshkey_parsed k;

	memset(out, 0, sizeof *out);
	if (sshkey_parse_line(line, &k, err) != CNT_OK)
		return CNT_ERR;
	out->type = k.type;
	out->fingerprint = k.fingerprint;
	out->comment = k.comment;
	free(k.base64);
	return CNT_OK;
}

static void
sshkey_from_row(const PGresult *res, int row, struct cnt_sshkey *out)
{
	out->id = cnt_pg_i64(res, row, 0);
	out->account_id = cnt_pg_i64(res, row, 1);
	out->type = cnt_pg_str(res, row, 2);
	out->fingerprint = cnt_pg_str(res, row, 3);
	out->comment = cnt_pg_str(res, row, 4);
	out->created_at = (time_t)cnt_pg_i64(res, row, 5);
}

/* May ACTOR manage the keys of ACCOUNT_ID? Its owner or an admin. */
static int
may_manage(const struct cnt_actor *actor, int64_t account_id)
{
	if (actor->role == CNT_ROLE_ADMIN)
		return 1;
	return actor->role != CNT_ROLE_GUEST && actor->account_id > 0 &&
	    actor->account_id == account_id;
}

/*
 * Add the key of authorized_keys LINE to ACCOUNT_ID. A key is registered
 * once across all accounts (it identifies who signs in). OUT may be NULL.
 */
int
cnt_sshkey_add(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t account_id, const char *line, struct cnt_sshkey *out,
    struct cnt_error *err)
{
	struct sshkey_parsed k;
	char		idb[CNT_I64BUF];
	PGresult       *res;
	int64_t		nkeys;

	if (!may_manage(actor, account_id))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "You can add keys only to your own account.");
	if (sshkey_parse_line(line, &k, err) != CNT_OK)
		return CNT_ERR;
	cnt_i64(idb, account_id);
	{
		const char *p[1] = { idb };

		res = cnt_db_exec(ctx, err, "SELECT (SELECT count(*) FROM"
		    " ssh_keys WHERE account_id = a.id) FROM accounts a"
		    " WHERE a.id = $1", 1, p);
	}
	if (res == NULL)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
		goto fail;
	}
	nkeys = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	if (nkeys >= SSHKEY_PER_ACCOUNT) {
		cnt_error_field(err, CNT_E_CONFLICT, "key", "An account can"
		    " have at most %d keys; remove one first.",
		    SSHKEY_PER_ACCOUNT);
		goto fail;
	}
	{
		const char *p[5] = { idb, k.type, k.base64, k.fingerprint,
		    k.comment };

		res = cnt_db_exec(ctx, err, "INSERT INTO ssh_keys (account_id,"
		    " key_type, key_base64, fingerprint, comment) VALUES ($1,"
		    " $2, $3, $4, $5) ON CONFLICT (key_type, key_base64)"
		    " DO NOTHING RETURNING " SSHKEY_COLS, 5, p);
	}
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23503") == 0)
			cnt_error_set(err, CNT_E_NOTFOUND, "No such account.");
		goto fail;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_field(err, CNT_E_CONFLICT, "key",
		    "This key (%s) is already registered.", k.fingerprint);
		goto fail;
	}
	if (out != NULL)
		sshkey_from_row(res, 0, out);
	(void)cnt_audit(ctx, actor, "sshkey.add", "account", account_id,
	    k.fingerprint, NULL);
	log_info("event=sshkey_add account=%lld fingerprint=%s",
	    (long long)account_id, k.fingerprint);
	PQclear(res);
	parsed_clear(&k);
	return CNT_OK;
fail:
	parsed_clear(&k);
	return CNT_ERR;
}

int
cnt_sshkey_list(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t account_id, struct cnt_sshkey **out, size_t *n,
    struct cnt_error *err)
{
	char		idb[CNT_I64BUF];
	const char     *p[1] = { cnt_i64(idb, account_id) };
	PGresult       *res;
	int		i, rows;

	*out = NULL;
	*n = 0;
	if (!may_manage(actor, account_id))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "You can see only your own keys.");
	res = cnt_db_exec(ctx, err, "SELECT " SSHKEY_COLS " FROM ssh_keys"
	    " WHERE account_id = $1 ORDER BY id", 1, p);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	if (rows > 0) {
		*out = xcalloc((size_t)rows, sizeof **out);
		for (i = 0; i < rows; i++)
			sshkey_from_row(res, i, &(*out)[i]);
	}
	*n = (size_t)rows;
	PQclear(res);
	return CNT_OK;
}

int
cnt_sshkey_remove(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t key_id, struct cnt_error *err)
{
	char		idb[CNT_I64BUF], *fp;
	const char     *p[1] = { cnt_i64(idb, key_id) };
	PGresult       *res;
	int64_t		owner;

	if (actor->role == CNT_ROLE_GUEST)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Sign in to manage your keys.");
	res = cnt_db_exec(ctx, err, "SELECT account_id, fingerprint"
	    " FROM ssh_keys WHERE id = $1", 1, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
	}
	owner = cnt_pg_i64(res, 0, 0);
	fp = cnt_pg_str(res, 0, 1);
	PQclear(res);
	if (!may_manage(actor, owner)) {
		free(fp);
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "You can remove only your own keys.");
	}
	{
		char		ob[CNT_I64BUF];
		const char     *q[2] = { idb, cnt_i64(ob, owner) };

		res = cnt_db_exec(ctx, err, "DELETE FROM ssh_keys WHERE id = $1"
		    " AND account_id = $2", 2, q);
	}
	if (res == NULL) {
		free(fp);
		return CNT_ERR;
	}
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		PQclear(res);
		free(fp);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
	}
	PQclear(res);
	(void)cnt_audit(ctx, actor, "sshkey.remove", "account", owner, fp,
	    NULL);
	log_info("event=sshkey_remove account=%lld fingerprint=%s",
	    (long long)owner, fp);
	free(fp);
	return CNT_OK;
}

/*
 * Public-key sign-in: the unlocked account USERNAME that registered the key
 * TYPE + BASE64. The key is decoded and re-encoded first so any valid
 * encoding of it matches the stored form; anything else is NOTFOUND.
 */
int
cnt_sshkey_lookup(struct cnt_ctx *ctx, const char *username,
    const char *type, const char *base64, struct cnt_account *out,
    struct cnt_error *err)
{
	struct cnt_account acc;
	enum ssh_keytypes_e kt;
	ssh_key		key = NULL;
	char	       *canon = NULL;
	const char     *ctype;
	PGresult       *res;
	int		found = 0;

	if (username == NULL || type == NULL || base64 == NULL)
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
	kt = ssh_key_type_from_name(type);
	if (kt == SSH_KEYTYPE_UNKNOWN ||
	    ssh_pki_import_pubkey_base64(base64, kt, &key) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(key, &canon) != SSH_OK) {
		ssh_key_free(key);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
	}
	/* A static string: valid after the key is freed. */
	ctype = ssh_key_type_to_char(ssh_key_type(key));
	ssh_key_free(key);
	if (ctype == NULL) {
		ssh_string_free_char(canon);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
	}
	if (cnt_account_by_name(ctx, username, &acc, err) != CNT_OK) {
		ssh_string_free_char(canon);
		if (err->kind == CNT_E_NOTFOUND)
			cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
		return CNT_ERR;
	}
	{
		char		idb[CNT_I64BUF];
		const char     *p[3] = { cnt_i64(idb, acc.id), ctype, canon };

		res = cnt_db_exec(ctx, err, "SELECT 1 FROM ssh_keys WHERE"
		    " account_id = $1 AND key_type = $2 AND key_base64 = $3",
		    3, p);
	}
	ssh_string_free_char(canon);
	if (res == NULL) {
		cnt_account_free(&acc);
		return CNT_ERR;
	}
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found || acc.locked) {
		cnt_account_free(&acc);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such key.");
	}
	*out = acc;
	return CNT_OK;
}
