/*
 * cli-showtime.c - `cinetty showtime add|list|cancel`: the schedule from
 * the server's shell, as CNT_ACTOR_SYSTEM. Times are wall-clock times in
 * the cinema's zone (config `timezone`).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli-catalog.h"

struct showtime_cmd {
	const char     *name;
	const char     *args;
	const char     *help;
	int		(*run)(struct cnt_ctx *, int, char **);
};

static const struct showtime_cmd *showtime_lookup(const char *);

static void
st_cmd_usage(FILE *f, const struct showtime_cmd *c)
{
	fprintf(f, "usage: cinetty showtime %s%s%s\n", c->name,
	    c->args[0] != '\0' ? " " : "", c->args);
}

static int
st_bad_option(int ch, const struct showtime_cmd *c)
{
	if (ch == 'h') {
		st_cmd_usage(stdout, c);
		printf("%s\n", c->help);
		return CLI_OK;
	}
	st_cmd_usage(stderr, c);
	return CLI_USAGE;
}

/* The theatre named by ARG: a number is an id, anything else a name. */
int
cli_theatre_find(struct cnt_ctx *ctx, const char *arg, struct cnt_theatre *t,
    struct cnt_error *err)
{
	char	       *end;
	long long	id = strtoll(arg, &end, 10);

	if (*arg != '\0' && *end == '\0' && id > 0 &&
	    cnt_theatre_get(ctx, id, t, err) == CNT_OK)
		return CNT_OK;
	if (cnt_theatre_by_name(ctx, arg, t, err) == CNT_OK)
		return CNT_OK;
	return cnt_error_set(err, CNT_E_NOTFOUND, "no theatre \"%s\"", arg);
}

static int
showtime_add(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "film", required_argument, NULL, 'f' },
		{ "theatre", required_argument, NULL, 't' },
		{ "start", required_argument, NULL, 's' },
		{ "price", required_argument, NULL, 'p' },
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const struct showtime_cmd *c = showtime_lookup("add");
	const char     *film = NULL, *theatre = NULL, *start = NULL;
	struct cnt_showtime_input in;
	struct cnt_film f;
	struct cnt_theatre t;
	struct cnt_showtime s;
	struct cnt_error err;
	long long	price = -1;
	int64_t	       *ids;
	char	       *end;
	int		ch, days = 1, rc, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:t:s:p:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			film = optarg;
			break;
		case 't':
			theatre = optarg;
			break;
		case 's':
			start = optarg;
			break;
		case 'p':
			if ((price = cli_parse_money(optarg)) < 0) {
				fprintf(stderr, "cinetty showtime add: --price is"
				    " an amount such as 12.50\n");
				return CLI_USAGE;
			}
			break;
		case 'd':
			days = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || days < 1) {
				fprintf(stderr, "cinetty showtime add: --days is"
				    " a number of days, 1 or more\n");
				return CLI_USAGE;
			}
			break;
		default:
			return st_bad_option(ch, c);
		}
	}
	if (optind != argc || film == NULL || theatre == NULL ||
	    start == NULL || price < 0) {
		st_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	memset(&in, 0, sizeof in);
	if (cli_film_find(ctx, film, &f, &err) != CNT_OK)
		return cli_fail("showtime add", &err);
	in.film_id = f.id;
	cnt_film_free(&f);
	if (cli_theatre_find(ctx, theatre, &t, &err) != CNT_OK)
		return cli_fail("showtime add", &err);
	in.theatre_id = t.id;
	cnt_theatre_free(&t);
	if (cnt_local_time(ctx, start, &in.starts_at, &err) != CNT_OK)
		return cli_fail("showtime add", &err);
	in.base_price_cents = price > 1000000 ? 1000001 : (int)price;
	ids = xcalloc((size_t)days, sizeof *ids);
	rc = cnt_showtime_repeat(ctx, &sys, &in, days, ids, &err);
	if (rc != CNT_OK) {
		free(ids);
		return cli_fail("showtime add", &err);
	}
	for (i = 0; i < days; i++) {
		if (cnt_showtime_get(ctx, ids[i], &s, &err) != CNT_OK) {
			free(ids);
			return cli_fail("showtime add", &err);
		}
		printf("showtime add: %lld  %s-%s  %s  %s\n", (long long)s.id,
		    s.local_start, s.local_end + 11, s.film_title,
		    s.theatre_name);
		cnt_showtime_free(&s);
	}
	free(ids);
	return CLI_OK;
}

static int
showtime_list(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'D' },
		{ "film", required_argument, NULL, 'f' },
		{ "theatre", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct showtime_cmd *c = showtime_lookup("list");
	struct cnt_showtime_filter flt;
	struct cnt_showtime *s;
	struct cnt_film f;
	struct cnt_theatre t;
	struct cnt_error err;
	struct cli_table tab;
	char		spec[] = "ID>|START|END|FILM|THEATRE|PRICE>|SOLD>|HELD>"
	    "|SEATS>|STATUS";
	char		id[24], price[32], sold[16], held[16], cap[16];
	const char     *film = NULL, *theatre = NULL;
	bool		csv = false;
	size_t		n, i;
	int		ch;

	memset(&flt, 0, sizeof flt);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "D:f:t:ach", opts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			flt.date = optarg;
			break;
		case 'f':
			film = optarg;
			break;
		case 't':
			theatre = optarg;
			break;
		case 'a':
			flt.include_canceled = true;
			break;
		case 'c':
			csv = true;
			break;
		default:
			return st_bad_option(ch, c);
		}
	}
	if (optind != argc) {
		st_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	if (film != NULL) {
		if (cli_film_find(ctx, film, &f, &err) != CNT_OK)
			return cli_fail("showtime list", &err);
		flt.film_id = f.id;
		cnt_film_free(&f);
	}
	if (theatre != NULL) {
		if (cli_theatre_find(ctx, theatre, &t, &err) != CNT_OK)
			return cli_fail("showtime list", &err);
		flt.theatre_id = t.id;
		cnt_theatre_free(&t);
	}
	if (flt.date == NULL)
		flt.from = time(NULL);	/* upcoming */
	if (cnt_showtime_list(ctx, &flt, &s, &n, &err) != CNT_OK)
		return cli_fail("showtime list", &err);
	cli_table_init(&tab, spec);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)s[i].id);
		snprintf(sold, sizeof sold, "%d", s[i].sold);
		snprintf(held, sizeof held, "%d", s[i].held);
		snprintf(cap, sizeof cap, "%d", s[i].capacity);
		cli_table_add(&tab, (const char *[]){ id, s[i].local_start,
		    s[i].local_end + 11, s[i].film_title, s[i].theatre_name,
		    cli_money(price, s[i].base_price_cents), sold, held, cap,
		    s[i].status });
	}
	cli_table_print(&tab, stdout, csv);
	cli_table_free(&tab);
	cnt_showtimes_free(s, n);
	return CLI_OK;
}

static int
showtime_cancel(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const struct showtime_cmd *c = showtime_lookup("cancel");
	struct cnt_error err;
	char	       *end;
	long long	id;
	int		ch, refunded = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return st_bad_option(ch, c);
	if (argc - optind != 1) {
		st_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	id = strtoll(argv[optind], &end, 10);
	if (*argv[optind] == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "cinetty showtime cancel: \"%s\" is not a "
		    "showtime id (see `cinetty showtime list`)\n", argv[optind]);
		return CLI_USAGE;
	}
	if (cnt_showtime_cancel(ctx, &sys, id, &refunded, &err) != CNT_OK)
		return cli_fail("showtime cancel", &err);
	printf("showtime cancel: showtime %lld canceled, %d booking%s "
	    "refunded\n", id, refunded, refunded == 1 ? "" : "s");
	return CLI_OK;
}

static const struct showtime_cmd showtime_cmds[] = {
	{ "add", "--film TITLE|ID --theatre NAME|ID --start 'YYYY-MM-DD HH:MM'"
	    " --price AMOUNT [--days N]",
	    "Schedule a film. The end is the runtime plus trailer_minutes;\n"
	    "the theatre stays busy cleaning_minutes longer. Overlaps and\n"
	    "times in the past are refused. --days N repeats it at the same\n"
	    "time on N consecutive days (all or none).", showtime_add },
	{ "list", "[--date YYYY-MM-DD] [--film TITLE|ID] [--theatre NAME|ID]"
	    " [--all] [--csv]",
	    "List the showtimes of a day, or the upcoming ones without --date;\n"
	    "--all includes canceled ones.", showtime_list },
	{ "cancel", "ID",
	    "Cancel a showtime that has not started: its bookings are\n"
	    "canceled and refunded.", showtime_cancel },
};
#define NSTCMDS (sizeof showtime_cmds / sizeof showtime_cmds[0])

static const struct showtime_cmd *
showtime_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < NSTCMDS; i++)
		if (strcmp(showtime_cmds[i].name, name) == 0)
			return &showtime_cmds[i];
	return NULL;
}

static void
showtime_usage(FILE *f)
{
	size_t	i;

	for (i = 0; i < NSTCMDS; i++)
		st_cmd_usage(f, &showtime_cmds[i]);
	fprintf(f, "`cinetty showtime COMMAND --help` describes a command.\n");
}

static int
showtime_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct showtime_cmd *c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		showtime_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if ((c = showtime_lookup(argv[1])) == NULL) {
		fprintf(stderr, "cinetty showtime: unknown command \"%s\"\n",
		    argv[1]);
		showtime_usage(stderr);
		return CLI_USAGE;
	}
	return c->run(ctx, argc - 1, argv + 1);
}

const struct cli_cmd cli_cmd_showtime = {
	"showtime", "the schedule: add, list, cancel", showtime_run
};
