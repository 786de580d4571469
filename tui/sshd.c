/*
 * sshd.c - cinettyd: serves the cinetty app to SSH clients.
 *
 *   cinettyd [-dt] [-f FILE] [-p PORT] [-o KEY=VALUE]...
 *
 * The parent listens (IPv4 and IPv6, several addresses), accepts, checks
 * the limits (max_sessions, max_sessions_per_address, max_startups), and
 * forks one child per connection (sshd-session.c). It reaps children,
 * learns through a status pipe which ones have authenticated, runs the
 * embedded job worker when `worker = yes` and the key helper (sshd-keys.c),
 * drains gracefully on SIGTERM
 * and re-reads its configuration on SIGHUP. It never talks to PostgreSQL,
 * Redis or a terminal itself.
 */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "sshd.h"

bool sshd_foreground;

struct child {
	pid_t	pid;
	char	addr[64];
	bool	authenticated;
};

/* Everything the parent keeps. */
static struct {
	struct cnt_config	 cfg;
	const char		*conf_path;
	char			**overrides;
	int			 noverrides;
	const char		*port;
	ssh_bind		 bind;
	struct sshd_listener	*listeners;
	size_t			 nlisteners;
	int			 sig_fd;
	int			 status_rd, status_wr;
	struct child		*children;
	size_t			 nchildren, children_cap;
	pid_t			 worker_pid;
	time_t			 worker_restart_at;	/* 0: none pending */
	pid_t			 keys_pid;	/* the key helper */
	int			 keys_ctl;	/* its control socket, -1 */
	time_t			 keys_restart_at;	/* 0: none pending */
	bool			 draining;
	time_t			 drain_deadline;
	char			 node[128];	/* "host:port" in `cinetty status` */
	time_t			 hb_next;
} d;

static void
usage(FILE *f)
{
	fprintf(f, "usage: cinettyd [-dt] [-f FILE] [-p PORT] "
	    "[-o KEY=VALUE]...\n"
	    "  -d           stay in the foreground, log to stderr\n"
	    "  -t           check the configuration and host keys, then exit\n"
	    "  -f FILE      read this cinetty.conf (default $CINETTY_CONF, "
	    "else /etc/cinetty/cinetty.conf)\n"
	    "  -p PORT      listen on PORT on every listen address\n"
	    "  -o KEY=VALUE override one configuration key\n");
}

static void
list_clear(char **items, int *n)
{
	int	i;

	for (i = 0; i < *n; i++) {
		free(items[i]);
		items[i] = NULL;
	}
	*n = 0;
}

/*
 * The configuration in layers: defaults, the file, CINETTY_* variables,
 * -o overrides, -p. Used at start and again on SIGHUP.
 */
static int
config_read(struct cnt_config *cfg, struct cnt_error *err)
{
	bool	listen_set = false, host_key_set = false;
	int	i;

	cnt_config_init(cfg);
	if ((d.conf_path != NULL &&
	    cnt_config_load_file(cfg, d.conf_path, err) != CNT_OK) ||
	    cnt_config_load_env(cfg, err) != CNT_OK)
		goto fail;
	for (i = 0; i < d.noverrides; i++) {
		/* A list given on the command line replaces the file's. */
		if (strncmp(d.overrides[i], "listen=", 7) == 0 &&
		    !listen_set) {
			list_clear(cfg->listen, &cfg->nlisten);
			listen_set = true;
		}
		if (strncmp(d.overrides[i], "host_key=", 9) == 0 &&
		    !host_key_set) {
			list_clear(cfg->host_key, &cfg->nhost_key);
			host_key_set = true;
		}
		if (cnt_config_set_arg(cfg, d.overrides[i], err) != CNT_OK)
			goto fail;
	}
	if (d.port != NULL && sshd_listen_set_port(cfg, d.port, err) != CNT_OK)
		goto fail;
	return CNT_OK;
fail:
	cnt_config_free(cfg);
	return CNT_ERR;
}

static void
log_setup(const struct cnt_config *cfg, FILE *stream)
{
	enum cnt_loglevel level = CNT_LOG_INFO;

	cnt_log_parse_level(cfg->log_level, &level);
	cnt_log_init(level, stream);
}

/* Detached: log lines go to syslog through a stdio cookie. */
static ssize_t
syslog_write(void *cookie, const char *buf, size_t size)
{
	int	prio = LOG_INFO;
	size_t	len = size;

	(void)cookie;
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	if (memmem(buf, len, "level=error", 11) != NULL)
		prio = LOG_ERR;
	else if (memmem(buf, len, "level=warn", 10) != NULL)
		prio = LOG_WARNING;
	syslog(prio, "%.*s", (int)len, buf);
	return (ssize_t)size;
}

static int
daemonize(void)
{
	cookie_io_functions_t	 io = { NULL, syslog_write, NULL, NULL };
	FILE			*f;
	pid_t			 pid;
	int			 fd;

	if ((pid = fork()) == -1)
		return CNT_ERR;
	if (pid > 0)
		_exit(0);
	setsid();
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	openlog("cinettyd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	if ((f = fopencookie(NULL, "w", io)) != NULL)
		log_setup(&d.cfg, f);
	return CNT_OK;
}

/* Started as root with `user` set: become that user for good. */
static int
drop_privileges(const struct cnt_config *cfg, struct cnt_error *err)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return CNT_OK;
	if (cfg->user[0] == '\0') {
		log_warn("event=running_as_root note=\"set user in the "
		    "configuration\"");
		return CNT_OK;
	}
	if ((pw = getpwnam(cfg->user)) == NULL)
		return cnt_error_set(err, CNT_E_INVALID, "user %s: no such user",
		    cfg->user);
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "switching to user %s: %s", cfg->user, strerror(errno));
	if (setuid(0) != -1)
		return cnt_error_set(err, CNT_E_INTERNAL,
		    "could regain root after switching to %s", cfg->user);
	log_info("event=user user=%s uid=%ld", cfg->user, (long)pw->pw_uid);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Children                                                            */

/*
 * In a fresh child: drop what belongs to the parent. Every page a child
 * writes is copied from the parent first (a fault costs 50-100 us on this
 * 2-core VM: more than the rest of a short connection), so this only
 * closes descriptors and leaves the parent's memory (the listener array)
 * alone: it goes with the process. The parent holds no Redis connection
 * between heartbeats and installs no signal handler (SIGPIPE is ignored,
 * which the children want too; the rest are only blocked for the
 * signalfd), so unblocking them is all that is left.
 */
static void
child_reset(void)
{
	sigset_t	set;
	size_t		i;

	for (i = 0; i < d.nlisteners; i++)
		close(d.listeners[i].fd);
	d.nlisteners = 0;
	close(d.sig_fd);
	close(d.status_rd);
	if (d.keys_ctl != -1) {
		close(d.keys_ctl);
		d.keys_ctl = -1;
	}
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

static struct child *
child_find(pid_t pid)
{
	size_t	i;

	for (i = 0; i < d.nchildren; i++)
		if (d.children[i].pid == pid)
			return &d.children[i];
	return NULL;
}

/* The array only grows (by doubling): no reallocation per connection. */
static void
child_add(pid_t pid, const char *addr)
{
	struct child *ch;

	if (d.nchildren == d.children_cap) {
		d.children_cap = d.children_cap == 0 ? 64 : d.children_cap * 2;
		d.children = xreallocarray(d.children, d.children_cap,
		    sizeof *d.children);
	}
	ch = &d.children[d.nchildren++];
	memset(ch, 0, sizeof *ch);
	ch->pid = pid;
	cnt_strlcpy(ch->addr, addr, sizeof ch->addr);
}

static void
child_remove(struct child *ch)
{
	*ch = d.children[--d.nchildren];
}

/* The job worker inside cinettyd (worker = yes). */
static void
worker_start(void)
{
	pid_t	pid;
	int	rc;

	d.worker_restart_at = 0;
	if ((pid = fork()) == -1) {
		log_error("event=worker_fork error=\"%s\"", strerror(errno));
		d.worker_restart_at = time(NULL) + 5;
		return;
	}
	if (pid == 0) {
		child_reset();
		close(d.status_wr);
		rc = sshd_worker_run(&d.cfg);
		exit(rc);
	}
	d.worker_pid = pid;
	log_info("event=worker_started pid=%ld", (long)pid);
}

/* The key helper: public-key sign-ins on connections it keeps. */
static void
keys_start(void)
{
	pid_t	pid;
	int	sv[2], rc;

	d.keys_restart_at = 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1 ||
	    (pid = fork()) == -1) {
		log_error("event=key_helper_start error=\"%s\"",
		    strerror(errno));
		d.keys_restart_at = time(NULL) + 5;
		return;
	}
	if (pid == 0) {
		child_reset();
		close(d.status_wr);
		close(sv[0]);
		rc = sshd_keys_run(&d.cfg, sv[1]);
		exit(rc);
	}
	close(sv[1]);
	d.keys_ctl = sv[0];
	d.keys_pid = pid;
}

static void
keys_gone(void)
{
	if (d.keys_ctl != -1)
		close(d.keys_ctl);
	d.keys_ctl = -1;
	d.keys_pid = 0;
}

static void
reap(void)
{
	struct child	*ch;
	int		 status;
	pid_t		 pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == d.worker_pid) {
			d.worker_pid = 0;
			if (!d.draining) {
				log_warn("event=worker_exited status=%d "
				    "note=\"restarting in 1s\"", status);
				d.worker_restart_at = time(NULL) + 1;
			}
			continue;
		}
		if (pid == d.keys_pid) {
			keys_gone();
			/* Sign-ins go to core directly meanwhile. */
			if (!d.draining)
				d.keys_restart_at = time(NULL) + 1;
			continue;
		}
		if ((ch = child_find(pid)) != NULL)
			child_remove(ch);
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM &&
		    WTERMSIG(status) != SIGKILL)
			log_warn("event=child_crashed pid=%ld signal=%d",
			    (long)pid, WTERMSIG(status));
	}
}

/* Authenticated children stop counting as startups. */
static void
read_status(void)
{
	struct sshd_status	st;
	struct child	       *ch;

	while (read(d.status_rd, &st, sizeof st) == (ssize_t)sizeof st)
		if (st.state == SSHD_STATE_AUTHENTICATED &&
		    (ch = child_find(st.pid)) != NULL)
			ch->authenticated = true;
}

/* ------------------------------------------------------------------ */
/* Accepting                                                           */

/* The limit a new connection from ADDR would break, or NULL. */
static const char *
over_limit(const char *addr)
{
	size_t	i, startups = 0, same = 0;

	if (d.nchildren >= (size_t)d.cfg.max_sessions)
		return "max_sessions";
	for (i = 0; i < d.nchildren; i++) {
		if (!d.children[i].authenticated)
			startups++;
		if (strcmp(d.children[i].addr, addr) == 0)
			same++;
	}
	if (startups >= (size_t)d.cfg.max_startups)
		return "max_startups";
	if (same >= (size_t)d.cfg.max_sessions_per_address)
		return "max_sessions_per_address";
	return NULL;
}

/* Take one connection from LFD; false when there was none waiting. */
static bool
accept_one(int lfd)
{
	static const char busy[] =
	    "cinettyd: too many connections, try again later.\r\n";
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	const char		*limit;
	char			 addr[64];
	int			 fd, port, on = 1, rc, keys_fd;
	pid_t			 pid;

	if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len,
	    SOCK_CLOEXEC)) == -1) {
		if (errno == ECONNABORTED || errno == EINTR)
			return true;
		if (errno != EAGAIN)
			log_warn("event=accept error=\"%s\"", strerror(errno));
		return false;
	}
	sshd_peer_name(&ss, addr, sizeof addr, &port);
	if ((limit = over_limit(addr)) != NULL) {
		log_info("event=refused addr=%s port=%d reason=%s", addr, port,
		    limit);
		fcntl(fd, F_SETFL, O_NONBLOCK);
		(void)!write(fd, busy, sizeof busy - 1);
		close(fd);
		return true;
	}
	/* libssh does not; without it the first screen waits on Nagle. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	keys_fd = sshd_keys_channel(d.keys_ctl);
	if ((pid = fork()) == -1) {
		log_error("event=fork addr=%s error=\"%s\"", addr,
		    strerror(errno));
		close(fd);
		if (keys_fd != -1)
			close(keys_fd);
		return false;
	}
	if (pid == 0) {
		child_reset();
		rc = sshd_session_run(&d.cfg, d.bind, fd, addr, port,
		    d.status_wr, keys_fd);
		sshd_child_exit(rc);
	}
	close(fd);
	if (keys_fd != -1)
		close(keys_fd);
	child_add(pid, addr);
	log_debug("event=connect addr=%s port=%d pid=%ld", addr, port,
	    (long)pid);
	return true;
}

/*
 * Run libssh's server side once in the parent, on a socket pair whose
 * other end sends a client banner and hangs up: ssh_new, accept, banner,
 * KEXINIT, end of file. Whatever the libraries set up on first use (the
 * OpenSSL random generator and its algorithm tables, the dynamic linker's
 * bindings of the functions called) is then done here once and inherited,
 * instead of redone by every child after its fork, where it cost about
 * 50 page faults and 3 ms of CPU per connection.
 */
static void
warm_up(ssh_bind bind)
{
	static const char banner[] = "SSH-2.0-cinettyd-warmup\r\n";
	ssh_session	s;
	long		timeout = 1;
	int		sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return;
	(void)!write(sv[1], banner, sizeof banner - 1);
	shutdown(sv[1], SHUT_WR);
	if ((s = ssh_new()) == NULL) {
		close(sv[0]);
		close(sv[1]);
		return;
	}
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	if (ssh_bind_accept_fd(bind, s, sv[0]) == SSH_OK)
		(void)ssh_handle_key_exchange(s);
	else
		close(sv[0]);
	ssh_free(s);
	close(sv[1]);
}

/* ------------------------------------------------------------------ */
/* Signals: shutdown and reload                                        */

static void
drain_start(void)
{
	size_t	i;

	if (d.draining) {
		/* A second request: do not wait any longer. */
		d.drain_deadline = time(NULL);
		return;
	}
	d.draining = true;
	d.drain_deadline = time(NULL) + d.cfg.shutdown_grace_seconds + 5;
	sshd_listen_close(d.listeners, d.nlisteners);
	d.listeners = NULL;
	d.nlisteners = 0;
	log_info("event=shutdown sessions=%zu grace=%ds", d.nchildren,
	    d.cfg.shutdown_grace_seconds);
	for (i = 0; i < d.nchildren; i++)
		kill(d.children[i].pid, SIGTERM);
	if (d.worker_pid > 0)
		kill(d.worker_pid, SIGTERM);
	d.worker_restart_at = 0;
	/* In-flight sign-ins ask core themselves from now on. */
	if (d.keys_pid > 0)
		kill(d.keys_pid, SIGTERM);
	d.keys_restart_at = 0;
}

static void
drain_kill(void)
{
	size_t	i;

	log_warn("event=shutdown_kill sessions=%zu", d.nchildren);
	for (i = 0; i < d.nchildren; i++)
		kill(d.children[i].pid, SIGKILL);
	if (d.worker_pid > 0)
		kill(d.worker_pid, SIGKILL);
	if (d.keys_pid > 0)
		kill(d.keys_pid, SIGKILL);
}

/* SIGHUP: a new configuration (and host keys) for new connections. */
static void
reload(void)
{
	struct cnt_config	cfg;
	struct cnt_error	err;
	ssh_bind		bind;
	int			i;

	cnt_error_clear(&err);
	if (config_read(&cfg, &err) != CNT_OK) {
		log_error("event=reload_failed error=\"%s\"", err.msg);
		return;
	}
	if ((bind = sshd_bind_new(&cfg, false, &err)) == NULL) {
		log_error("event=reload_failed error=\"%s\"", err.msg);
		cnt_config_free(&cfg);
		return;
	}
	if (cfg.nlisten != d.cfg.nlisten)
		log_warn("event=reload note=\"listen changes need a restart\"");
	else
		for (i = 0; i < cfg.nlisten; i++)
			if (strcmp(cfg.listen[i], d.cfg.listen[i]) != 0)
				log_warn("event=reload note=\"listen changes "
				    "need a restart\"");
	if (cfg.worker && !d.cfg.worker && d.worker_pid == 0)
		d.worker_restart_at = time(NULL);
	if (!cfg.worker && d.worker_pid > 0)
		kill(d.worker_pid, SIGTERM);
	ssh_bind_free(d.bind);
	d.bind = bind;
	warm_up(d.bind);
	cnt_config_free(&d.cfg);
	d.cfg = cfg;
	/* The key helper starts again with the new configuration. */
	if (d.keys_pid > 0) {
		kill(d.keys_pid, SIGTERM);
		keys_gone();
	}
	keys_start();
	if (!sshd_foreground)
		;	/* the syslog stream stays */
	else
		log_setup(&d.cfg, stderr);
	log_info("event=reload sessions=%zu", d.nchildren);
}

static void
handle_signals(void)
{
	struct signalfd_siginfo si;

	while (read(d.sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap();
			break;
		case SIGTERM:
		case SIGINT:
			drain_start();
			break;
		case SIGHUP:
			if (!d.draining)
				reload();
			break;
		}
	}
}

/* ------------------------------------------------------------------ */

#define HEARTBEAT_SECONDS 10

/*
 * Tell Redis this node is alive and how many sessions it has, every
 * HEARTBEAT_SECONDS. The parent touches Redis only here, never the
 * database, and on a connection of its own for the one command: between
 * beats it holds none, so the children it forks inherit none (and need not
 * free one, which would copy the pages it lives in). A down Redis fails
 * fast (redis_timeout_ms) and is tried again at the next beat.
 */
static void
heartbeat(time_t now)
{
	struct cnt_error err;
	struct cnt_ctx	*ctx;
	char		 host[64];
	size_t		 i;
	int		 sessions = 0;

	if (now < d.hb_next)
		return;
	/* Sessions are signed-in connections, not probes and handshakes. */
	for (i = 0; i < d.nchildren; i++)
		if (d.children[i].authenticated)
			sessions++;
	d.hb_next = now + HEARTBEAT_SECONDS;
	if (d.node[0] == '\0') {
		if (gethostname(host, sizeof host) != 0)
			cnt_strlcpy(host, "localhost", sizeof host);
		host[sizeof host - 1] = '\0';
		snprintf(d.node, sizeof d.node, "%s/%s", host,
		    d.nlisteners > 0 ? d.listeners[0].name : "-");
	}
	ctx = cnt_ctx_new(&d.cfg);
	if (cnt_node_heartbeat(ctx, d.node, sessions, &err) != CNT_OK)
		log_debug("event=heartbeat error=\"%s\"", err.msg);
	cnt_ctx_free(ctx);
}

/* Connections taken from one listener per wake-up, at most. */
#define ACCEPT_BATCH 16

static int
serve(void)
{
	struct pollfd	*pfd;
	size_t		 i, n;
	time_t		 now;
	int		 k, timeout;

	/* The listeners only ever go away (draining): one array will do. */
	pfd = xcalloc(2 + d.nlisteners, sizeof *pfd);

	for (;;) {
		reap();
		now = time(NULL);
		if (!d.draining)
			heartbeat(now);
		if (d.draining) {
			if (d.nchildren == 0 && d.worker_pid == 0 &&
			    d.keys_pid == 0)
				break;
			if (now >= d.drain_deadline) {
				drain_kill();
				d.drain_deadline = now + 5;
			}
		} else {
			if (d.worker_restart_at != 0 &&
			    now >= d.worker_restart_at && d.cfg.worker)
				worker_start();
			if (d.keys_restart_at != 0 && now >= d.keys_restart_at)
				keys_start();
		}

		n = 2 + d.nlisteners;
		pfd[0].fd = d.sig_fd;
		pfd[1].fd = d.status_rd;
		for (i = 0; i < d.nlisteners; i++)
			pfd[2 + i].fd = d.listeners[i].fd;
		for (i = 0; i < n; i++) {
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		timeout = (int)(d.hb_next > now ? d.hb_next - now : 1) * 1000;
		if (d.draining)
			timeout = (int)(d.drain_deadline > now ?
			    d.drain_deadline - now : 1) * 1000;
		else if (d.worker_restart_at != 0 &&
		    d.worker_restart_at < d.hb_next)
			timeout = (int)(d.worker_restart_at > now ?
			    d.worker_restart_at - now : 0) * 1000;
		if (!d.draining && d.keys_restart_at != 0 &&
		    (d.keys_restart_at - now) * 1000 < timeout)
			timeout = (int)(d.keys_restart_at > now ?
			    d.keys_restart_at - now : 0) * 1000;
		if (poll(pfd, n, timeout) == -1 && errno != EINTR) {
			log_error("event=poll error=\"%s\"", strerror(errno));
			break;
		}
		if (pfd[1].revents & POLLIN)
			read_status();
		if (pfd[0].revents & POLLIN)
			handle_signals();
		/*
		 * The listeners are gone once draining started. A burst of
		 * connections is taken several at a time: one poll and one
		 * round of bookkeeping for each would be wasted.
		 */
		for (i = 0; i < d.nlisteners && !d.draining; i++)
			if (pfd[2 + i].revents & POLLIN)
				for (k = 0; k < ACCEPT_BATCH &&
				    accept_one(d.listeners[i].fd); k++)
					;
	}
	free(pfd);
	if (d.node[0] != '\0') {
		struct cnt_ctx *ctx = cnt_ctx_new(&d.cfg);

		cnt_node_forget(ctx, d.node);
		cnt_ctx_free(ctx);
	}
	log_info("event=stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	struct cnt_error	 err;
	sigset_t		 set;
	bool			 test_only = false;
	int			 ch, fds[2], i, rc;

	/*
	 * No fastbins: a child's first large allocation would otherwise
	 * consolidate the ones the parent left, writing (so copying) a page
	 * of the parent's heap for each. The thread cache serves small
	 * allocations as fast.
	 */
	mallopt(M_MXFAST, 0);
	memset(&d, 0, sizeof d);
	d.keys_ctl = -1;
	d.conf_path = getenv("CINETTY_CONF");
	d.overrides = xcalloc((size_t)argc, sizeof *d.overrides);
	cnt_error_clear(&err);
	while ((ch = getopt(argc, argv, "df:ho:p:tV")) != -1) {
		switch (ch) {
		case 'd':
			sshd_foreground = true;
			break;
		case 'f':
			d.conf_path = optarg;
			break;
		case 'o':
			d.overrides[d.noverrides++] = optarg;
			break;
		case 'p':
			d.port = optarg;
			break;
		case 't':
			test_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cinettyd %s\n", CNT_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (d.conf_path == NULL &&
	    access("/etc/cinetty/cinetty.conf", R_OK) == 0)
		d.conf_path = "/etc/cinetty/cinetty.conf";
	if (config_read(&d.cfg, &err) != CNT_OK) {
		fprintf(stderr, "cinettyd: %s\n", err.msg);
		return 1;
	}
	log_setup(&d.cfg, stderr);
	/* The key exchange needs no randomness after fork from the parent. */
	ssh_init();

	if (test_only) {
		rc = sshd_listen_check(&d.cfg, &err);
		if (rc == CNT_OK && (d.bind = sshd_bind_new(&d.cfg, true,
		    &err)) == NULL)
			rc = CNT_ERR;
		if (rc == CNT_OK)
			printf("cinettyd: configuration OK (%d listen "
			    "address%s, %d host key%s)\n", d.cfg.nlisten,
			    d.cfg.nlisten == 1 ? "" : "es", d.cfg.nhost_key,
			    d.cfg.nhost_key == 1 ? "" : "s");
		else
			fprintf(stderr, "cinettyd: %s\n", err.msg);
		if (d.bind != NULL)
			ssh_bind_free(d.bind);
		cnt_config_free(&d.cfg);
		free(d.overrides);
		ssh_finalize();
		return rc == CNT_OK ? 0 : 1;
	}

	umask(077);
	if ((d.bind = sshd_bind_new(&d.cfg, false, &err)) == NULL ||
	    sshd_listen_open(&d.cfg, &d.listeners, &d.nlisteners,
	    &err) != CNT_OK || drop_privileges(&d.cfg, &err) != CNT_OK) {
		fprintf(stderr, "cinettyd: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < (int)d.nlisteners; i++)
		log_info("event=listen addr=%s", d.listeners[i].name);
	if (!sshd_foreground && daemonize() != CNT_OK) {
		fprintf(stderr, "cinettyd: fork: %s\n", strerror(errno));
		return 1;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	d.sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d.sig_fd == -1 || pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1) {
		log_error("event=start error=\"%s\"", strerror(errno));
		return 1;
	}
	d.status_rd = fds[0];
	d.status_wr = fds[1];
	/* Children write whole records; the parent never blocks on it. */
	fcntl(d.status_wr, F_SETFL, 0);
	log_info("event=ready pid=%ld max_sessions=%d", (long)getpid(),
	    d.cfg.max_sessions);
	if (d.cfg.worker)
		worker_start();
	keys_start();

	warm_up(d.bind);
	rc = serve();

	sshd_listen_close(d.listeners, d.nlisteners);
	close(d.sig_fd);
	close(d.status_rd);
	close(d.status_wr);
	if (d.keys_ctl != -1)
		close(d.keys_ctl);
	free(d.children);
	ssh_bind_free(d.bind);
	ssh_finalize();
	cnt_config_free(&d.cfg);
	free(d.overrides);
	return rc;
}
