/* cli-seed.c - `cinetty seed [--dir DIR]`: load the demo data. */
#include <stdlib.h>

#include "cli.h"

static int
seed_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	struct cnt_seed_report rep;
	struct cnt_error err;
	char	       *dir;
	int		rc;

	rc = cli_dir_option(ctx, argc, argv, "usage: cinetty seed [--dir DIR]",
	    "Load the demo data (accounts, films, theatres, showtimes from "
	    "today to 13 days ahead, sales\nfor the past days). Safe to run "
	    "again: it adds only what is missing. DIR defaults to SHARE/seed.\n"
	    "The admin's password is CINETTY_ADMIN_PASSWORD, else generated "
	    "and printed once.\n", "seed", &dir);
	if (rc != -1)
		return rc;
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
