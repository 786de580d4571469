/* cli-worker.c - `cinetty worker [--sweep]`: run the job worker. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define WORKER_USAGE "usage: cinetty worker [--sweep]\n"

static int
worker_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sweep", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cnt_sweep_report rep;
	struct cnt_error err;
	int		ch, sweep = 0;

	while ((ch = getopt_long(argc, argv, "sh", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			sweep = 1;
			break;
		case 'h':
			printf(WORKER_USAGE
			    "Run the job worker until SIGTERM or SIGINT: hold "
			    "expiry, showtime\ncompletion and mail, plus a "
			    "sweep of the database every sweep_seconds.\n"
			    "  --sweep   sweep the database once, print what "
			    "was done, exit\n");
			return CLI_OK;
		default:
			fprintf(stderr, WORKER_USAGE);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, WORKER_USAGE);
		return CLI_USAGE;
	}
	if (sweep) {
		if (cnt_jobs_sweep(ctx, &rep, &err) != CNT_OK)
			return cli_fail("worker", &err);
		printf("sweep: %d seats of expired holds released, %d bookings"
		    " completed, %d mails queued, %d mails sent\n",
		    rep.holds_released, rep.bookings_completed,
		    rep.mail_queued, rep.mail_sent);
		return CLI_OK;
	}
	return cnt_worker_main(cnt_ctx_config(ctx)) == 0 ? CLI_OK :
	    CLI_REFUSED;
}

const struct cli_cmd cli_cmd_worker = {
	"worker", "run the job worker (hold expiry, completion, mail)",
	worker_run
};
