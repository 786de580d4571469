/*
 * cli.c - `cinetty`, the command-line program: one table of subcommands.
 *
 * Global options come before the subcommand:
 *   -f FILE    read this cinetty.conf (default: $CINETTY_CONF, else
 *              /etc/cinetty/cinetty.conf if it exists)
 *   -o KEY=VAL override one config key (repeatable)
 * Exit status: 0 done, 1 refused or failed, 2 usage.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cinetty.h"
#include "cli.h"

static const struct cli_cmd *const cli_cmds[] = {
	&cli_cmd_migrate,
	&cli_cmd_seed,
	&cli_cmd_config,
	&cli_cmd_status,
	&cli_cmd_tui,
	&cli_cmd_user,
	&cli_cmd_film,
	&cli_cmd_showtime,
	&cli_cmd_report,
	&cli_cmd_booking,
	&cli_cmd_worker,
	&cli_cmd_jobs,
};
#define NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: cinetty [-f FILE] [-o KEY=VALUE]... COMMAND [ARGS]\n"
	    "\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cli_cmds[i]->name, cli_cmds[i]->help);
	fprintf(f, "\n`cinetty COMMAND --help` describes a command.\n");
}

/* The share folder: config, else ./db beside a source tree, else built in. */
const char *
cli_share_dir(const struct cnt_config *cfg)
{
	if (cfg->share_dir[0] != '\0')
		return cfg->share_dir;
	if (access("db/001_init.sql", R_OK) == 0)
		return ".";
	return CNT_SHAREDIR;
}

/*
 * The options of a command whose only option is --dir DIR (migrate, seed):
 * on success *DIR is the given folder or SHARE/SUBDIR (free it) and the
 * result is -1; otherwise the exit status to return (after --help, or on a
 * usage error, with *DIR NULL).
 */
int
cli_dir_option(struct cnt_ctx *ctx, int argc, char **argv, const char *usage,
    const char *help, const char *subdir, char **dir)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	*dir = NULL;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			free(*dir);
			*dir = xstrdup(optarg);
			break;
		case 'h':
			printf("%s\n%s", usage, help);
			free(*dir);
			*dir = NULL;
			return CLI_OK;
		default:
			free(*dir);
			*dir = NULL;
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s\n", usage);
		free(*dir);
		*dir = NULL;
		return CLI_USAGE;
	}
	if (*dir == NULL)
		*dir = xasprintf("%s/%s", cli_share_dir(cnt_ctx_config(ctx)),
		    subdir);
	return -1;
}

int
cli_fail(const char *what, const struct cnt_error *err)
{
	fprintf(stderr, "cinetty %s: %s\n", what, err->msg);
	return CLI_REFUSED;
}

int
main(int argc, char **argv)
{
	struct cnt_config	 cfg;
	struct cnt_error	 err;
	struct cnt_ctx		*ctx;
	enum cnt_loglevel	 level;
	const char		*conf = getenv("CINETTY_CONF");
	const char		*overrides[64];
	int			 noverrides = 0, ch, rc, i;
	size_t			 c;

	cnt_config_init(&cfg);
	while ((ch = getopt(argc, argv, "+f:o:hV")) != -1) {
		switch (ch) {
		case 'f':
			conf = optarg;
			break;
		case 'o':
			if (noverrides == 64) {
				fprintf(stderr, "cinetty: too many -o\n");
				return CLI_USAGE;
			}
			overrides[noverrides++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cinetty %s\n", CNT_VERSION);
			return 0;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return CLI_USAGE;
	}
	for (c = 0; c < NCMDS; c++)
		if (strcmp(argv[0], cli_cmds[c]->name) == 0)
			break;
	if (c == NCMDS) {
		fprintf(stderr, "cinetty: unknown command \"%s\"\n", argv[0]);
		usage(stderr);
		return CLI_USAGE;
	}

	if (conf == NULL && access("/etc/cinetty/cinetty.conf", R_OK) == 0)
		conf = "/etc/cinetty/cinetty.conf";
	if ((conf != NULL && cnt_config_load_file(&cfg, conf, &err) != CNT_OK) ||
	    cnt_config_load_env(&cfg, &err) != CNT_OK) {
		fprintf(stderr, "cinetty: %s\n", err.msg);
		cnt_config_free(&cfg);
		return CLI_REFUSED;
	}
	for (i = 0; i < noverrides; i++) {
		if (cnt_config_set_arg(&cfg, overrides[i], &err) != CNT_OK) {
			fprintf(stderr, "cinetty: %s\n", err.msg);
			cnt_config_free(&cfg);
			return CLI_USAGE;
		}
	}
	if (cnt_log_parse_level(cfg.log_level, &level) == CNT_OK)
		cnt_log_init(level, stderr);

	ctx = cnt_ctx_new(&cfg);
	optind = 1;
	if (cli_cmds[c] != &cli_cmd_tui)	/* the app draws safely itself */
		cli_safe_output();
	rc = cli_cmds[c]->run(ctx, argc, argv);
	cnt_ctx_free(ctx);
	cnt_config_free(&cfg);
	return rc;
}
