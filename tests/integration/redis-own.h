/*
 * redis-own.h - a private redis-server for the tests that stop, hang or
 * kill Redis (the shared one of tests/run.sh must stay up). Started on a
 * unix socket in CINETTY_TEST_TMP, in the foreground as our child so the
 * test can SIGSTOP, SIGCONT and SIGKILL it.
 */
#ifndef REDIS_OWN_H
#define REDIS_OWN_H

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "redis-internal.h"

struct own_redis {
	pid_t	pid;
	char	sock[256];
};

static inline int64_t
own_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void
own_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/* Can we connect to the socket? */
static inline int
own_redis_answers(const char *path)
{
	struct sockaddr_un sa;
	int	fd = socket(AF_UNIX, SOCK_STREAM, 0), ok;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path)
		return 0;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

/* Start (or restart on the same socket) a redis-server; waits until it
 * accepts connections. */
static inline void
own_redis_start(struct own_redis *r, const char *name)
{
	const char *tmp = getenv("CINETTY_TEST_TMP");
	int	    i;

	if (r->sock[0] == '\0')
		snprintf(r->sock, sizeof r->sock, "%s/%s.sock",
		    tmp != NULL ? tmp : "/tmp", name);
	unlink(r->sock);
	if ((r->pid = fork()) == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execlp("redis-server", "redis-server", "--port", "0",
		    "--unixsocket", r->sock, "--save", "", "--appendonly", "no",
		    (char *)NULL);
		_exit(127);
	}
	assert_true(r->pid > 0);
	for (i = 0; i < 100 && !own_redis_answers(r->sock); i++)
		own_sleep_ms(50);
	if (!own_redis_answers(r->sock))
		fail_msg("expected redis-server to answer on %s within 5 s",
		    r->sock);
}

/* Kill it hard (as a crash would) and reap it. */
static inline void
own_redis_kill(struct own_redis *r)
{
	if (r->pid <= 0)
		return;
	kill(r->pid, SIGCONT);
	kill(r->pid, SIGKILL);
	waitpid(r->pid, NULL, 0);
	r->pid = 0;
	unlink(r->sock);
}

/* cmocka setup: empty the shared test Redis so each test starts clean. */
static inline int
flush_redis(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct cnt_error err;
	redisReply     *r = cnt_redis_cmd(ctx, &err, "FLUSHDB", NULL);

	(void)state;
	if (r == NULL)
		fail_msg("FLUSHDB: %s", err.msg);
	freeReplyObject(r);
	cnt_ctx_free(ctx);
	return 0;
}

/* A context whose Redis is R, with CFG tweaks "key=value" (NULL-ended). */
static inline struct cnt_ctx *
own_ctx(const char *redis, const char *const *sets)
{
	struct cnt_config cfg;
	struct cnt_error err;
	struct cnt_ctx *ctx;

	test_config(&cfg);
	if (redis != NULL && cnt_config_set(&cfg, "redis", redis, "test",
	    &err) != CNT_OK)
		fail_msg("config: %s", err.msg);
	for (; sets != NULL && *sets != NULL; sets++)
		if (cnt_config_set_arg(&cfg, *sets, &err) != CNT_OK)
			fail_msg("config: %s", err.msg);
	ctx = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	return ctx;
}

#endif
