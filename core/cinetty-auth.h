/* cinetty-auth.h - accounts, sign-in, roles, SSH keys, sign-in throttling.
 * Part of the public API: include "cinetty.h", not this. (auth.c, sshkey.c,
 * throttle.c) */
#ifndef CINETTY_AUTH_H
#define CINETTY_AUTH_H

/* The operator at the server's shell (CLI): an admin with no account. */
#define CNT_ACTOR_SYSTEM ((struct cnt_actor){ 0, CNT_ROLE_ADMIN })

struct cnt_account {
	int64_t		id;
	char	       *username;
	char	       *email;
	char	       *full_name;
	enum cnt_role	role;
	bool		locked;
	time_t		created_at;
};

void	cnt_account_free(struct cnt_account *);	/* the strings, not the struct */
void	cnt_accounts_free(struct cnt_account *, size_t);	/* an array */
struct cnt_actor cnt_account_actor(const struct cnt_account *);

struct cnt_signup {
	const char     *username;	/* 3-32 of [a-z0-9._-], case-folded */
	const char     *email;
	const char     *full_name;
	const char     *password;	/* >= 10 chars, not the username */
};

/* Create a customer account. Errors name the offending field in err.field
 * ("username", "email", "full_name", "password"). */
int	cnt_account_signup(struct cnt_ctx *, const struct cnt_signup *,
	    struct cnt_account *out, struct cnt_error *);
/* Check a sign-up's fields without touching the database (for forms that
 * validate as one types); the same rules and messages as signup. */
int	cnt_signup_validate(const struct cnt_signup *, struct cnt_error *);
/* Admin only: create an account with ROLE (CLI `user add --role`). OUT may
 * be NULL. */
int	cnt_account_create(struct cnt_ctx *, const struct cnt_actor *,
	    const struct cnt_signup *, enum cnt_role, struct cnt_account *out,
	    struct cnt_error *);

/* Sign in by username or email. PEER is the source address ("local" for a
 * local terminal) for throttling. Unknown user, wrong password and locked
 * account take the same time; the first two give the same message. */
int	cnt_account_signin(struct cnt_ctx *, const char *login,
	    const char *password, const char *peer, struct cnt_account *out,
	    struct cnt_error *);

int	cnt_account_get(struct cnt_ctx *, int64_t id, struct cnt_account *,
	    struct cnt_error *);
int	cnt_account_by_name(struct cnt_ctx *, const char *username,
	    struct cnt_account *, struct cnt_error *);

/* Admin only. The last unlocked admin cannot be demoted or locked. */
int	cnt_account_set_role(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t account_id, enum cnt_role, struct cnt_error *);
int	cnt_account_set_locked(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t account_id, bool locked, struct cnt_error *);
/* Change the email and/or full name (NULL: keep) of account ID: its owner
 * or an admin. Same rules as sign-up; errors name the field. */
int	cnt_account_update_profile(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t account_id, const char *email, const char *full_name,
	    struct cnt_error *);
/* The actor's own password; needs the old one. Failed attempts count
 * towards sign-in throttling of the account. */
int	cnt_account_change_password(struct cnt_ctx *, const struct cnt_actor *,
	    const char *old_pw, const char *new_pw, struct cnt_error *);
/* Admin reset of someone's password (CLI `user passwd`). */
int	cnt_account_set_password(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t account_id, const char *new_pw, struct cnt_error *);
/* Staff and admin: accounts whose username, email or name contain SEARCH
 * (NULL or "" for all), ordered by username. */
int	cnt_account_list(struct cnt_ctx *, const struct cnt_actor *,
	    const char *search, int offset, int limit,
	    struct cnt_account **out, size_t *n, struct cnt_error *);

/* SSH public keys. */
struct cnt_sshkey {
	int64_t		id;
	int64_t		account_id;
	char	       *type;		/* "ssh-ed25519" */
	char	       *fingerprint;	/* "SHA256:..." as ssh-keygen -lf */
	char	       *comment;
	time_t		created_at;
};

void	cnt_sshkey_free(struct cnt_sshkey *);	/* the strings */
void	cnt_sshkeys_free(struct cnt_sshkey *, size_t);	/* an array */
/* Parse and validate an authorized_keys line without storing it: fills
 * type, fingerprint and comment of OUT (id 0). Lines with options in front
 * of the key, certificates and DSA keys are refused. */
int	cnt_sshkey_parse(const char *line, struct cnt_sshkey *out,
	    struct cnt_error *);
/* Add from an authorized_keys line ("ssh-ed25519 AAAA... comment"). The
 * actor adds to its own account; admins to any. */
int	cnt_sshkey_add(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t account_id, const char *line, struct cnt_sshkey *out,
	    struct cnt_error *);
/* The keys of ACCOUNT_ID, oldest first: its owner or an admin. */
int	cnt_sshkey_list(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t account_id, struct cnt_sshkey **out, size_t *n,
	    struct cnt_error *);
/* Remove key KEY_ID: its owner or an admin. */
int	cnt_sshkey_remove(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t key_id, struct cnt_error *);
/* Public-key sign-in: the unlocked account USERNAME if it registered the
 * key TYPE + BASE64 (the key blob as in authorized_keys); else NOTFOUND. */
int	cnt_sshkey_lookup(struct cnt_ctx *, const char *username,
	    const char *type, const char *base64, struct cnt_account *out,
	    struct cnt_error *);

/* Sign-in throttling (throttle.c): attempts counted per source address and
 * per account in Redis, with a per-process fallback when Redis is down.
 * check reserves an attempt: CNT_ERR (kind FORBIDDEN, the message says how
 * long to wait) if a sign-in from PEER as LOGIN must be refused now. Then
 * exactly one of failed (a wrong password) or succeeded (it was right: the
 * address gets its attempt back, the account's counter is cleared); an
 * attempt left at check counts as failed without locking at once. */
int	cnt_throttle_check(struct cnt_ctx *, const char *peer,
	    const char *login, struct cnt_error *);
void	cnt_throttle_failed(struct cnt_ctx *, const char *peer,
	    const char *login);
void	cnt_throttle_succeeded(struct cnt_ctx *, const char *peer,
	    const char *login);

#endif
