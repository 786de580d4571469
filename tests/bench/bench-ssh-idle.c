/*
 * bench-ssh-idle.c - hold many idle SSH sessions open for `make bench`
 * (item 3: private memory per session), as cheaply for the client side as
 * possible: libssh sessions in a few processes instead of one `ssh` and
 * one pty per session, so what is measured is the server.
 *
 *   bench-ssh-idle PORT USER KEYFILE SESSIONS WORKERS POKE
 *
 * Each of WORKERS processes opens its share of SESSIONS to 127.0.0.1:PORT
 * one after another: key exchange forced to curve25519-sha256 (as the
 * `ssh` runs of bench-ssh.sh), public-key auth with KEYFILE, a session
 * channel, a pty (xterm, 80x24) and a shell; then it waits for the first
 * bytes the server sends (POKE=1: after writing one CR, for a server that
 * only echoes). Then the session is left idle. When every session is up
 * the program prints "ready=N failed=F seconds=S" and keeps them open until
 * its standard input reaches end of file; then it exits (the kernel closes
 * the connections).
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One session up to its first bytes; NULL on failure (reason on stderr). */
static ssh_session
open_one(int port, const char *user, ssh_key key, int poke)
{
	ssh_session	s;
	ssh_channel	ch = NULL;
	char		buf[4096];
	long		timeout = 60;
	int		off = 0, n;

	if ((s = ssh_new()) == NULL)
		return NULL;
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, user);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &off);
	ssh_options_set(s, SSH_OPTIONS_KEY_EXCHANGE, "curve25519-sha256");
	if (ssh_connect(s) != SSH_OK)
		goto fail;
	/* No known_hosts check: a throwaway server on loopback. */
	if (ssh_userauth_publickey(s, NULL, key) != SSH_AUTH_SUCCESS)
		goto fail;
	if ((ch = ssh_channel_new(s)) == NULL ||
	    ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_pty_size(ch, "xterm", 80, 24) != SSH_OK ||
	    ssh_channel_request_shell(ch) != SSH_OK)
		goto fail;
	if (poke && ssh_channel_write(ch, "\r", 1) != 1)
		goto fail;
	n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 30000);
	if (n <= 0)
		goto fail;
	return s;
fail:
	fprintf(stderr, "bench-ssh-idle: %s\n", ssh_get_error(s));
	if (ch != NULL)
		ssh_channel_free(ch);
	ssh_disconnect(s);
	ssh_free(s);
	return NULL;
}

/* A worker: open COUNT sessions, say how many worked on FD, then wait for
 * the parent to go. Never returns. */
static void
worker(int port, const char *user, const char *keyfile, int count, int poke,
    int fd)
{
	ssh_key		 key = NULL;
	ssh_session	*open = calloc((size_t)count, sizeof *open);
	int		 i, ok = 0;
	char		 c;

	if (open == NULL || ssh_pki_import_privkey_file(keyfile, NULL, NULL,
	    NULL, &key) != SSH_OK) {
		fprintf(stderr, "bench-ssh-idle: cannot read %s\n", keyfile);
		_exit(1);
	}
	for (i = 0; i < count; i++)
		if ((open[i] = open_one(port, user, key, poke)) != NULL)
			ok++;
	if (write(fd, &ok, sizeof ok) != (ssize_t)sizeof ok)
		_exit(1);
	/* Idle until the parent closes our end (or dies). */
	while (read(fd, &c, 1) > 0)
		;
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char	*user, *keyfile;
	pid_t		*pids;
	double		 t0;
	int		 port, sessions, workers, poke, i, n, ok = 0;
	int		 (*fds)[2];
	char		 c;

	if (argc != 7) {
		fprintf(stderr, "usage: bench-ssh-idle PORT USER KEYFILE "
		    "SESSIONS WORKERS POKE\n");
		return 2;
	}
	port = atoi(argv[1]);
	user = argv[2];
	keyfile = argv[3];
	sessions = atoi(argv[4]);
	workers = atoi(argv[5]);
	poke = atoi(argv[6]);
	if (port <= 0 || sessions <= 0 || workers <= 0 || workers > sessions) {
		fprintf(stderr, "bench-ssh-idle: bad arguments\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	ssh_init();
	pids = calloc((size_t)workers, sizeof *pids);
	fds = calloc((size_t)workers, sizeof *fds);
	if (pids == NULL || fds == NULL)
		return 1;
	t0 = now_s();
	for (i = 0; i < workers; i++) {
		/* A socket pair: the count comes back, the end goes out. */
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds[i]) == -1 ||
		    (pids[i] = fork()) == -1) {
			perror("bench-ssh-idle");
			return 1;
		}
		if (pids[i] == 0) {
			close(fds[i][0]);
			worker(port, user, keyfile, sessions / workers +
			    (i < sessions % workers), poke, fds[i][1]);
		}
		close(fds[i][1]);
	}
	for (i = 0; i < workers; i++)
		if (read(fds[i][0], &n, sizeof n) == (ssize_t)sizeof n)
			ok += n;
	printf("ready=%d failed=%d seconds=%.1f\n", ok, sessions - ok,
	    now_s() - t0);
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	for (i = 0; i < workers; i++)
		close(fds[i][0]);
	for (i = 0; i < workers; i++)
		waitpid(pids[i], NULL, 0);
	ssh_finalize();
	return 0;
}
