/*
 * sshd-keys.c - the key helper: one child of cinettyd that answers the
 * public-key questions of every connection ("is this key USER's, and who
 * is USER?", "is USER throttled?", "USER signed in") on one PostgreSQL and
 * one Redis connection that it keeps.
 *
 * Without it each connection signing in with a key opened a PostgreSQL
 * connection (a backend forked for it: on this 2-core VM ~45 ms of server
 * CPU, more than everything cinettyd does for the connection) and a Redis
 * connection, and waited for both before its first screen.
 *
 * The parent keeps a control socket to the helper. For each accepted
 * connection it makes a socket pair (SOCK_SEQPACKET: one message per
 * request and per reply), passes one end to the helper over the control
 * socket (SCM_RIGHTS) and leaves the other to the connection's child,
 * which closes it once signed in. The helper serves its sockets one
 * request at a time with poll. Nothing is named in the file system.
 *
 * When the helper is not there (not started yet, restarting, busy beyond
 * its socket buffer) the child gets no socket, and when a request fails it
 * drops it: either way it asks core itself, as before. Passwords never go
 * through the helper: argon2 would hold up every other connection.
 */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshd.h"

#define KEYS_MAX_CLIENTS	4096
#define KEYS_REPLY_MS		10000	/* then the child asks core itself */

enum keys_op {
	KEYS_LOOKUP = 1,	/* user, type, key: the account */
	KEYS_THROTTLE_CHECK,	/* peer, user */
	KEYS_THROTTLE_OK	/* peer, user; no reply */
};

struct keys_req {
	int	op;
	char	user[128];
	char	peer[64];
	char	type[64];
	char	key[16384];	/* base64; sent up to its NUL only */
};

struct keys_reply {
	int		 rc;		/* CNT_OK, CNT_ERR */
	struct cnt_error err;
	int64_t		 id;
	int		 role;
	bool		 locked;
	time_t		 created_at;
	char		 username[128];
	char		 email[256];
	char		 full_name[256];
};

/* ------------------------------------------------------------------ */
/* The helper's side                                                   */

static void
copy_field(char *dst, size_t len, const char *src)
{
	cnt_strlcpy(dst, src != NULL ? src : "", len);
}

/* Answer one request; false when nothing is to be sent back. */
static bool
keys_answer(struct cnt_ctx *ctx, const struct keys_req *rq,
    struct keys_reply *rp)
{
	struct cnt_account acct;

	memset(rp, 0, sizeof *rp);
	cnt_error_clear(&rp->err);
	switch (rq->op) {
	case KEYS_LOOKUP:
		memset(&acct, 0, sizeof acct);
		rp->rc = cnt_sshkey_lookup(ctx, rq->user, rq->type, rq->key,
		    &acct, &rp->err);
		if (rp->rc == CNT_OK) {
			rp->id = acct.id;
			rp->role = (int)acct.role;
			rp->locked = acct.locked;
			rp->created_at = acct.created_at;
			copy_field(rp->username, sizeof rp->username,
			    acct.username);
			copy_field(rp->email, sizeof rp->email, acct.email);
			copy_field(rp->full_name, sizeof rp->full_name,
			    acct.full_name);
			cnt_account_free(&acct);
		}
		return true;
	case KEYS_THROTTLE_CHECK:
		rp->rc = cnt_throttle_check(ctx, rq->peer, rq->user, &rp->err);
		return true;
	case KEYS_THROTTLE_OK:
		cnt_throttle_succeeded(ctx, rq->peer, rq->user);
		return false;
	}
	return false;
}

/* Every string of RQ (N bytes read) ends inside its field. */
static bool
keys_req_valid(struct keys_req *rq, ssize_t n)
{
	if (n < (ssize_t)offsetof(struct keys_req, key) + 1)
		return false;
	if (n < (ssize_t)sizeof *rq)
		((char *)rq)[n] = '\0';
	return memchr(rq->user, '\0', sizeof rq->user) != NULL &&
	    memchr(rq->peer, '\0', sizeof rq->peer) != NULL &&
	    memchr(rq->type, '\0', sizeof rq->type) != NULL &&
	    memchr(rq->key, '\0', sizeof rq->key) != NULL;
}

/* A socket end from the parent, or -1 (and *GONE when the parent went). */
static int
keys_recv_fd(int ctl, bool *gone)
{
	struct msghdr	 msg;
	struct cmsghdr	*cm;
	struct iovec	 iov;
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} u;
	char		 byte;
	ssize_t		 n;
	int		 fd = -1;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	n = recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		*gone = true;
		return -1;
	}
	if (n == -1)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return fd;
}

int
sshd_keys_run(const struct cnt_config *cfg, int ctl)
{
	struct cnt_ctx	 *ctx = cnt_ctx_new(cfg);
	struct pollfd	 *pfd = xcalloc(KEYS_MAX_CLIENTS + 1, sizeof *pfd);
	struct keys_req	 *rq = xmalloc(sizeof *rq);
	struct keys_reply rp;
	size_t		  n = 1, i;
	ssize_t		  got;
	bool		  gone = false;
	int		  fd, idle_ms = cfg->db_idle_seconds > 0 ?
		    (cfg->db_idle_seconds + 1) * 1000 : -1;

	/* Told apart from the connections' children in ps and pgrep. */
	prctl(PR_SET_NAME, "cinettyd-keys", 0, 0, 0);
	log_info("event=key_helper_started pid=%ld", (long)getpid());
	pfd[0].fd = ctl;
	pfd[0].events = POLLIN;
	while (!gone) {
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;
		if (poll(pfd, (nfds_t)n, idle_ms) == -1) {
			if (errno == EINTR)
				continue;
			log_error("event=key_helper_poll error=\"%s\"",
			    strerror(errno));
			break;
		}
		/* Requests first: the sockets of this round stay in place. */
		for (i = 1; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			got = -1;
			if (pfd[i].revents & POLLIN) {
				memset(rq, 0, offsetof(struct keys_req, key) + 1);
				got = recv(pfd[i].fd, rq, sizeof *rq,
				    MSG_DONTWAIT);
				if (got == -1 && (errno == EAGAIN ||
				    errno == EINTR))
					continue;
			}
			if (got > 0 && keys_req_valid(rq, got)) {
				if (keys_answer(ctx, rq, &rp))
					(void)!send(pfd[i].fd, &rp, sizeof rp,
					    MSG_DONTWAIT | MSG_NOSIGNAL);
				continue;
			}
			/* Closed by the child, or not a request: drop it. */
			close(pfd[i].fd);
			pfd[i].fd = -1;
		}
		for (i = 1; i < n; )
			if (pfd[i].fd == -1)
				pfd[i] = pfd[--n];
			else
				i++;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			while ((fd = keys_recv_fd(ctl, &gone)) != -1) {
				if (n > KEYS_MAX_CLIENTS) {
					close(fd);	/* it asks core */
					continue;
				}
				pfd[n].fd = fd;
				pfd[n].events = POLLIN;
				n++;
			}
		}
		cnt_db_idle(ctx);
	}
	for (i = 1; i < n; i++)
		close(pfd[i].fd);
	free(pfd);
	free(rq);
	cnt_ctx_free(ctx);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The parent's side                                                   */

int
sshd_keys_channel(int ctl)
{
	struct msghdr	 msg;
	struct cmsghdr	*cm;
	struct iovec	 iov;
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} u;
	char		 byte = 'k';
	int		 sv[2];

	if (ctl == -1 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	memset(&msg, 0, sizeof msg);
	memset(&u, 0, sizeof u);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &sv[1], sizeof(int));
	/* Never wait for the helper: when it is behind, the child asks
	 * core itself. */
	if (sendmsg(ctl, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) != 1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	return sv[0];
}

/* ------------------------------------------------------------------ */
/* The connection's side                                               */

/* Send RQ and read the reply into RP (when WANT). False: no answer; the
 * socket is then closed and *FD set to -1. */
static bool
keys_ask(int *fd, struct keys_req *rq, struct keys_reply *rp, bool want)
{
	struct pollfd	p;
	size_t		len = offsetof(struct keys_req, key) +
		    strlen(rq->key) + 1;
	ssize_t		n;

	if (*fd == -1)
		return false;
	if (send(*fd, rq, len, MSG_NOSIGNAL) != (ssize_t)len)
		goto fail;
	if (!want)
		return true;
	p.fd = *fd;
	p.events = POLLIN;
	for (;;) {
		p.revents = 0;
		n = poll(&p, 1, KEYS_REPLY_MS);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != 1)
			goto fail;
		n = recv(*fd, rp, sizeof *rp, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof *rp)
			goto fail;
		return true;
	}
fail:
	log_warn("event=key_helper_failed note=\"asking core directly\"");
	close(*fd);
	*fd = -1;
	return false;
}

static struct keys_req *
keys_req_new(int op, const char *user, const char *peer)
{
	struct keys_req *rq = xmalloc(sizeof *rq);

	memset(rq, 0, offsetof(struct keys_req, key) + 1);
	rq->op = op;
	copy_field(rq->user, sizeof rq->user, user);
	copy_field(rq->peer, sizeof rq->peer, peer);
	return rq;
}

int
sshd_keys_lookup(int *fd, const char *user, const char *type,
    const char *b64, struct cnt_account *out, struct cnt_error *err)
{
	struct keys_req	  *rq;
	struct keys_reply  rp;
	bool		   ok;

	if (*fd == -1 || strlen(user) >= sizeof rq->user ||
	    strlen(type) >= sizeof rq->type || strlen(b64) >= sizeof rq->key)
		return SSHD_KEYS_NONE;
	rq = keys_req_new(KEYS_LOOKUP, user, NULL);
	cnt_strlcpy(rq->type, type, sizeof rq->type);
	cnt_strlcpy(rq->key, b64, sizeof rq->key);
	ok = keys_ask(fd, rq, &rp, true);
	free(rq);
	if (!ok)
		return SSHD_KEYS_NONE;
	if (rp.rc != CNT_OK) {
		*err = rp.err;
		return CNT_ERR;
	}
	memset(out, 0, sizeof *out);
	out->id = rp.id;
	out->role = (enum cnt_role)rp.role;
	out->locked = rp.locked;
	out->created_at = rp.created_at;
	out->username = xstrdup(rp.username);
	out->email = xstrdup(rp.email);
	out->full_name = xstrdup(rp.full_name);
	return CNT_OK;
}

int
sshd_keys_throttle_check(int *fd, const char *peer, const char *user,
    struct cnt_error *err)
{
	struct keys_req	  *rq;
	struct keys_reply  rp;
	bool		   ok;

	if (*fd == -1 || strlen(user) >= sizeof rq->user ||
	    strlen(peer) >= sizeof rq->peer)
		return SSHD_KEYS_NONE;
	rq = keys_req_new(KEYS_THROTTLE_CHECK, user, peer);
	ok = keys_ask(fd, rq, &rp, true);
	free(rq);
	if (!ok)
		return SSHD_KEYS_NONE;
	if (rp.rc != CNT_OK)
		*err = rp.err;
	return rp.rc;
}

int
sshd_keys_throttle_ok(int *fd, const char *peer, const char *user)
{
	struct keys_req	*rq;
	bool		 ok;

	if (*fd == -1 || strlen(user) >= sizeof rq->user ||
	    strlen(peer) >= sizeof rq->peer)
		return SSHD_KEYS_NONE;
	rq = keys_req_new(KEYS_THROTTLE_OK, user, peer);
	ok = keys_ask(fd, rq, NULL, false);
	free(rq);
	return ok ? CNT_OK : SSHD_KEYS_NONE;
}
