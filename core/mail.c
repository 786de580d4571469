/*
 * mail.c - booking mail the Unix way. A mail_outbox row (written by the
 * booking code in the same transaction as the booking change) is rendered
 * as a plain-text message, headers included, and fed on stdin to
 * mail_command run by /bin/sh -c (default "/usr/sbin/sendmail -t -i").
 * Without a mailer the rows simply stay unsent; `cinetty jobs` says so.
 * Linux: the mailer is killed if the process that runs it dies.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

/* Is PROG (a path, or a name looked up in PATH) an executable? */
static bool
mail_program_exists(const char *prog)
{
	const char     *path;
	char	       *dirs, *dir, *save, *full;
	bool		found = false;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/bin:/bin";
	dirs = xstrdup(path);
	for (dir = strtok_r(dirs, ":", &save); dir != NULL && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		full = xasprintf("%s/%s", dir, prog);
		found = access(full, X_OK) == 0;
		free(full);
	}
	free(dirs);
	return found;
}

bool
cnt_mail_configured(const struct cnt_config *cfg, char *why, size_t len)
{
	const char     *cmd = cfg->mail_command;
	char		prog[256];
	size_t		n;

	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (*cmd == '\0') {
		snprintf(why, len, "no mailer configured (mail_command is "
		    "empty): mail stays queued");
		return false;
	}
	n = strcspn(cmd, " \t");
	if (n >= sizeof prog)
		n = sizeof prog - 1;
	memcpy(prog, cmd, n);
	prog[n] = '\0';
	if (!mail_program_exists(prog)) {
		snprintf(why, len, "mailer %s not found (mail_command): mail "
		    "stays queued", prog);
		return false;
	}
	snprintf(why, len, "%s", cfg->mail_command);
	return true;
}

/* Append S to a header line with CR and LF made spaces (no injection). */
static void
header_value(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(*s == '\r' || *s == '\n' ? ' ' : *s, f);
}

#define MAIL_SQL \
	"SELECT o.kind, o.recipient, b.code, b.total_cents, m.title," \
	" to_char(s.starts_at, 'Dy DD Mon YYYY, HH24:MI'), t.name," \
	" (SELECT string_agg(se.row_label || se.number::text, ', '" \
	"    ORDER BY length(se.row_label), se.row_label, se.number)" \
	"  FROM tickets tk JOIN seats se ON se.id = tk.seat_id" \
	"  WHERE tk.booking_id = b.id)," \
	" coalesce(a.full_name, b.customer_name), b.id IS NOT NULL" \
	" FROM mail_outbox o" \
	" LEFT JOIN bookings b ON b.id = o.booking_id" \
	" LEFT JOIN showtimes s ON s.id = b.showtime_id" \
	" LEFT JOIN movies m ON m.id = s.movie_id" \
	" LEFT JOIN theatres t ON t.id = s.theatre_id" \
	" LEFT JOIN accounts a ON a.id = b.account_id" \
	" WHERE o.id = $1"

int
cnt_mail_render(struct cnt_ctx *ctx, int64_t outbox_id, char **text,
    struct cnt_error *err)
{
	char		id[CNT_I64BUF], *buf = NULL;
	const char     *p[1] = { cnt_i64(id, outbox_id) };
	const char     *kind, *title, *name;
	size_t		len = 0;
	PGresult       *res;
	FILE	       *f;
	bool		cancel;
	int		total;

	*text = NULL;
	if ((res = cnt_db_exec(ctx, err, MAIL_SQL, 1, p)) == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND,
		    "no mail %lld in the outbox", (long long)outbox_id);
	}
	kind = PQgetvalue(res, 0, 0);
	cancel = strcmp(kind, "cancellation") == 0;
	title = PQgetvalue(res, 0, 4);
	name = PQgetvalue(res, 0, 8);
	total = cnt_pg_int(res, 0, 3);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_INTERNAL, "out of memory");
	}
	fputs("From: ", f);
	header_value(f, ctx->cfg.mail_from);
	fputs("\nTo: ", f);
	header_value(f, PQgetvalue(res, 0, 1));
	fputs("\nSubject: ", f);
	header_value(f, ctx->cfg.cinema_name);
	fputs(cancel ? ": booking canceled " : ": your tickets ", f);
	header_value(f, PQgetvalue(res, 0, 2));
	fputs(" - ", f);
	header_value(f, title);
	fputs("\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n", f);
	if (!cnt_pg_bool(res, 0, 9)) {
		fprintf(f, "The booking this message was about no longer "
		    "exists.\n");
	} else {
		fprintf(f, "Hello%s%s,\n\n", *name != '\0' ? " " : "", name);
		fprintf(f, cancel ? "Your booking has been canceled.\n\n" :
		    "Thank you for your booking. Show the code at the door.\n\n");
		fprintf(f, "  Film:     %s\n", title);
		fprintf(f, "  Time:     %s (%s)\n", PQgetvalue(res, 0, 5),
		    ctx->cfg.timezone);
		fprintf(f, "  Theatre:  %s\n", PQgetvalue(res, 0, 6));
		fprintf(f, "  Seats:    %s\n", PQgetvalue(res, 0, 7));
		fprintf(f, "  Code:     %s\n", PQgetvalue(res, 0, 2));
		fprintf(f, "  Total:    %d.%02d\n", total / 100, total % 100);
		if (cancel)
			fprintf(f, "\nAny refund is made to the original "
			    "payment.\n");
	}
	fprintf(f, "\n-- \n%s\n", ctx->cfg.cinema_name);
	fclose(f);
	PQclear(res);
	*text = buf;
	return CNT_OK;
}

static void
mail_guard_kill(int sig)
{
	(void)sig;
	kill(0, SIGKILL);	/* the mailer's whole process group */
}

/*
 * In the forked child, before the mailer runs: a worker killed mid-job
 * (SIGKILL, so it cannot clean up) must take its mailer along, or the job,
 * run again after its lease, sends the mail a second time. PDEATHSIG only
 * reaches this one process, and sh forks the mailer's commands, so this
 * child becomes a guard: it puts itself in a new process group, forks the
 * mailer into it (which returns here, to exec), and waits; when the worker
 * dies the guard kills the group. It passes the mailer's status on.
 */
static void
mail_guard(pid_t worker, const int sv[2])
{
	struct sigaction sa;
	pid_t		 mailer;
	int		 status;

	if (setpgid(0, 0) == -1)
		return;		/* run unguarded rather than not at all */
	if ((mailer = fork()) == -1)
		_exit(127);
	if (mailer == 0)
		return;		/* the mailer: exec it */
	close(STDIN_FILENO);	/* the mailer alone holds the message */
	close(sv[0]);
	close(sv[1]);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = mail_guard_kill;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != worker)
		mail_guard_kill(0);
	while (waitpid(mailer, &status, 0) == -1)
		if (errno != EINTR)
			_exit(127);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

/* Feed TEXT to COMMAND via /bin/sh -c on its stdin; CNT_OK if it exits 0.
 * A socket rather than a pipe, so a mailer that does not read cannot kill
 * us with SIGPIPE (send with MSG_NOSIGNAL). */
static int
mail_pipe(const char *command, const char *text, struct cnt_error *err)
{
	size_t	len = strlen(text), off = 0;
	ssize_t	n;
	pid_t	pid, parent = getpid();
	int	sv[2], status, devnull;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return cnt_error_set(err, CNT_E_INTERNAL, "socketpair: %s",
		    strerror(errno));
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return cnt_error_set(err, CNT_E_INTERNAL, "fork: %s",
		    strerror(errno));
	}
	if (pid == 0) {
		dup2(sv[1], STDIN_FILENO);
		if ((devnull = open("/dev/null", O_WRONLY)) != -1)
			dup2(devnull, STDOUT_FILENO);
		mail_guard(parent, sv);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	while (off < len) {
		n = send(sv[0], text + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* it stopped reading: see its status */
		off += (size_t)n;
	}
	close(sv[0]);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return cnt_error_set(err, CNT_E_INTERNAL, "waitpid: %s",
			    strerror(errno));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && off == len)
		return CNT_OK;
	if (WIFEXITED(status))
		return cnt_error_set(err, CNT_E_UNAVAILABLE,
		    "the mailer (%s) exited with status %d", command,
		    WEXITSTATUS(status));
	return cnt_error_set(err, CNT_E_UNAVAILABLE,
	    "the mailer (%s) was killed by signal %d", command,
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int
cnt_mail_send(struct cnt_ctx *ctx, int64_t outbox_id, struct cnt_error *err)
{
	char		id[CNT_I64BUF], why[256], *text;
	const char     *p[2] = { cnt_i64(id, outbox_id), NULL };
	PGresult       *res;
	bool		sent;
	int		rc;

	res = cnt_db_exec(ctx, err, "SELECT sent_at IS NOT NULL"
	    " FROM mail_outbox WHERE id = $1", 1, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return CNT_OK;	/* deleted with its booking: nothing to do */
	}
	sent = cnt_pg_bool(res, 0, 0);
	PQclear(res);
	if (sent)
		return CNT_OK;
	if (!cnt_mail_configured(&ctx->cfg, why, sizeof why)) {
		/* Not a failure: it stays in the outbox for a mailer. */
		log_info("event=mail_queued id=%s note=\"%s\"", id, why);
		return CNT_OK;
	}
	if (cnt_mail_render(ctx, outbox_id, &text, err) != CNT_OK)
		return CNT_ERR;
	rc = mail_pipe(ctx->cfg.mail_command, text, err);
	free(text);
	if (rc == CNT_OK) {
		res = cnt_db_exec(ctx, err, "UPDATE mail_outbox SET sent_at ="
		    " now(), attempts = attempts + 1, last_error = NULL"
		    " WHERE id = $1 AND sent_at IS NULL", 1, p);
		if (res == NULL)
			return CNT_ERR;
		PQclear(res);
		log_info("event=mail_sent id=%s", id);
		return CNT_OK;
	}
	p[1] = err->msg;
	res = cnt_db_exec(ctx, NULL, "UPDATE mail_outbox SET attempts ="
	    " attempts + 1, last_error = $2 WHERE id = $1", 2, p);
	PQclear(res);
	return CNT_ERR;
}
