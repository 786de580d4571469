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
	return tui_run(&o);
}

const struct cli_cmd cli_cmd_tui = {
	"tui", "run the app on this terminal (as a guest or --user NAME)",
	tui_cmd_run
};
