/*
 * sshd.h - what the files of cinettyd share.
 *
 *   sshd.c          main: options, config, listeners, limits, children,
 *                   signals, graceful shutdown, reload, embedded worker
 *   sshd-listen.c   listen addresses and sockets (IPv4 and IPv6)
 *   sshd-hostkey.c  host keys: load, or generate once with mode 0600
 *   sshd-session.c  the per-connection child: key exchange, channel
 *                   requests, the app on a pty, the byte pump
 *   sshd-auth.c     none (guest), password, keyboard-interactive, publickey
 *   sshd-keys.c     the key helper: public-key lookups and throttling for
 *                   every connection on connections it keeps
 *
 * The parent never touches PostgreSQL, Redis or curses: all of that happens
 * in the per-connection child and in the app it forks.
 */
#ifndef SSHD_H
#define SSHD_H

#include <sys/types.h>

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>

#include "cinetty.h"

/* ------------------------------------------------------------------ */
/* Listeners (sshd-listen.c).                                           */

struct sshd_listener {
	int	fd;
	char	name[64];		/* "127.0.0.1:2222", "[::1]:2222" */
};

/* Replace the port of every "host:port" in CFG's listen list by PORT. */
int	sshd_listen_set_port(struct cnt_config *, const char *port,
	    struct cnt_error *);
/* Check every listen address parses and resolves, without binding. */
int	sshd_listen_check(const struct cnt_config *, struct cnt_error *);
/* Open, bind and listen on every address of CFG (non-blocking, CLOEXEC).
 * Fills *OUT (free with sshd_listen_close) and *N. */
int	sshd_listen_open(const struct cnt_config *, struct sshd_listener **out,
	    size_t *n, struct cnt_error *);
void	sshd_listen_close(struct sshd_listener *, size_t);
/* The numeric address of a peer, without the port. */
void	sshd_peer_name(const struct sockaddr_storage *, char *addr,
	    size_t addrlen, int *port);

/* ------------------------------------------------------------------ */
/* Host keys (sshd-hostkey.c).                                          */

/* A bind that never listens, holding the host keys of CFG (generated
 * when missing unless CHECK_ONLY). Logs each key's SHA256 fingerprint. */
ssh_bind sshd_bind_new(const struct cnt_config *, bool check_only,
	    struct cnt_error *);

/* True with -d: logs go to stderr, which the app must not inherit. */
extern bool sshd_foreground;

/* The embedded job worker (sshd-worker.c), in its own child; returns an
 * exit status when asked to stop (SIGTERM). */
int	sshd_worker_run(const struct cnt_config *);

/* ------------------------------------------------------------------ */
/* The key helper (sshd-keys.c).                                        */

/* A helper call's "no answer (no helper, or it failed)": ask core. */
#define SSHD_KEYS_NONE	(-2)

/* The helper's loop on its control socket CTL; returns when the parent
 * closes it. */
int	sshd_keys_run(const struct cnt_config *, int ctl);
/* In the parent, per connection: a socket to the helper for the child,
 * or -1 (the child then asks core itself). */
int	sshd_keys_channel(int ctl);
/* In the child: as cnt_sshkey_lookup, cnt_throttle_check and
 * cnt_throttle_succeeded, through the helper on *FD; SSHD_KEYS_NONE (and
 * *FD closed, set to -1) when it gave no answer. */
int	sshd_keys_lookup(int *fd, const char *user, const char *type,
	    const char *b64, struct cnt_account *, struct cnt_error *);
int	sshd_keys_throttle_check(int *fd, const char *peer,
	    const char *user, struct cnt_error *);
int	sshd_keys_throttle_ok(int *fd, const char *peer, const char *user);

/* ------------------------------------------------------------------ */
/* The per-connection child (sshd-session.c, sshd-auth.c).              */

#define SSHD_MAX_ENV	16

/* Status bytes a child writes to the parent's status pipe. */
struct sshd_status {
	pid_t	pid;
	int	state;			/* SSHD_STATE_* */
};
#define SSHD_STATE_AUTHENTICATED 1

struct sshd_conn {
	const struct cnt_config *cfg;
	struct cnt_ctx *ctx;		/* for sign-in (sshd_conn_ctx); freed
					 * before the app */
	ssh_session	session;
	ssh_event	event;
	ssh_channel	channel;
	struct ssh_server_callbacks_struct server_cb;
	struct ssh_channel_callbacks_struct channel_cb;
	int		status_fd;	/* to the parent, -1 once used */
	int		keys_fd;	/* to the key helper, -1: none */
	int		sig_fd;		/* signalfd: SIGCHLD, SIGTERM, SIGINT */
	char		peer[64];
	int		peer_port;
	time_t		started;

	/* authentication */
	bool		authenticated;
	int		auth_failures;
	bool		auth_exhausted;
	const char     *method;		/* "none", "password", ... */
	int64_t		account_id;	/* 0 for the guest */
	char		username[64];
	char		kbdint_user[64];	/* from the kbdint request */
	struct cnt_account account;	/* as found at sign-in; id 0: guest */
	/* The key the client probed and its account: the signed request
	 * that follows is answered without asking the database again. */
	char		probe_user[64];
	char	       *probe_key;	/* "type base64", NULL: none */
	struct cnt_account probe_account;

	/* channel requests */
	bool		pty;
	char		term[64];
	int		cols, rows;
	bool		shell;
	bool		exec;
	char	       *env[SSHD_MAX_ENV];	/* "NAME=value" */
	int		nenv;

	/* the app and the pump */
	pid_t		app_pid;
	int		master;
	bool		master_eof;
	bool		client_gone;
	bool		app_exited;
	int		app_status;
	char	       *pending;	/* client input not yet written */
	size_t		npending;
	bool		pulling;	/* reading libssh's buffer: data_cb waits */
	uint64_t	bytes_in, bytes_out;
	time_t		last_input;
	bool		idle_warned;
	bool		shutting_down;
	time_t		shutdown_at;	/* close the rest then */
	const char     *end_reason;
	/* ms on the monotonic clock: start, key exchange done, signed in,
	 * first output of the app (0: not reached), for the session log */
	int64_t		t_start, t_kex, t_auth, t_first;
};

/* C's core context for sign-in, made on first use: most probes and
 * scanners never get that far. */
struct cnt_ctx *sshd_conn_ctx(struct sshd_conn *);
/* Milliseconds on the monotonic clock. */
int64_t	sshd_mono_ms(void);
/* End a per-connection process (session child, app): stdio flushed, no
 * library exit handlers. */
void	sshd_child_exit(int) __attribute__((noreturn));

/* Run one connection on FD in a forked child; returns the exit status. */
int	sshd_session_run(const struct cnt_config *, ssh_bind, int fd,
	    const char *peer, int peer_port, int status_fd, int keys_fd);

/* Fill in the authentication part of C->server_cb and set the message
 * callback (sshd-auth.c); the caller sets the server callbacks. */
void	sshd_auth_setup(struct sshd_conn *);
/* Called by the auth code when a method succeeded: ACCOUNT (NULL for the
 * guest) is taken over by the connection and handed to the app. */
void	sshd_auth_done(struct sshd_conn *, const char *method,
	    struct cnt_account *account, const char *username);
/* Free what the auth code keeps (the probed key). */
void	sshd_auth_free(struct sshd_conn *);

#endif
