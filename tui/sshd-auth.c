/*
 * sshd-auth.c - who may come in, in the per-connection child.
 *
 *  - none: only the guest user (config guest_user); the welcome screen.
 *  - password and keyboard-interactive: the argon2id hash through core
 *    (cnt_account_signin, which throttles per address and account).
 *    libssh 0.10 has no server callback for keyboard-interactive, so it goes
 *    through the message callback: the request gets a "Password:" prompt,
 *    the response (which carries no user name) is checked as a password.
 *  - publickey: keys registered with core (cnt_sshkey_lookup). The probe
 *    (SSH_PUBLICKEY_STATE_NONE) is only answered PK_OK; the session is
 *    authenticated once libssh has checked the signature (STATE_VALID).
 *
 * Unknown user names fail exactly like wrong passwords. Each failed
 * attempt counts towards max_auth_tries; then the connection is ended.
 * ssh_set_auth_methods only changes what is advertised: every callback
 * checks for itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshd.h"

#define AUTH_METHODS (SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_PASSWORD | \
	SSH_AUTH_METHOD_INTERACTIVE)

/* Show TEXT to the client before its next prompt (SSH_MSG_USERAUTH_BANNER). */
static void
auth_banner(struct sshd_conn *c, const char *text)
{
	ssh_string	s;
	char	       *line = xasprintf("%s\r\n", text);

	if ((s = ssh_string_from_char(line)) != NULL) {
		ssh_send_issue_banner(c->session, s);
		ssh_string_free(s);
	}
	free(line);
}

static void
auth_failed(struct sshd_conn *c, const char *method, const char *user,
    const char *why)
{
	c->auth_failures++;
	log_info("event=auth_failed addr=%s port=%d user=\"%.64s\" method=%s "
	    "reason=\"%s\" tries=%d", c->peer, c->peer_port, user, method, why,
	    c->auth_failures);
	if (c->auth_failures >= c->cfg->max_auth_tries) {
		/* From now on nothing is answered, so the disconnect that
		 * follows is the next thing the client reads. */
		c->auth_exhausted = true;
		c->server_cb.auth_none_function = NULL;
		c->server_cb.auth_password_function = NULL;
		c->server_cb.auth_pubkey_function = NULL;
	}
}

void
sshd_auth_done(struct sshd_conn *c, const char *method,
    struct cnt_account *account, const char *username)
{
	struct sshd_status st;

	c->authenticated = true;
	c->t_auth = sshd_mono_ms();
	c->method = method;
	if (account != NULL) {
		c->account = *account;
		memset(account, 0, sizeof *account);
		username = c->account.username;
	}
	c->account_id = c->account.id;
	cnt_strlcpy(c->username, username, sizeof c->username);
	log_info("event=auth addr=%s port=%d user=%s method=%s account=%lld",
	    c->peer, c->peer_port, c->username, method,
	    (long long)c->account_id);
	/* Tell the parent: this connection no longer counts as a startup. */
	if (c->status_fd != -1) {
		st.pid = getpid();
		st.state = SSHD_STATE_AUTHENTICATED;
		if (write(c->status_fd, &st, sizeof st) != (ssize_t)sizeof st)
			log_warn("event=status_pipe error=\"%s\"",
			    strerror(errno));
		close(c->status_fd);
		c->status_fd = -1;
	}
	/* Nothing more to ask the key helper. */
	if (c->keys_fd != -1) {
		close(c->keys_fd);
		c->keys_fd = -1;
	}
}

void
sshd_auth_free(struct sshd_conn *c)
{
	free(c->probe_key);
	c->probe_key = NULL;
	cnt_account_free(&c->probe_account);
	cnt_account_free(&c->account);
}

static bool
is_guest(const struct sshd_conn *c, const char *user)
{
	return c->cfg->guest_user[0] != '\0' &&
	    strcmp(user, c->cfg->guest_user) == 0;
}

/*
 * Check USER's PASSWORD through core. Returns true when it matches; on a
 * refusal the client sees core's message if it is more than "wrong
 * password" (throttled, locked, service down).
 */
static bool
auth_check_password(struct sshd_conn *c, const char *method,
    const char *user, const char *password)
{
	struct cnt_account	acct;
	struct cnt_error	err;

	if (c->authenticated || c->auth_exhausted)
		return false;
	if (is_guest(c, user)) {
		/* The guest needs no password: accept whatever was typed. */
		sshd_auth_done(c, method, NULL, user);
		return true;
	}
	memset(&acct, 0, sizeof acct);
	cnt_error_clear(&err);
	if (cnt_account_signin(sshd_conn_ctx(c), user, password, c->peer, &acct,
	    &err) != CNT_OK) {
		/* "Wrong password" (field "password") is what the client
		 * says itself; throttling, a lock or an outage it cannot. */
		if ((err.kind == CNT_E_FORBIDDEN &&
		    strcmp(err.field, "password") != 0) ||
		    err.kind == CNT_E_UNAVAILABLE)
			auth_banner(c, err.msg);
		auth_failed(c, method, user, cnt_errkind_name(err.kind));
		return false;
	}
	sshd_auth_done(c, method, &acct, NULL);
	return true;
}

static int
auth_none_cb(ssh_session session, const char *user, void *userdata)
{
	struct sshd_conn *c = userdata;

	(void)session;
	if (c->authenticated || c->auth_exhausted || !is_guest(c, user))
		return SSH_AUTH_DENIED;		/* not a failed attempt */
	sshd_auth_done(c, "none", NULL, user);
	return SSH_AUTH_SUCCESS;
}

static int
auth_password_cb(ssh_session session, const char *user, const char *password,
    void *userdata)
{
	struct sshd_conn *c = userdata;

	(void)session;
	return auth_check_password(c, "password", user, password) ?
	    SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
}

/*
 * Find the account of USER's key TYPE B64: from the probe of the same key
 * when there was one (OpenSSH probes each key before signing with it),
 * else through core. On success *ACCT is the caller's.
 */
static int
pubkey_account(struct sshd_conn *c, const char *user, const char *type,
    const char *b64, bool probe, struct cnt_account *acct,
    struct cnt_error *err)
{
	char	*key = xasprintf("%s %s", type, b64);
	bool	 same = c->probe_key != NULL && strcmp(c->probe_key, key) == 0 &&
	    strcmp(c->probe_user, user) == 0;
	int	 rc;

	if (same && !probe) {
		/* The signed request for the key just probed. */
		*acct = c->probe_account;
		memset(&c->probe_account, 0, sizeof c->probe_account);
		free(c->probe_key);
		c->probe_key = NULL;
		free(key);
		return CNT_OK;
	}
	free(c->probe_key);
	c->probe_key = NULL;
	cnt_account_free(&c->probe_account);
	/* The key helper when there is one, else core on our own
	 * connection. */
	rc = sshd_keys_lookup(&c->keys_fd, user, type, b64, acct, err);
	if (rc == SSHD_KEYS_NONE)
		rc = cnt_sshkey_lookup(sshd_conn_ctx(c), user, type, b64, acct, err);
	if (rc != CNT_OK) {
		free(key);
		return CNT_ERR;
	}
	if (probe && strlen(user) < sizeof c->probe_user) {
		/* Kept for the signed request; a probe needs no account. */
		c->probe_key = key;
		cnt_strlcpy(c->probe_user, user, sizeof c->probe_user);
		c->probe_account = *acct;
		memset(acct, 0, sizeof *acct);
		return CNT_OK;
	}
	free(key);
	return CNT_OK;
}

static int
auth_pubkey_cb(ssh_session session, const char *user, struct ssh_key_struct *key,
    char state, void *userdata)
{
	struct sshd_conn	*c = userdata;
	struct cnt_account	 acct;
	struct cnt_error	 err;
	const char		*type;
	char			*b64 = NULL;
	bool			 probe = state == SSH_PUBLICKEY_STATE_NONE;
	int			 rc = SSH_AUTH_DENIED, trc = CNT_OK;

	(void)session;
	if (c->authenticated || c->auth_exhausted)
		return SSH_AUTH_DENIED;
	if (!probe && state != SSH_PUBLICKEY_STATE_VALID) {
		auth_failed(c, "publickey", user, "bad signature");
		return SSH_AUTH_DENIED;
	}
	type = ssh_key_type_to_char(ssh_key_type(key));
	if (type == NULL || ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK) {
		auth_failed(c, "publickey", user, "unusable key");
		return SSH_AUTH_DENIED;
	}
	memset(&acct, 0, sizeof acct);
	cnt_error_clear(&err);
	if (!probe && (trc = sshd_keys_throttle_check(&c->keys_fd, c->peer,
	    user, &err)) == SSHD_KEYS_NONE)
		trc = cnt_throttle_check(sshd_conn_ctx(c), c->peer, user, &err);
	if (trc != CNT_OK) {
		auth_banner(c, err.msg);
		auth_failed(c, "publickey", user, "throttled");
	} else if (pubkey_account(c, user, type, b64, probe, &acct, &err) !=
	    CNT_OK) {
		if (err.kind == CNT_E_UNAVAILABLE)
			auth_banner(c, err.msg);
		auth_failed(c, "publickey", user, probe ?
		    "key not registered" : cnt_errkind_name(err.kind));
	} else {
		if (!probe) {
			if (sshd_keys_throttle_ok(&c->keys_fd, c->peer,
			    user) == SSHD_KEYS_NONE)
				cnt_throttle_succeeded(sshd_conn_ctx(c), c->peer, user);
			sshd_auth_done(c, "publickey", &acct, NULL);
		}
		/* On the probe, success only sends PK_OK. */
		rc = SSH_AUTH_SUCCESS;
	}
	cnt_account_free(&acct);
	ssh_string_free_char(b64);
	return rc;
}

/*
 * Keyboard-interactive, and everything else without a server callback:
 * return 1 to let libssh send its default answer (a refusal; for the
 * ssh-userauth service request, the acceptance), 0 when answered here.
 */
static int
auth_message_cb(ssh_session session, ssh_message msg, void *userdata)
{
	struct sshd_conn *c = userdata;
	const char	*prompts[] = { "Password: " };
	char		 echo[] = { 0 };
	const char	*answer;

	(void)session;
	if (c->auth_exhausted)
		return 0;		/* swallowed: no answer */
	if (ssh_message_type(msg) != SSH_REQUEST_AUTH ||
	    ssh_message_subtype(msg) != SSH_AUTH_METHOD_INTERACTIVE)
		return 1;
	if (c->authenticated)
		return 1;
	if (!ssh_message_auth_kbdint_is_response(msg)) {
		const char *user = ssh_message_auth_user(msg);

		cnt_strlcpy(c->kbdint_user, user != NULL ? user : "",
		    sizeof c->kbdint_user);
		if (is_guest(c, c->kbdint_user)) {
			sshd_auth_done(c, "keyboard-interactive", NULL,
			    c->kbdint_user);
			ssh_message_auth_reply_success(msg, 0);
			return 0;
		}
		ssh_message_auth_interactive_request(msg, "", "", 1, prompts,
		    echo);
		return 0;
	}
	if (ssh_userauth_kbdint_getnanswers(session) != 1 ||
	    (answer = ssh_userauth_kbdint_getanswer(session, 0)) == NULL) {
		auth_failed(c, "keyboard-interactive", c->kbdint_user,
		    "no answer");
		return 1;
	}
	if (!auth_check_password(c, "keyboard-interactive", c->kbdint_user,
	    answer))
		return 1;
	ssh_message_auth_reply_success(msg, 0);
	return 0;
}

void
sshd_auth_setup(struct sshd_conn *c)
{
	struct ssh_server_callbacks_struct *cb = &c->server_cb;

	cb->userdata = c;
	cb->auth_none_function = auth_none_cb;
	cb->auth_password_function = auth_password_cb;
	cb->auth_pubkey_function = auth_pubkey_cb;
	ssh_set_auth_methods(c->session, AUTH_METHODS);
	ssh_set_message_callback(c->session, auth_message_cb, c);
}
