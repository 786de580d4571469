/*
 * ssh-abuse.c - a small libssh client that misbehaves on purpose, for
 * tests/e2e/test-ssh-abuse.sh (OpenSSH's client cannot be made to do
 * these things). It signs in as the guest user (auth "none") and then:
 *
 *   ssh-abuse PORT channels N      open N session channels at once
 *   ssh-abuse PORT pty COLS ROWS   a pty of that size, then the app
 *   ssh-abuse PORT env N BYTES     N env requests of BYTES each, then the app
 *   ssh-abuse PORT winch N         the app, then N window changes
 *   ssh-abuse PORT paste BYTES     the app's sign-up form, then a paste
 *   ssh-abuse PORT keys KEYS...    type each KEYS (2 s apart), copying
 *                                  the raw output to stdout
 *
 * It prints one line saying what happened ("channels opened=1000") and
 * exits 0 when the server answered as a server should (the app drew its
 * screen, the paste was refused with a message), 1 otherwise, 2 when it
 * could not even connect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>

/* Connected and signed in as the guest, or NULL. */
static ssh_session
guest_session(int port)
{
	ssh_session	s = ssh_new();
	long		timeout = 30;
	int		verbosity = SSH_LOG_NOLOG;

	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, "guest");
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &(int){ 0 });
	if (ssh_connect(s) != SSH_OK) {
		printf("connect failed: %s\n", ssh_get_error(s));
		ssh_free(s);
		return NULL;
	}
	if (ssh_userauth_none(s, NULL) != SSH_AUTH_SUCCESS) {
		printf("guest sign-in failed: %s\n", ssh_get_error(s));
		ssh_disconnect(s);
		ssh_free(s);
		return NULL;
	}
	return s;
}

/* Read from C until NEEDLE was seen or SECONDS passed; true if seen.
 * *TOTAL (may be NULL) gets the bytes read. */
static int
read_until(ssh_channel c, const char *needle, int seconds, size_t *total)
{
	static char	seen[1 << 16];
	size_t		have = 0, sum = 0;
	char		buf[8192];
	time_t		end = time(NULL) + seconds;
	int		n;

	while (time(NULL) < end) {
		n = ssh_channel_read_timeout(c, buf, sizeof buf, 0, 500);
		if (n == SSH_ERROR || (n == 0 && ssh_channel_is_eof(c)))
			break;
		if (n <= 0)
			continue;
		sum += (size_t)n;
		/* keep the last part of the stream to search in */
		if (have + (size_t)n > sizeof seen) {
			size_t keep = sizeof seen / 2;

			memmove(seen, seen + have - keep, keep);
			have = keep;
		}
		if ((size_t)n > sizeof seen - have)
			n = (int)(sizeof seen - have);
		memcpy(seen + have, buf, (size_t)n);
		have += (size_t)n;
		if (needle != NULL && memmem(seen, have, needle,
		    strlen(needle)) != NULL) {
			if (total != NULL)
				*total = sum;
			return 1;
		}
	}
	if (total != NULL)
		*total = sum;
	return 0;
}

/* A session channel with a pty of COLS x ROWS and the shell (the app). */
static ssh_channel
app_channel(ssh_session s, int cols, int rows)
{
	ssh_channel	c = ssh_channel_new(s);

	if (c == NULL || ssh_channel_open_session(c) != SSH_OK) {
		printf("channel open failed: %s\n", ssh_get_error(s));
		return NULL;
	}
	if (ssh_channel_request_pty_size(c, "xterm-256color", cols, rows) !=
	    SSH_OK)
		printf("pty request %dx%d refused\n", cols, rows);
	if (ssh_channel_request_shell(c) != SSH_OK) {
		printf("shell refused: %s\n", ssh_get_error(s));
		ssh_channel_free(c);
		return NULL;
	}
	return c;
}

static int
do_channels(ssh_session s, int n)
{
	ssh_channel	*ch = calloc((size_t)n, sizeof *ch);
	int		 i, opened = 0, live;

	for (i = 0; i < n; i++) {
		ch[i] = ssh_channel_new(s);
		if (ch[i] == NULL || ssh_channel_open_session(ch[i]) != SSH_OK)
			break;
		opened++;
	}
	live = ssh_is_connected(s);
	for (i = 0; i < n && ch[i] != NULL; i++)
		ssh_channel_free(ch[i]);
	free(ch);
	printf("channels asked=%d opened=%d connected=%d\n", n, opened, live);
	return 0;
}

static int
do_pty(ssh_session s, int cols, int rows)
{
	ssh_channel	c = app_channel(s, cols, rows);
	size_t		bytes = 0;
	int		drew;

	if (c == NULL)
		return 1;
	/* at 0x0 the daemon uses 80x24; at 10000x10000 the app draws */
	drew = read_until(c, "Welcome", 20, &bytes);
	if (getenv("SSH_ABUSE_DUMP") != NULL) {
		char buf[65536];
		int n = ssh_channel_read_timeout(c, buf, sizeof buf, 0, 1000);

		if (n > 0)
			fwrite(buf, 1, (size_t)n, stderr);
	}
	printf("pty %dx%d drew=%d bytes=%zu\n", cols, rows, drew, bytes);
	ssh_channel_write(c, "\003", 1);
	ssh_channel_free(c);
	return drew ? 0 : 1;
}

static int
do_env(ssh_session s, int n, int size)
{
	ssh_channel	c = ssh_channel_new(s);
	char	       *val = malloc((size_t)size + 1), name[32];
	int		i, refused = 0, drew;

	memset(val, 'v', (size_t)size);
	val[size] = '\0';
	if (c == NULL || ssh_channel_open_session(c) != SSH_OK)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "LC_ABUSE_%d", i);
		if (ssh_channel_request_env(c, name, val) != SSH_OK)
			refused++;
		if (!ssh_is_connected(s))
			break;
	}
	free(val);
	if (ssh_channel_request_pty_size(c, "xterm-256color", 100, 30) !=
	    SSH_OK || ssh_channel_request_shell(c) != SSH_OK) {
		printf("env requests=%d refused=%d then no shell: %s\n", i,
		    refused, ssh_get_error(s));
		return 1;
	}
	drew = read_until(c, "Welcome", 20, NULL);
	printf("env requests=%d bytes_each=%d refused=%d drew=%d\n", i, size,
	    refused, drew);
	ssh_channel_write(c, "\003", 1);
	ssh_channel_free(c);
	return drew ? 0 : 1;
}

static int
do_winch(ssh_session s, int n)
{
	ssh_channel	c = app_channel(s, 100, 30);
	int		i, ok;

	if (c == NULL || !read_until(c, "Welcome", 20, NULL))
		return 1;
	srand(42);
	for (i = 0; i < n; i++)
		if (ssh_channel_change_pty_size(c, rand() % 400,
		    rand() % 200) != SSH_OK)
			break;
	ssh_channel_change_pty_size(c, 100, 30);
	/* still answering: the sign-up screen opens */
	ssh_channel_write(c, "u", 1);
	ok = read_until(c, "Create an account", 60, NULL);
	printf("winch sent=%d then_responsive=%d\n", i, ok);
	ssh_channel_write(c, "\003", 1);
	ssh_channel_free(c);
	return ok ? 0 : 1;
}

static int
do_paste(ssh_session s, int size)
{
	ssh_channel	c = app_channel(s, 100, 30);
	char		chunk[4096];
	int		sent = 0, n, ok;
	time_t		start;

	if (c == NULL || !read_until(c, "Welcome", 20, NULL))
		return 1;
	ssh_channel_write(c, "u", 1);
	if (!read_until(c, "Create an account", 20, NULL))
		return 1;
	memset(chunk, 'x', sizeof chunk);
	start = time(NULL);
	while (sent < size) {
		n = size - sent < (int)sizeof chunk ? size - sent :
		    (int)sizeof chunk;
		if ((n = ssh_channel_write(c, chunk, (uint32_t)n)) <= 0)
			break;
		sent += n;
	}
	ok = read_until(c, "too long", 120, NULL);
	/* the app went through the whole paste: the next field takes text */
	ssh_channel_write(c, "\tpastedone", 10);
	ok = read_until(c, "pastedone", 180, NULL) && ok;
	printf("paste sent=%d seconds=%ld refused_with_message=%d\n", sent,
	    (long)(time(NULL) - start), ok);
	ssh_channel_write(c, "\003", 1);
	ssh_channel_free(c);
	return ok && sent == size ? 0 : 1;
}

/* Type each of KEYS[0..N) (a second apart) into the app and copy every
 * byte the server sends to stdout: what a terminal would receive. */
static int
do_keys(ssh_session s, char **keys, int n)
{
	ssh_channel	c = app_channel(s, 120, 40);
	char		buf[8192];
	int		i, r;
	time_t		end;

	if (c == NULL)
		return 1;
	for (i = -1; i < n; i++) {
		if (i >= 0)
			ssh_channel_write(c, keys[i], (uint32_t)strlen(keys[i]));
		for (end = time(NULL) + 2; time(NULL) < end;) {
			r = ssh_channel_read_timeout(c, buf, sizeof buf, 0, 200);
			if (r == SSH_ERROR || (r == 0 && ssh_channel_is_eof(c)))
				break;
			if (r > 0)
				fwrite(buf, 1, (size_t)r, stdout);
		}
	}
	ssh_channel_write(c, "\003", 1);
	ssh_channel_free(c);
	return 0;
}

int
main(int argc, char **argv)
{
	ssh_session	s;
	int		rc = 1, a, b;

	if (argc < 4) {
		fprintf(stderr, "usage: ssh-abuse PORT MODE ARGS...\n");
		return 2;
	}
	a = atoi(argv[3]);
	b = argc > 4 ? atoi(argv[4]) : 0;
	ssh_init();
	if ((s = guest_session(atoi(argv[1]))) == NULL)
		return 2;
	if (strcmp(argv[2], "channels") == 0)
		rc = do_channels(s, a);
	else if (strcmp(argv[2], "pty") == 0)
		rc = do_pty(s, a, b);
	else if (strcmp(argv[2], "env") == 0)
		rc = do_env(s, a, b);
	else if (strcmp(argv[2], "winch") == 0)
		rc = do_winch(s, a);
	else if (strcmp(argv[2], "paste") == 0)
		rc = do_paste(s, a);
	else if (strcmp(argv[2], "keys") == 0)
		rc = do_keys(s, argv + 3, argc - 3);
	else
		fprintf(stderr, "ssh-abuse: unknown mode %s\n", argv[2]);
	ssh_disconnect(s);
	ssh_free(s);
	ssh_finalize();
	return rc;
}
