/* cli-migrate.c - `cinetty migrate [--dir DIR]`. */
#include <stdlib.h>

#include "cli.h"

static int
migrate_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	struct cnt_error err;
	char	       *dir;
	int		rc, applied;

	rc = cli_dir_option(ctx, argc, argv, "usage: cinetty migrate [--dir DIR]",
	    "Apply the pending database migrations (DIR defaults to "
	    "SHARE/db).\n", "db", &dir);
	if (rc != -1)
		return rc;
	if (cnt_migrate(ctx, dir, &applied, &err) != CNT_OK) {
		free(dir);
		return cli_fail("migrate", &err);
	}
	printf("migrate: %d migration%s applied\n", applied,
	    applied == 1 ? "" : "s");
	free(dir);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_migrate = {
	"migrate", "apply pending database migrations", migrate_run
};
