/*
 * cli-status.c - `cinetty status [--prometheus]`: versions, database and
 * Redis reachability and latency, migrations, job queue, nodes and their
 * sessions, recent sales. --prometheus prints the same as Prometheus text
 * exposition for a node exporter's textfile collector. Exit status 1 when
 * the database or Redis is unreachable.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void
print_text(const struct cnt_status *st)
{
	size_t	i;

	printf("cinetty     %s\n", CNT_VERSION);
	if (st->db_ok)
		printf("database    ok, %.1f ms, PostgreSQL %s, %d migrations "
		    "(last %s)\n", st->db_ms, st->db_version, st->migrations,
		    st->last_migration);
	else
		printf("database    DOWN: %s\n", st->db_error);
	if (st->redis_ok)
		printf("redis       ok, %.1f ms, Redis %s\n", st->redis_ms,
		    st->redis_version != NULL ? st->redis_version : "?");
	else
		printf("redis       DOWN: %s\n", st->redis_error);
	if (st->jobs_ok)
		printf("jobs        %ld due, %ld scheduled, %ld in flight, %ld "
		    "dead; %ld mail unsent%s\n", st->jobs.due,
		    st->jobs.scheduled, st->jobs.inflight, st->jobs.dead,
		    st->jobs.mail_unsent, st->jobs.mailer_ok ? "" :
		    " (no mailer: mail stays queued)");
	else
		printf("jobs        unknown (needs the database and Redis)\n");
	printf("nodes       %zu\n", st->nnodes);
	for (i = 0; i < st->nnodes; i++)
		printf("  %-24s %d sessions\n", st->nodes[i].name,
		    st->nodes[i].sessions);
	if (st->db_ok)
		printf("bookings    %ld live holds (%ld seats); last hour: %ld "
		    "sales, %ld tickets, %ld.%02ld\n", st->live_holds,
		    st->held_seats, st->sales_last_hour, st->tickets_last_hour,
		    st->revenue_last_hour_cents / 100,
		    st->revenue_last_hour_cents % 100);
}

static void
metric(const char *name, const char *type, const char *help, double v)
{
	printf("# HELP cinetty_%s %s\n# TYPE cinetty_%s %s\ncinetty_%s %g\n",
	    name, help, name, type, name, v);
}

static void
print_prometheus(const struct cnt_status *st)
{
	size_t	i;

	metric("up", "gauge", "1 if the database and Redis answer",
	    st->db_ok && st->redis_ok);
	metric("database_up", "gauge", "1 if PostgreSQL answers", st->db_ok);
	metric("database_latency_seconds", "gauge",
	    "round trip of SELECT 1", st->db_ms / 1000);
	metric("redis_up", "gauge", "1 if Redis answers", st->redis_ok);
	metric("redis_latency_seconds", "gauge", "round trip of PING",
	    st->redis_ms / 1000);
	metric("migrations_applied", "gauge", "database migrations applied",
	    st->migrations);
	if (st->jobs_ok) {
		metric("jobs_due", "gauge", "jobs due now", st->jobs.due);
		metric("jobs_scheduled", "gauge", "jobs due later",
		    st->jobs.scheduled);
		metric("jobs_inflight", "gauge", "jobs claimed by a worker",
		    st->jobs.inflight);
		metric("jobs_dead", "gauge", "jobs given up on", st->jobs.dead);
		metric("mail_unsent", "gauge", "mail not sent yet",
		    st->jobs.mail_unsent);
	}
	metric("nodes", "gauge", "nodes with a recent heartbeat",
	    (double)st->nnodes);
	printf("# HELP cinetty_sessions open SSH sessions of a node\n"
	    "# TYPE cinetty_sessions gauge\n");
	for (i = 0; i < st->nnodes; i++)
		printf("cinetty_sessions{node=\"%s\"} %d\n", st->nodes[i].name,
		    st->nodes[i].sessions);
	metric("holds_live", "gauge", "holds not expired", st->live_holds);
	metric("seats_held", "gauge", "seats in live holds", st->held_seats);
	metric("sales_last_hour", "gauge", "bookings confirmed in the last hour",
	    st->sales_last_hour);
	metric("tickets_last_hour", "gauge", "tickets sold in the last hour",
	    st->tickets_last_hour);
	metric("revenue_last_hour_cents", "gauge",
	    "money taken in the last hour, cents", st->revenue_last_hour_cents);
}

static int
status_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prometheus", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cnt_actor system = CNT_ACTOR_SYSTEM;
	struct cnt_status st;
	struct cnt_error err;
	bool		prom = false;
	int		ch, rc;

	while ((ch = getopt_long(argc, argv, "ph", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			prom = true;
			break;
		case 'h':
			printf("usage: cinetty status [--prometheus]\n"
			    "Show versions, database and Redis health, "
			    "migrations, the job queue, nodes and their\n"
			    "sessions, and recent sales. --prometheus prints "
			    "Prometheus text exposition.\n");
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cinetty status [--prometheus]\n");
		return CLI_USAGE;
	}
	if (cnt_status_get(ctx, &system, &st, &err) != CNT_OK)
		return cli_fail("status", &err);
	if (prom)
		print_prometheus(&st);
	else
		print_text(&st);
	rc = st.db_ok && st.redis_ok ? CLI_OK : CLI_REFUSED;
	cnt_status_free(&st);
	return rc;
}

const struct cli_cmd cli_cmd_status = {
	"status", "health: database, Redis, jobs, nodes, recent sales",
	status_run
};
