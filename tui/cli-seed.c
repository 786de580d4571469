/* cli-seed.c - `cinetty seed [--dir DIR]`: load the demo data. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

static int
seed_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cnt_seed_report rep;
	struct cnt_error err;
	char	       *dir = NULL;
	int		ch;

	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			free(dir);
			dir = xstrdup(optarg);
			break;
		case 'h':
			printf("usage: cinetty seed [--dir DIR]\n"
			    "Load the demo data (accounts, films, theatres, "
			    "showtimes from today to 13 days ahead, sales\n"
			    "for the past days). Safe to run again: it adds "
			    "only what is missing. DIR defaults to SHARE/seed.\n"
			    "The admin's password is CINETTY_ADMIN_PASSWORD, "
			    "else generated and printed once.\n");
			free(dir);
			return CLI_OK;
		default:
			free(dir);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cinetty seed [--dir DIR]\n");
		free(dir);
		return CLI_USAGE;
	}
	if (dir == NULL)
		dir = xasprintf("%s/seed", cli_share_dir(cnt_ctx_config(ctx)));
	if (cnt_seed(ctx, dir, &rep, &err) != CNT_OK) {
		free(dir);
		return cli_fail("seed", &err);
	}
	printf("seed: added %d accounts, %d films, %d theatres, %d showtimes,"
	    " %d past bookings\n", rep.accounts, rep.films, rep.theatres,
	    rep.showtimes, rep.bookings);
	if (rep.admin_password != NULL)
		printf("seed: admin password (shown once): %s\n",
		    rep.admin_password);
	free(rep.admin_password);
	free(dir);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_seed = {
	"seed", "load demo data (idempotent)", seed_run
};
