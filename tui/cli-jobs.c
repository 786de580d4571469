/* cli-jobs.c - `cinetty jobs [list|retry ID|drop ID]`: the job queue. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define JOBS_USAGE "usage: cinetty jobs [list | retry ID | drop ID]\n"

static void
jobs_when(int64_t ms, char *buf, size_t len)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
}

/* Print the jobs in STATE under a heading; CNT_ERR with ERR on failure. */
static int
jobs_print(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    enum cnt_job_state state, const char *heading, struct cnt_error *err)
{
	struct cnt_job *jobs;
	size_t		n, i;
	char		when[32];

	if (cnt_jobs_list(ctx, actor, state, 50, &jobs, &n, err) != CNT_OK)
		return CNT_ERR;
	if (n > 0)
		printf("\n%s:\n", heading);
	for (i = 0; i < n; i++) {
		jobs_when(jobs[i].at_ms, when, sizeof when);
		printf("  %-32s %s  attempts %d%s%s\n", jobs[i].id, when,
		    jobs[i].attempts, jobs[i].last_error[0] != '\0' ?
		    "  last error: " : "", jobs[i].last_error);
	}
	cnt_jobs_free(jobs, n);
	return CNT_OK;
}

static int
jobs_list(struct cnt_ctx *ctx, const struct cnt_actor *actor)
{
	struct cnt_jobs_status st;
	struct cnt_error err;

	if (cnt_jobs_status(ctx, actor, &st, &err) != CNT_OK)
		return cli_fail("jobs", &err);
	printf("queued:    %ld due now, %ld later\n", st.due, st.scheduled);
	printf("in flight: %ld\n", st.inflight);
	printf("dead:      %ld\n", st.dead);
	printf("mail:      %ld unsent; %s%s\n", st.mail_unsent,
	    st.mailer_ok ? "mailer: " : "", st.mailer);
	if (jobs_print(ctx, actor, CNT_JOB_INFLIGHT, "in flight (lease ends)",
	    &err) != CNT_OK ||
	    jobs_print(ctx, actor, CNT_JOB_DEAD, "dead letters (died)",
	    &err) != CNT_OK ||
	    jobs_print(ctx, actor, CNT_JOB_QUEUED, "queued (due)",
	    &err) != CNT_OK)
		return cli_fail("jobs", &err);
	return CLI_OK;
}

static int
jobs_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct cnt_actor actor = CNT_ACTOR_SYSTEM;
	struct cnt_error err;
	const char     *sub;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		printf(JOBS_USAGE
		    "  list       queue depth, jobs in flight, dead letters, "
		    "unsent mail\n"
		    "  retry ID   put a dead job (\"kind:key\") back on the "
		    "queue\n"
		    "  drop ID    forget a dead job\n");
		return CLI_OK;
	}
	sub = argc >= 2 ? argv[1] : "list";
	if (strcmp(sub, "list") == 0 && argc <= 2)
		return jobs_list(ctx, &actor);
	if (strcmp(sub, "retry") == 0 && argc == 3) {
		if (cnt_jobs_retry(ctx, &actor, argv[2], &err) != CNT_OK)
			return cli_fail("jobs retry", &err);
		printf("jobs: %s queued again\n", argv[2]);
		return CLI_OK;
	}
	if (strcmp(sub, "drop") == 0 && argc == 3) {
		if (cnt_jobs_drop(ctx, &actor, argv[2], &err) != CNT_OK)
			return cli_fail("jobs drop", &err);
		printf("jobs: %s dropped\n", argv[2]);
		return CLI_OK;
	}
	fprintf(stderr, JOBS_USAGE);
	return CLI_USAGE;
}

const struct cli_cmd cli_cmd_jobs = {
	"jobs", "job queue: depth, in flight, dead letters; retry or drop",
	jobs_run
};
