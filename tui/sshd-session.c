/*
 * sshd-session.c - one SSH connection, in the child the parent forked for it.
 *
 * The child does the key exchange (bounded by SSH_OPTIONS_TIMEOUT) and the
 * authentication (bounded by our own deadline: login_grace_seconds from the
 * accept to the shell request), accepts one session channel, and on pty +
 * shell opens a pty pair and forks the app onto the slave (login_tty, as
 * sshd runs a shell). From then on it only pumps bytes between the channel
 * and the pty master in one ssh_event loop, turns window changes into
 * TIOCSWINSZ, and ends the other side when one side ends.
 *
 * exec requests are accepted only to answer them with a message on stderr
 * and exit status 1; subsystems (sftp), forwarding, agent and X11 have no
 * callback, so libssh refuses them.
 *
 * Signals (through a signalfd, since ssh_event_dopoll retries EINTR):
 * SIGCHLD the app ended; SIGTERM from the parent: the server is shutting
 * down, tell the user and close after shutdown_grace_seconds.
 */
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <utmp.h>

#include "sshd.h"
#include "tui.h"

#define PUMP_CHUNK	16384
#define PENDING_MAX	65536

/*
 * The locale when the client sends no LANG (OpenSSH sends it only with
 * SendEnv): UTF-8, except for terminals that cannot show it.
 */
static const char *
default_lang(const char *term)
{
	static const char *const ascii_terms[] = {
		"vt52", "vt100", "vt102", "vt220", "dumb", "ansi", NULL
	};
	int	i;

	for (i = 0; ascii_terms[i] != NULL; i++)
		if (strcmp(term, ascii_terms[i]) == 0)
			return "C";
	return "C.UTF-8";
}

static const char exec_message[] =
    "cinetty is an interactive app: connect without a command "
    "(ssh -t ... ) to use it.\r\n";
static const char nopty_message[] =
    "cinetty needs a terminal: connect with ssh -t.\r\n";

int64_t
sshd_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The exit handlers of the libraries linked in (OpenSSL, GnuTLS, Kerberos,
 * libpq...) only free memory that is about to go anyway, and doing so
 * copies page after page shared with the parent: a measurable part of a
 * connection's CPU. Sanitizer builds keep exit() for their leak check.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SSHD_EXIT_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSHD_EXIT_CHECKED 1
#endif
#endif

void
sshd_child_exit(int status)
{
	fflush(NULL);
#ifdef SSHD_EXIT_CHECKED
	exit(status);
#else
	_exit(status);
#endif
}

struct cnt_ctx *
sshd_conn_ctx(struct sshd_conn *c)
{
	if (c->ctx == NULL)
		c->ctx = cnt_ctx_new(c->cfg);
	return c->ctx;
}

static long
ms_until(time_t deadline)
{
	time_t	now = time(NULL);

	if (deadline <= now)
		return 0;
	return (long)(deadline - now) * 1000;
}

/* ------------------------------------------------------------------ */
/* Channel requests                                                    */

/* TERM as sent by the client, if it looks like a terminfo name. */
static bool
term_valid(const char *term)
{
	size_t	i, len = strlen(term);

	if (len == 0 || len >= 64)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)term[i]) &&
		    strchr("._+-", term[i]) == NULL)
			return false;
	return true;
}

static void
set_size(struct sshd_conn *c, int cols, int rows)
{
	/* A client without a tty may send 0x0. */
	c->cols = cols > 0 && cols <= 1000 ? cols : 80;
	c->rows = rows > 0 && rows <= 1000 ? rows : 24;
}

static int
pty_request_cb(ssh_session session, ssh_channel channel, const char *term,
    int cols, int rows, int pxwidth, int pxheight, void *userdata)
{
	struct sshd_conn *c = userdata;

	(void)session;
	(void)channel;
	(void)pxwidth;
	(void)pxheight;
	if (c->pty || c->shell)
		return -1;
	c->pty = true;
	cnt_strlcpy(c->term, term_valid(term) ? term : "vt100",
	    sizeof c->term);
	set_size(c, cols, rows);
	return 0;
}

static int
window_change_cb(ssh_session session, ssh_channel channel, int cols, int rows,
    int pxwidth, int pxheight, void *userdata)
{
	struct sshd_conn *c = userdata;
	struct winsize	  ws;

	(void)session;
	(void)channel;
	(void)pxwidth;
	(void)pxheight;
	set_size(c, cols, rows);
	if (c->master != -1) {
		memset(&ws, 0, sizeof ws);
		ws.ws_col = (unsigned short)c->cols;
		ws.ws_row = (unsigned short)c->rows;
		/* The kernel sends the app SIGWINCH. */
		ioctl(c->master, TIOCSWINSZ, &ws);
	}
	return 0;
}

static int
shell_request_cb(ssh_session session, ssh_channel channel, void *userdata)
{
	struct sshd_conn *c = userdata;

	(void)session;
	(void)channel;
	if (c->shell || c->exec)
		return -1;
	c->shell = true;
	return 0;
}

static int
exec_request_cb(ssh_session session, ssh_channel channel, const char *command,
    void *userdata)
{
	struct sshd_conn *c = userdata;

	(void)session;
	(void)channel;
	if (c->shell || c->exec)
		return -1;
	/* Accepted only to answer with a message and exit status 1. */
	c->exec = true;
	log_info("event=exec_refused addr=%s port=%d user=%s command=\"%.40s\"",
	    c->peer, c->peer_port, c->username, command);
	return 0;
}

/* Locale and colour preferences only: nothing else of the client's
 * environment reaches the app. */
static int
env_request_cb(ssh_session session, ssh_channel channel, const char *name,
    const char *value, void *userdata)
{
	struct sshd_conn *c = userdata;
	size_t		  i;

	(void)session;
	(void)channel;
	if (c->nenv == SSHD_MAX_ENV || strlen(value) > 64 ||
	    (strcmp(name, "LANG") != 0 && strncmp(name, "LC_", 3) != 0 &&
	    strcmp(name, "COLORTERM") != 0 && strcmp(name, "NO_COLOR") != 0) ||
	    strlen(name) > 32)
		return -1;
	for (i = 0; name[i] != '\0'; i++)
		if (!isupper((unsigned char)name[i]) && name[i] != '_')
			return -1;
	for (i = 0; value[i] != '\0'; i++)
		if (!isprint((unsigned char)value[i]))
			return -1;
	c->env[c->nenv++] = xasprintf("%s=%s", name, value);
	return 0;
}

/* Client input: to the pty master, keeping what does not fit yet. */
static int
data_cb(ssh_session session, ssh_channel channel, void *data, uint32_t len,
    int is_stderr, void *userdata)
{
	struct sshd_conn *c = userdata;
	size_t		  take;

	(void)session;
	(void)channel;
	(void)is_stderr;
	if (c->master == -1)
		return (int)len;	/* before the app: dropped */
	if (c->pulling)
		return 0;	/* pull_buffered is reading it */
	c->last_input = time(NULL);
	take = PENDING_MAX - 1 - c->npending;
	if (take > len)
		take = len;
	/* What we do not take stays in libssh's buffer and window. */
	memcpy(c->pending + c->npending, data, take);
	c->npending += take;
	c->bytes_in += take;
	if (c->idle_warned && take > 0) {
		/* After the key, a Ctrl-L: the app repaints over the
		 * warning line (there is always room for this one byte). */
		c->idle_warned = false;
		c->pending[c->npending++] = '\f';
	}
	return (int)take;
}

static void
eof_cb(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	(void)userdata;
	/* A pty session's client sends ^D, not EOF; nothing to do. */
}

static void
close_cb(ssh_session session, ssh_channel channel, void *userdata)
{
	struct sshd_conn *c = userdata;

	(void)session;
	(void)channel;
	c->client_gone = true;
}

/* The one session channel; its callbacks are set before it is returned,
 * so no pty or shell request can arrive without them. */
static ssh_channel
channel_open_cb(ssh_session session, void *userdata)
{
	struct sshd_conn *c = userdata;
	struct ssh_channel_callbacks_struct *cb = &c->channel_cb;

	if (!c->authenticated || c->channel != NULL)
		return NULL;
	if ((c->channel = ssh_channel_new(session)) == NULL)
		return NULL;
	memset(cb, 0, sizeof *cb);
	cb->userdata = c;
	cb->channel_pty_request_function = pty_request_cb;
	cb->channel_pty_window_change_function = window_change_cb;
	cb->channel_shell_request_function = shell_request_cb;
	cb->channel_exec_request_function = exec_request_cb;
	cb->channel_env_request_function = env_request_cb;
	cb->channel_data_function = data_cb;
	cb->channel_eof_function = eof_cb;
	cb->channel_close_function = close_cb;
	ssh_callbacks_init(cb);
	ssh_set_channel_callbacks(c->channel, cb);
	return c->channel;
}

/* ------------------------------------------------------------------ */
/* Signals and the pty                                                 */

static void
app_reaped(struct sshd_conn *c, int status)
{
	c->app_exited = true;
	if (WIFEXITED(status))
		c->app_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		c->app_status = 128 + WTERMSIG(status);
}

/* Show TEXT on the client's bottom line over the app's screen, keeping
 * the cursor where the app left it (VT100: save, move, restore). */
static void
overlay(struct sshd_conn *c, const char *text)
{
	char	*s;

	if (c->channel == NULL || c->client_gone)
		return;
	s = xasprintf("\0337\033[%d;1H\033[7m %s \033[0m\033[K\0338", c->rows,
	    text);
	ssh_channel_write(c->channel, s, (uint32_t)strlen(s));
	free(s);
}

static void
start_shutdown(struct sshd_conn *c)
{
	char	text[128];

	if (c->shutting_down)
		return;
	c->shutting_down = true;
	c->shutdown_at = time(NULL) + c->cfg->shutdown_grace_seconds;
	if (c->app_pid > 0 && !c->app_exited) {
		snprintf(text, sizeof text, "The server is shutting down: "
		    "this session closes in %d seconds.",
		    c->cfg->shutdown_grace_seconds);
		overlay(c, text);
		kill(c->app_pid, TUI_NOTICE_SIGNAL);
	}
}

static int
signal_cb(socket_t fd, int revents, void *userdata)
{
	struct sshd_conn	*c = userdata;
	struct signalfd_siginfo	 si;
	int			 status;
	pid_t			 pid;

	(void)revents;
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == c->app_pid)
					app_reaped(c, status);
			break;
		case SIGTERM:
		case SIGINT:
			start_shutdown(c);
			break;
		}
	}
	return 0;
}

/* App output: read what is there and send it. Never removes itself. */
static int
master_cb(socket_t fd, int revents, void *userdata)
{
	struct sshd_conn *c = userdata;
	char		  buf[PUMP_CHUNK];
	ssize_t		  n;

	if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0 || c->master_eof)
		return 0;
	n = read(fd, buf, sizeof buf);
	if (n > 0) {
		if (c->t_first == 0)
			c->t_first = sshd_mono_ms();
		if (!c->client_gone &&
		    ssh_channel_write(c->channel, buf, (uint32_t)n) == SSH_ERROR)
			c->client_gone = true;
		c->bytes_out += (uint64_t)n;
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		c->master_eof = true;	/* EIO: every slave fd is closed */
	}
	return 0;
}

/* Write queued client input to the master as far as it goes now. */
static void
flush_pending(struct sshd_conn *c)
{
	ssize_t	n;

	while (c->npending > 0) {
		n = write(c->master, c->pending, c->npending);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 && errno != EAGAIN)
				c->npending = 0;	/* app gone */
			return;
		}
		memmove(c->pending, c->pending + n, c->npending - (size_t)n);
		c->npending -= (size_t)n;
	}
}

/*
 * Take client input that libssh kept in its buffer when data_cb had no
 * room. libssh calls data_cb again only when a new packet arrives; after
 * a paste larger than the window the client has nothing more it may send,
 * so without this the rest would wait forever and the session hang.
 */
static void
pull_buffered(struct sshd_conn *c)
{
	int	n;

	if (c->master == -1 || c->client_gone ||
	    c->npending >= PENDING_MAX / 2)
		return;
	c->pulling = true;
	n = ssh_channel_read_nonblocking(c->channel, c->pending + c->npending,
	    (uint32_t)(PENDING_MAX - 1 - c->npending), 0);
	c->pulling = false;
	if (n > 0) {
		c->npending += (size_t)n;
		c->bytes_in += (uint64_t)n;
		c->last_input = time(NULL);
	}
}

/* Remove the variables a client may set (and COLUMNS/LINES, which would
 * override the pty's size) from the inherited environment. */
static void
env_drop_client_vars(void)
{
	static const char *const names[] = {
		"TERM", "LANG", "LANGUAGE", "COLORTERM", "NO_COLOR", "COLUMNS",
		"LINES", NULL
	};
	extern char   **environ;
	char	       *name;
	size_t		len;
	int		i;

	for (i = 0; names[i] != NULL; i++)
		unsetenv(names[i]);
	/* LC_*: restart after each removal, environ shifts. */
	for (i = 0; environ[i] != NULL; i++) {
		if (strncmp(environ[i], "LC_", 3) != 0)
			continue;
		len = strcspn(environ[i], "=");
		name = xstrndup(environ[i], len);
		unsetenv(name);
		free(name);
		i = -1;
	}
}

/* In the app's process: become the session leader on the pty slave and
 * run the app as the authenticated account. Never returns. */
static void
app_child(struct sshd_conn *c, int slave, int logfd)
{
	struct tui_opts		opts;
	enum cnt_loglevel	level = CNT_LOG_INFO;
	sigset_t		set;
	FILE		       *logf;
	const char	       *why;
	int			i, sig;

	if (login_tty(slave) == -1)
		_exit(127);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* An app without a notice handler must not die of the notice. */
	signal(TUI_NOTICE_SIGNAL, SIG_IGN);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	/* Nothing of the SSH side stays open in the app. */
	close(ssh_get_fd(c->session));
	close(c->sig_fd);
	close(c->master);
	if (c->status_fd != -1)
		close(c->status_fd);
	if (c->keys_fd != -1)
		close(c->keys_fd);
	/* Logs keep going where the daemon's go, not onto the screen. */
	cnt_log_parse_level(c->cfg->log_level, &level);
	if (logfd != -1 && (logf = fdopen(logfd, "a")) != NULL)
		cnt_log_init(level, logf);

	/*
	 * The daemon's environment stays (PG* and CINETTY_* say where the
	 * database is); the terminal and locale are the client's.
	 */
	env_drop_client_vars();
	setenv("TERM", c->term, 1);
	setenv("LANG", default_lang(c->term), 1);
	for (i = 0; i < c->nenv; i++)
		putenv(c->env[i]);

	memset(&opts, 0, sizeof opts);
	opts.cfg = c->cfg;
	opts.in = stdin;
	opts.out = stdout;
	opts.term = c->term;
	opts.peer = c->peer;
	opts.account_id = c->account_id;
	opts.username = c->account_id != 0 ? c->username : NULL;
	/* Found at sign-in: the app need not read it again to start. */
	opts.account = c->account_id != 0 ? &c->account : NULL;
	if (tui_sandbox(&why) != 0)
		log_warn("event=sandbox_failed error=\"%s\" note=\"the app "
		    "runs without its exec filter\"", why);
	sshd_child_exit(tui_run(&opts));
}

/* Open the pty pair and fork the app onto the slave. */
static int
app_start(struct sshd_conn *c)
{
	struct winsize	ws;
	int		slave, logfd = -1;
	pid_t		pid;

	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)c->cols;
	ws.ws_row = (unsigned short)c->rows;
	if (openpty(&c->master, &slave, NULL, NULL, &ws) == -1) {
		log_error("event=openpty error=\"%s\"", strerror(errno));
		c->master = -1;
		return CNT_ERR;
	}
	if (sshd_foreground)
		logfd = dup(STDERR_FILENO);
	if ((pid = fork()) == -1) {
		log_error("event=fork error=\"%s\"", strerror(errno));
		close(slave);
		close(c->master);
		c->master = -1;
		if (logfd != -1)
			close(logfd);
		return CNT_ERR;
	}
	if (pid == 0)
		app_child(c, slave, logfd);
	close(slave);
	if (logfd != -1)
		close(logfd);
	c->app_pid = pid;
	fcntl(c->master, F_SETFL, fcntl(c->master, F_GETFL) | O_NONBLOCK);
	fcntl(c->master, F_SETFD, FD_CLOEXEC);
	return CNT_OK;
}

/* End the app: SIGHUP to its process group, then SIGKILL after a while. */
static void
app_stop(struct sshd_conn *c)
{
	sigset_t	set;
	struct timespec	ts = { 0, 100 * 1000 * 1000 };
	int		status, i;
	pid_t		pid;

	if (c->app_pid <= 0 || c->app_exited)
		return;
	kill(-c->app_pid, SIGHUP);
	kill(c->app_pid, SIGHUP);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < 30 && !c->app_exited; i++) {
		pid = waitpid(c->app_pid, &status, WNOHANG);
		if (pid == c->app_pid) {
			app_reaped(c, status);
			break;
		}
		sigtimedwait(&set, NULL, &ts);
	}
	if (!c->app_exited) {
		kill(-c->app_pid, SIGKILL);
		kill(c->app_pid, SIGKILL);
		if (waitpid(c->app_pid, &status, 0) == c->app_pid)
			app_reaped(c, status);
	}
}

/* Send what the app still wrote, then MESSAGE, the exit status, and close
 * the channel; wait a little for the client to take it. */
static void
channel_finish(struct sshd_conn *c, const char *message, bool to_stderr,
    int status)
{
	char	buf[PUMP_CHUNK];
	ssize_t	n;
	int	i;

	if (c->channel == NULL || c->client_gone ||
	    !ssh_is_connected(c->session))
		return;
	if (c->master != -1) {
		while ((n = read(c->master, buf, sizeof buf)) > 0) {
			ssh_channel_write(c->channel, buf, (uint32_t)n);
			c->bytes_out += (uint64_t)n;
		}
	}
	if (message != NULL) {
		if (to_stderr)
			ssh_channel_write_stderr(c->channel, message,
			    (uint32_t)strlen(message));
		else
			ssh_channel_write(c->channel, message,
			    (uint32_t)strlen(message));
	}
	ssh_channel_request_send_exit_status(c->channel, status);
	ssh_channel_send_eof(c->channel);
	ssh_channel_close(c->channel);
	ssh_blocking_flush(c->session, 2000);
	/* The client answers with its close and hangs up: up to 2 s. */
	for (i = 0; i < 20 && !c->client_gone && ssh_is_connected(c->session);
	    i++)
		if (ssh_event_dopoll(c->event, 100) == SSH_ERROR)
			break;
}

/* ------------------------------------------------------------------ */
/* The session                                                         */

/* Key exchange done: authenticate and collect the channel requests until
 * a shell or exec request, within login_grace_seconds of the accept. */
static int
session_setup(struct sshd_conn *c)
{
	time_t	deadline = c->started + c->cfg->login_grace_seconds;

	while (!c->shell && !c->exec) {
		if (c->auth_exhausted) {
			ssh_session_set_disconnect_message(c->session,
			    "Too many authentication failures");
			c->end_reason = "max_auth_tries";
			return CNT_ERR;
		}
		if (c->shutting_down) {
			ssh_session_set_disconnect_message(c->session,
			    "The server is shutting down");
			c->end_reason = "shutdown";
			return CNT_ERR;
		}
		if (ms_until(deadline) == 0) {
			ssh_session_set_disconnect_message(c->session,
			    "Login grace time exceeded");
			c->end_reason = "login_grace";
			return CNT_ERR;
		}
		if (ssh_event_dopoll(c->event, (int)ms_until(deadline)) ==
		    SSH_ERROR || !ssh_is_connected(c->session) ||
		    c->client_gone) {
			c->client_gone = true;
			c->end_reason = "client_closed";
			return CNT_ERR;
		}
	}
	return CNT_OK;
}

/* Pump bytes until the app or the client ends, or idle/shutdown time. */
static void
session_pump(struct sshd_conn *c)
{
	const char	*final = NULL;
	time_t		 now, idle_at, warn_at;
	long		 timeout;
	int		 idle = c->cfg->idle_minutes * 60;

	ssh_event_add_fd(c->event, c->master, POLLIN, master_cb, c);
	c->last_input = time(NULL);
	c->end_reason = "app_exit";
	for (;;) {
		if (c->client_gone) {
			c->end_reason = "client_closed";
			break;
		}
		if (c->master_eof || c->app_exited)
			break;
		now = time(NULL);
		timeout = -1;
		if (c->npending > 0)
			timeout = 50;
		if (idle > 0) {
			idle_at = c->last_input + idle;
			warn_at = idle_at - (idle > 120 ? 60 : idle / 2);
			if (now >= idle_at) {
				c->end_reason = "idle";
				final = "\r\ncinetty: session closed after "
				    "being idle.\r\n";
				break;
			}
			if (now >= warn_at && !c->idle_warned) {
				c->idle_warned = true;
				log_info("event=idle_warning addr=%s port=%d "
				    "user=%s", c->peer, c->peer_port,
				    c->username);
				overlay(c, "Idle: this session closes soon; "
				    "press any key to stay.");
			}
			if (timeout < 0 || ms_until(c->idle_warned ? idle_at :
			    warn_at) < timeout)
				timeout = ms_until(c->idle_warned ? idle_at :
				    warn_at) + 10;
		}
		if (c->shutting_down) {
			if (now >= c->shutdown_at) {
				c->end_reason = "shutdown";
				final = "\r\ncinetty: the server is shutting "
				    "down. Goodbye.\r\n";
				break;
			}
			if (timeout < 0 || ms_until(c->shutdown_at) < timeout)
				timeout = ms_until(c->shutdown_at) + 10;
		}
		if (ssh_event_dopoll(c->event, (int)timeout) == SSH_ERROR ||
		    !ssh_is_connected(c->session))
			c->client_gone = true;
		flush_pending(c);
		pull_buffered(c);
	}
	ssh_event_remove_fd(c->event, c->master);
	if (c->client_gone) {
		app_stop(c);
		return;
	}
	if (!c->app_exited && final == NULL) {
		/* The slave closed but the app lingers: give it a moment. */
		app_stop(c);
	}
	if (final != NULL) {
		app_stop(c);
		channel_finish(c, final, false, 0);
	} else
		channel_finish(c, NULL, false, c->app_status);
}

/* Milliseconds from the start of the connection to AT, -1: not reached. */
static long
since_start(const struct sshd_conn *c, int64_t at)
{
	return at != 0 ? (long)(at - c->t_start) : -1;
}

/*
 * One line a connection, also for those that never got past the key
 * exchange (port scanners, probes): then with libssh's error, which is
 * only about the key exchange.
 */
static void
session_log(struct sshd_conn *c)
{
	bool	kex_failed = c->t_kex == 0 && c->session != NULL &&
	    c->end_reason != NULL && strcmp(c->end_reason, "kex_failed") == 0;

	log_info("event=session addr=%s port=%d user=%s method=%s term=%s "
	    "size=%dx%d duration=%lds bytes_in=%llu bytes_out=%llu status=%d "
	    "end=%s kex_ms=%ld auth_ms=%ld first_output_ms=%ld%s%s%s",
	    c->peer,
	    c->peer_port,
	    c->username[0] != '\0' ? c->username : "-",
	    c->method != NULL ? c->method : "-",
	    c->pty ? c->term : "-", c->cols, c->rows,
	    (long)(time(NULL) - c->started),
	    (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out,
	    c->app_status, c->end_reason != NULL ? c->end_reason : "-",
	    since_start(c, c->t_kex), since_start(c, c->t_auth),
	    since_start(c, c->t_first), kex_failed ? " error=\"" : "",
	    kex_failed ? ssh_get_error(c->session) : "",
	    kex_failed ? "\"" : "");
}

static void
session_free(struct sshd_conn *c)
{
	int	i;

	if (c->session != NULL && ssh_is_connected(c->session)) {
		/*
		 * Replies still queued go out before the goodbye, and one
		 * more poll lets libssh see the socket writable: else the
		 * disconnect message is queued and the socket closed.
		 */
		ssh_blocking_flush(c->session, 1000);
		if (c->event != NULL)
			ssh_event_dopoll(c->event, 100);
		ssh_disconnect(c->session);
	}
	if (c->event != NULL) {
		if (c->sig_fd != -1)
			ssh_event_remove_fd(c->event, c->sig_fd);
		ssh_event_remove_session(c->event, c->session);
		ssh_event_free(c->event);
	}
	if (c->master != -1)
		close(c->master);
	if (c->sig_fd != -1)
		close(c->sig_fd);
	if (c->status_fd != -1)
		close(c->status_fd);
	if (c->keys_fd != -1)
		close(c->keys_fd);
	if (c->ctx != NULL)
		cnt_ctx_free(c->ctx);
	for (i = 0; i < c->nenv; i++)
		free(c->env[i]);
	sshd_auth_free(c);
	free(c->pending);
	if (c->session != NULL)
		ssh_free(c->session);
}

int
sshd_session_run(const struct cnt_config *cfg, ssh_bind bind, int fd,
    const char *peer, int peer_port, int status_fd, int keys_fd)
{
	struct sshd_conn c;
	sigset_t	 set;
	long		 timeout = cfg->login_grace_seconds;
	int		 rc = 1;

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.status_fd = status_fd;
	c.keys_fd = keys_fd;
	c.sig_fd = -1;
	c.master = -1;
	c.started = time(NULL);
	c.t_start = sshd_mono_ms();
	c.cols = 80;
	c.rows = 24;
	c.pending = xmalloc(PENDING_MAX);
	cnt_strlcpy(c.peer, peer, sizeof c.peer);
	c.peer_port = peer_port;

	if ((c.session = ssh_new()) == NULL) {
		close(fd);
		c.end_reason = "ssh_new";
		goto out;
	}
	/* Bounds the key exchange (returns SSH_AGAIN when it fires). */
	ssh_options_set(c.session, SSH_OPTIONS_TIMEOUT, &timeout);
	if (ssh_bind_accept_fd(bind, c.session, fd) != SSH_OK) {
		close(fd);
		c.end_reason = "accept";
		goto out;
	}
	/*
	 * Callbacks before the key exchange: the client's first requests
	 * may arrive with its last key-exchange packet and are handled as
	 * they are read; without callbacks they would wait in a queue
	 * nobody reads, and the client would wait for ever.
	 */
	sshd_auth_setup(&c);
	c.server_cb.channel_open_request_session_function = channel_open_cb;
	ssh_callbacks_init(&c.server_cb);
	ssh_set_server_callbacks(c.session, &c.server_cb);
	if (ssh_handle_key_exchange(c.session) != SSH_OK) {
		c.end_reason = "kex_failed";	/* logged with its error */
		goto out;
	}
	c.t_kex = sshd_mono_ms();

	/* From here signals arrive through the event loop. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	c.sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);

	c.event = ssh_event_new();
	ssh_event_add_session(c.event, c.session);
	if (c.sig_fd != -1)
		ssh_event_add_fd(c.event, c.sig_fd, POLLIN, signal_cb, &c);

	if (session_setup(&c) != CNT_OK)
		goto out;
	/* Later blocking writes are bounded by this too: not too short. */
	timeout = cfg->login_grace_seconds > 30 ? cfg->login_grace_seconds :
	    30;
	ssh_options_set(c.session, SSH_OPTIONS_TIMEOUT, &timeout);
	if (c.exec) {
		c.end_reason = "exec_refused";
		channel_finish(&c, exec_message, true, 1);
		goto out;
	}
	if (!c.pty) {
		c.end_reason = "no_pty";
		channel_finish(&c, nopty_message, true, 1);
		goto out;
	}
	/* The app opens its own connections; this child needs none. */
	cnt_ctx_free(c.ctx);
	c.ctx = NULL;
	if (app_start(&c) != CNT_OK) {
		c.end_reason = "app_start";
		channel_finish(&c, "cinetty: the app could not start.\r\n", true,
		    1);
		goto out;
	}
	session_pump(&c);
	rc = 0;
out:
	session_log(&c);
	session_free(&c);
	return rc;
}
