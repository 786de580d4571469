/*
 * bench-live.c - live update latency (item 4 of `make bench`), measured at
 * the core level: process A holds one seat of a showtime through
 * cnt_hold_seats, then releases it; process B (forked before any connection,
 * its own PostgreSQL and Redis connections) follows the showtime with
 * cnt_events, and on each event re-reads the seat map with cnt_seatmap_get
 * as the app does, then reports the free-seat count with a CLOCK_MONOTONIC
 * timestamp over a pipe. A change's latency: from just before A's core call
 * to B having the seat map that shows it. Drawing the screen is not
 * included (the TUI journey test times that through tmux).
 *
 *   bench-live CHANGES     (holds + releases, e.g. 200)
 *
 * Uses the bench data of tests/bench/run.sh (Bench Hall, bench0001).
 * Prints one "key=value" line: changes p50_ms p99_ms max_ms.
 *
 *   bench-live drive SHOW
 *
 * Process A alone, for the screen-level run of bench-live.sh (B is a real
 * `cinetty tui` on a pty there): for each line on stdin, "h" holds one
 * free seat of SHOW as bench0001 and "r" releases it; before each core
 * call it prints the CLOCK_MONOTONIC time in ms (python's
 * time.monotonic() is the same clock), after it "ok" or the error.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cinetty.h"
#include "bench-util.h"

#define MAX_CHANGES 2000

struct seen {
	double	at_ms;
	int	nfree;
};

static void
load_config(struct cnt_config *cfg)
{
	struct cnt_error err;

	cnt_config_init(cfg);
	if (cnt_config_load_env(cfg, &err) != CNT_OK) {
		fprintf(stderr, "bench-live: %s\n", err.msg);
		exit(2);
	}
}

/* Process B: follow SHOW, and after every event write what the seat map
 * shows to FD. Runs until killed. */
static void
watcher(int64_t show, int fd)
{
	struct cnt_config cfg;
	struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	struct cnt_error err;

	load_config(&cfg);
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);
	struct cnt_events *ev = cnt_events_open(ctx, show);
	for (;;) {
		struct pollfd pfd = { cnt_events_fd(ev), POLLIN, 0 };
		struct cnt_event e;

		poll(&pfd, pfd.fd >= 0 ? 1 : 0, cnt_events_timeout_ms(ev));
		while (cnt_events_next(ev, &e) == 1) {
			struct cnt_seatmap map;
			struct seen s;

			if (cnt_seatmap_get(ctx, &guest, show, &map, &err) != CNT_OK)
				continue;
			s.at_ms = now_ms();
			s.nfree = map.nfree;
			cnt_seatmap_free(&map);
			if (write(fd, &s, sizeof s) != (ssize_t)sizeof s)
				_exit(0);
		}
	}
}

/* One value of the first column of SQL. */
static int64_t
scalar(PGconn *pg, const char *sql)
{
	PGresult *res = PQexec(pg, sql);
	int64_t	v;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "bench-live: %s: %s", sql, PQerrorMessage(pg));
		exit(2);
	}
	v = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* Wait until B reports NFREE free seats; its timestamp, or -1 after 5 s. */
static double
wait_seen(int fd, int nfree)
{
	double	deadline = now_ms() + 5000;
	struct seen s;

	while (now_ms() < deadline) {
		struct pollfd pfd = { fd, POLLIN, 0 };

		if (poll(&pfd, 1, 100) == 1) {
			if (read(fd, &s, sizeof s) != (ssize_t)sizeof s)
				return -1;
			if (s.nfree == nfree)
				return s.at_ms;
		}
	}
	return -1;
}

/* A free seat of SHOW as the guest's seat map shows it (expired holds
 * are free) and, in *NFREE, the free-seat count; 0 with a message on
 * stderr when there is none. */
static int64_t
free_seat(struct cnt_ctx *ctx, int64_t show, int *nfree)
{
	struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	struct cnt_seatmap map;
	struct cnt_error err;
	int64_t	seat = 0;

	if (cnt_seatmap_get(ctx, &guest, show, &map, &err) != CNT_OK) {
		fprintf(stderr, "bench-live: seat map: %s\n", err.msg);
		return 0;
	}
	*nfree = map.nfree;
	for (size_t i = 0; i < map.nseats && seat == 0; i++)
		if (map.seats[i].state == CNT_SEAT_FREE)
			seat = map.seats[i].seat_id;
	cnt_seatmap_free(&map);
	if (seat == 0)
		fprintf(stderr, "bench-live: no free seat\n");
	return seat;
}

/* "bench-live drive SHOW": hold and release on command (see the top). */
static int
drive(int64_t show)
{
	struct cnt_config cfg;
	struct cnt_hold	hold;
	struct cnt_error err;
	char	line[16];
	int64_t	seat;
	int	nfree;
	bool	held = false;

	PGconn *pg = PQconnectdb("");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "bench-live: %s", PQerrorMessage(pg));
		return 2;
	}
	int64_t account = scalar(pg, "SELECT id FROM accounts WHERE username = 'bench0001'");
	PQfinish(pg);
	struct cnt_actor actor = { account, CNT_ROLE_CUSTOMER };

	load_config(&cfg);
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);
	if ((seat = free_seat(ctx, show, &nfree)) == 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof line, stdin) != NULL) {
		int rc;

		if (line[0] == 'h' && !held) {
			printf("%.3f\n", now_ms());
			rc = cnt_hold_seats(ctx, &actor, show, &seat, 1, &hold,
			    &err);
			held = rc == CNT_OK;
		} else if (line[0] == 'r' && held) {
			printf("%.3f\n", now_ms());
			rc = cnt_hold_release(ctx, &actor, hold.hold_id, &err);
			cnt_hold_free(&hold);
			held = false;
		} else {
			printf("0\n");
			rc = cnt_error_set(&err, CNT_E_INVALID, "bad command");
		}
		if (rc == CNT_OK)
			printf("ok\n");
		else
			printf("error %s\n", err.msg);
	}
	if (held) {
		cnt_hold_release(ctx, &actor, hold.hold_id, &err);
		cnt_hold_free(&hold);
	}
	cnt_ctx_free(ctx);
	cnt_config_free(&cfg);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "drive") == 0)
		return drive(atoll(argv[2]));

	int	changes = argc == 2 ? atoi(argv[1]) : 0;
	int	pfd[2];
	static double lat[MAX_CHANGES];

	if (changes < 2 || changes > MAX_CHANGES) {
		fprintf(stderr, "usage: bench-live CHANGES (2..%d)\n", MAX_CHANGES);
		return 2;
	}
	PGconn *pg = PQconnectdb("");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "bench-live: %s", PQerrorMessage(pg));
		return 2;
	}
	/* The last Bench Hall showtime: far ahead, untouched by the others. */
	int64_t show = scalar(pg, "SELECT max(s.id) FROM showtimes s JOIN theatres t"
	    " ON t.id = s.theatre_id WHERE t.name = 'Bench Hall'");
	int64_t account = scalar(pg, "SELECT id FROM accounts WHERE username = 'bench0001'");
	PQfinish(pg);

	if (pipe(pfd) != 0)
		return 2;
	pid_t	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(pfd[0]);
		watcher(show, pfd[1]);
		_exit(0);
	}
	close(pfd[1]);

	struct cnt_config cfg;
	struct cnt_actor actor = { account, CNT_ROLE_CUSTOMER };
	struct cnt_error err;
	int	n = 0, lost = 0;
	int64_t	seat;
	int	nfree;

	load_config(&cfg);
	struct cnt_ctx *ctx = cnt_ctx_new(&cfg);
	/* The baseline as B counts it, and a free seat: other benches may
	 * have left holds on this showtime. */
	if ((seat = free_seat(ctx, show, &nfree)) == 0)
		return 2;
	usleep(500 * 1000);			/* B subscribed */
	struct cnt_hold hold;
	for (int i = 0; i < changes; i++) {
		double	t0, t1;

		if (i % 2 == 0) {
			t0 = now_ms();
			if (cnt_hold_seats(ctx, &actor, show, &seat, 1, &hold,
			    &err) != CNT_OK) {
				fprintf(stderr, "bench-live: hold: %s\n", err.msg);
				break;
			}
			t1 = wait_seen(pfd[0], nfree - 1);
		} else {
			t0 = now_ms();
			if (cnt_hold_release(ctx, &actor, hold.hold_id, &err) != CNT_OK) {
				fprintf(stderr, "bench-live: release: %s\n", err.msg);
				break;
			}
			cnt_hold_free(&hold);
			t1 = wait_seen(pfd[0], nfree);
		}
		if (t1 < 0)
			lost++;
		else
			lat[n++] = t1 - t0;
	}
	cnt_ctx_free(ctx);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(pfd[0]);
	if (n == 0) {
		fprintf(stderr, "bench-live: B saw no change\n");
		return 2;
	}
	qsort(lat, (size_t)n, sizeof(double), cmp_double);
	printf("changes=%d lost=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", n, lost,
	    lat[n / 2], lat[(n * 99 + 99) / 100 - 1], lat[n - 1]);
	return 0;
}
