/* cli.h - what the `cinetty` subcommand files share. */
#ifndef CLI_H
#define CLI_H

#include "cinetty.h"

#define CLI_OK		0
#define CLI_REFUSED	1
#define CLI_USAGE	2

/*
 * One subcommand: a file tui/cli-NAME.c defines `const struct cli_cmd
 * cli_cmd_NAME` and cli.c lists it. RUN gets argv with argv[0] = NAME and
 * getopt's optind reset; it returns an exit status.
 */
struct cli_cmd {
	const char     *name;
	const char     *help;		/* one line for `cinetty -h` */
	int		(*run)(struct cnt_ctx *, int, char **);
};

extern const struct cli_cmd cli_cmd_migrate;
extern const struct cli_cmd cli_cmd_seed;
extern const struct cli_cmd cli_cmd_config;
extern const struct cli_cmd cli_cmd_status;
extern const struct cli_cmd cli_cmd_tui;
extern const struct cli_cmd cli_cmd_user;
extern const struct cli_cmd cli_cmd_film;
extern const struct cli_cmd cli_cmd_showtime;
extern const struct cli_cmd cli_cmd_report;
extern const struct cli_cmd cli_cmd_booking;
extern const struct cli_cmd cli_cmd_worker;
extern const struct cli_cmd cli_cmd_jobs;

const char     *cli_share_dir(const struct cnt_config *);
/* Terminal output without control characters from data (cli-safeout.c). */
void		cli_safe_output(void);
int		cli_fail(const char *what, const struct cnt_error *);
int		cli_dir_option(struct cnt_ctx *, int, char **,
		    const char *usage, const char *help, const char *subdir,
		    char **dir);

#endif
