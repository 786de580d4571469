/* cli-migrate.c - `cinetty migrate [--dir DIR]`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int
migrate_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cnt_error err;
	char	       *dir = NULL;
	int		ch, applied;

	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			free(dir);
			dir = xstrdup(optarg);
			break;
		case 'h':
			printf("usage: cinetty migrate [--dir DIR]\n"
			    "Apply the pending database migrations (DIR "
			    "defaults to SHARE/db).\n");
			free(dir);
			return CLI_OK;
		default:
			free(dir);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cinetty migrate [--dir DIR]\n");
		free(dir);
		return CLI_USAGE;
	}
	if (dir == NULL)
		dir = xasprintf("%s/db", cli_share_dir(cnt_ctx_config(ctx)));
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
