/*
 * cli-tui.c - `cinetty tui`: the app on the local terminal.
 *
 *   cinetty tui                      as a guest, at the welcome screen
 *   cinetty tui --user NAME          asks NAME's password first (counters)
 *   cinetty tui --script FILE [--size COLSxROWS]
 *                                    headless: keys from FILE, the final
 *                                    screen printed as text (tests)
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "tui.h"

static void
tui_usage(FILE *f)
{
	fprintf(f, "usage: cinetty tui [--user NAME] [--script FILE "
	    "[--size COLSxROWS]]\n"
	    "Run the app on this terminal: as a guest, or as NAME after "
	    "asking for the\npassword. --script feeds keys from FILE without "
	    "a terminal and prints the\nfinal screen (exit 1 if an `expect` "
	    "line failed).\n");
}

/*
 * Run the app; while it has the terminal, log lines that would go to that
 * same terminal (stderr) are dropped instead of drawn over the screen.
 */
static int
run_quiet(const struct tui_opts *o)
{
	struct stat		 se, so;
	enum cnt_loglevel	 level = CNT_LOG_INFO;
	FILE			*null = NULL;
	int			 rc;

	cnt_log_parse_level(o->cfg->log_level, &level);
	if (o->script == NULL && fstat(STDERR_FILENO, &se) == 0 &&
	    fstat(fileno(o->out), &so) == 0 && S_ISCHR(se.st_mode) &&
	    se.st_rdev == so.st_rdev && (null = fopen("/dev/null", "w")) != NULL)
		cnt_log_init(level, null);
	rc = tui_run(o);
	if (null != NULL) {
		cnt_log_init(level, NULL);
		fclose(null);
	}
	return rc;
}

static int
tui_cmd_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "script", required_argument, NULL, 's' },
		{ "size", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tui_opts	 o;
	int		 ch;
	char		 x;

	memset(&o, 0, sizeof o);
	o.cfg = cnt_ctx_config(ctx);
	o.in = stdin;
	o.out = stdout;
	o.peer = "local";
	o.local = true;
	o.script_cols = 100;
	o.script_rows = 30;
	while ((ch = getopt_long(argc, argv, "u:s:z:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			o.username = optarg;
			o.ask_password = true;
			break;
		case 's':
			o.script = optarg;
			break;
		case 'z':
			if (sscanf(optarg, "%dx%d%c", &o.script_cols,
			    &o.script_rows, &x) != 2 || o.script_cols < 10 ||
			    o.script_rows < 5 || o.script_cols > 500 ||
			    o.script_rows > 200) {
				fprintf(stderr, "cinetty tui: --size wants "
				    "COLSxROWS, like 100x30\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			tui_usage(stdout);
			return CLI_OK;
		default:
			tui_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		tui_usage(stderr);
		return CLI_USAGE;
	}
	return run_quiet(&o);
}

const struct cli_cmd cli_cmd_tui = {
	"tui", "run the app on this terminal (as a guest or --user NAME)",
	tui_cmd_run
};
