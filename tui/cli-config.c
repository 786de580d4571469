/*
 * cli-config.c - `cinetty config check|show|example`.
 *
 * check: the configuration was read without error (main already loaded
 * it); show: every key's effective value; example: an annotated
 * cinetty.conf with every key at its default (contrib/cinetty.conf.example
 * is this output).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
config_usage(FILE *f)
{
	fprintf(f, "usage: cinetty config check|show|example\n"
	    "  check    read the configuration (-f FILE, environment, -o) and"
	    " report errors\n"
	    "  show     print the value of every key in effect\n"
	    "  example  print an annotated cinetty.conf with every default\n");
}

static int
config_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct cnt_config_key *keys;
	size_t		n, i;

	if (argc != 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		config_usage(argc == 2 ? stdout : stderr);
		return argc == 2 ? CLI_OK : CLI_USAGE;
	}
	keys = cnt_config_keys(&n);
	if (strcmp(argv[1], "check") == 0) {
		printf("configuration ok\n");
		return CLI_OK;
	}
	if (strcmp(argv[1], "show") == 0) {
		for (i = 0; i < n; i++) {
			char *v = cnt_config_get(cnt_ctx_config(ctx),
			    keys[i].name);

			/* never print a secret */
			if (strstr(keys[i].name, "password") != NULL && *v)
				printf("%-26s = (set)\n", keys[i].name);
			else
				printf("%-26s = %s\n", keys[i].name, v);
			free(v);
		}
		return CLI_OK;
	}
	if (strcmp(argv[1], "example") == 0) {
		printf("# cinetty.conf - every key with its default value.\n"
		    "# Format: key = value, # starts a comment. Environment"
		    " variables\n# CINETTY_<KEY> and -o key=value override the"
		    " file. See cinetty.conf(5).\n");
		for (i = 0; i < n; i++)
			printf("\n# %s (%s)\n#%s = %s\n", keys[i].help,
			    keys[i].type, keys[i].name, keys[i].def);
		return CLI_OK;
	}
	config_usage(stderr);
	return CLI_USAGE;
}

const struct cli_cmd cli_cmd_config = {
	"config", "check, show or print an example configuration", config_run
};
