/*
 * cli-film.c - `cinetty film add|list|show|rm`: the film catalogue from the
 * server's shell, as CNT_ACTOR_SYSTEM (an admin); core applies every rule.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli-catalog.h"

struct film_cmd {
	const char     *name;
	const char     *args;
	const char     *help;
	int		(*run)(struct cnt_ctx *, int, char **);
};

static const struct film_cmd *film_lookup(const char *);

static void
film_cmd_usage(FILE *f, const struct film_cmd *c)
{
	fprintf(f, "usage: cinetty film %s%s%s\n", c->name,
	    c->args[0] != '\0' ? " " : "", c->args);
}

/* Help or usage for an option getopt_long did not take. */
static int
film_bad_option(int ch, const struct film_cmd *c)
{
	if (ch == 'h') {
		film_cmd_usage(stdout, c);
		printf("%s\n", c->help);
		return CLI_OK;
	}
	film_cmd_usage(stderr, c);
	return CLI_USAGE;
}

/* The film named by ARG: a number is an id, anything else a title. */
int
cli_film_find(struct cnt_ctx *ctx, const char *arg, struct cnt_film *f,
    struct cnt_error *err)
{
	char	       *end;
	long long	id = strtoll(arg, &end, 10);

	if (*arg != '\0' && *end == '\0' && id > 0 &&
	    cnt_film_get(ctx, id, f, err) == CNT_OK)
		return CNT_OK;
	if (cnt_film_by_title(ctx, arg, f, err) == CNT_OK)
		return CNT_OK;
	return cnt_error_set(err, CNT_E_NOTFOUND, "no film \"%s\" (give a "
	    "title or an id; `cinetty film list` shows them)", arg);
}

/* ------------------------------------------------------------------ */

static int
film_add(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runtime", required_argument, NULL, 'r' },
		{ "rating", required_argument, NULL, 'R' },
		{ "genre", required_argument, NULL, 'g' },
		{ "description", required_argument, NULL, 'd' },
		{ "poster", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const struct film_cmd *c = film_lookup("add");
	struct cnt_film_input in;
	struct cnt_error err;
	const char     *genres[10];
	char	       *end;
	int64_t		id;
	int		ch;

	memset(&in, 0, sizeof in);
	in.genres = genres;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "r:R:g:d:p:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			in.runtime_min = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0') {
				fprintf(stderr, "cinetty film add: --runtime is "
				    "minutes, e.g. 125\n");
				return CLI_USAGE;
			}
			break;
		case 'R':
			in.rating = optarg;
			break;
		case 'g':
			if (in.ngenres == 10) {
				fprintf(stderr, "cinetty film add: at most 10 "
				    "genres\n");
				return CLI_USAGE;
			}
			genres[in.ngenres++] = optarg;
			break;
		case 'd':
			in.description = optarg;
			break;
		case 'p':
			in.poster_url = optarg;
			break;
		default:
			return film_bad_option(ch, c);
		}
	}
	if (argc - optind != 1 || in.runtime_min == 0) {
		film_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	in.title = argv[optind];
	if (cnt_film_create(ctx, &sys, &in, &id, &err) != CNT_OK)
		return cli_fail("film add", &err);
	printf("film add: \"%s\" (id %lld) added\n", in.title, (long long)id);
	return CLI_OK;
}

static int
film_list(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct film_cmd *c = film_lookup("list");
	struct cli_table t;
	struct cnt_film *f;
	struct cnt_error err;
	char		spec[] = "ID>|TITLE|RATING|MINUTES>|GENRES|UPCOMING>";
	char		id[24], rt[16], up[16], *genres;
	size_t		n, i, j;
	bool		csv = false;
	int		ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "ch", opts, NULL)) != -1) {
		if (ch == 'c')
			csv = true;
		else
			return film_bad_option(ch, c);
	}
	if (argc - optind > 1) {
		film_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	if (cnt_film_list(ctx, argc > optind ? argv[optind] : NULL, &f, &n,
	    &err) != CNT_OK)
		return cli_fail("film list", &err);
	cli_table_init(&t, spec);
	for (i = 0; i < n; i++) {
		genres = xstrdup("");
		for (j = 0; j < f[i].ngenres; j++) {
			char *tmp = xasprintf("%s%s%s", genres, j > 0 ? ", " : "",
			    f[i].genres[j]);

			free(genres);
			genres = tmp;
		}
		snprintf(id, sizeof id, "%lld", (long long)f[i].id);
		snprintf(rt, sizeof rt, "%d", f[i].runtime_min);
		snprintf(up, sizeof up, "%d", f[i].upcoming);
		cli_table_add(&t, (const char *[]){ id, f[i].title, f[i].rating,
		    rt, genres, up });
		free(genres);
	}
	cli_table_print(&t, stdout, csv);
	cli_table_free(&t);
	cnt_films_free(f, n);
	return CLI_OK;
}

static int
film_show(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct film_cmd *c = film_lookup("show");
	struct cnt_film f;
	struct cnt_error err;
	size_t		j;
	int		ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return film_bad_option(ch, c);
	if (argc - optind != 1) {
		film_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	if (cli_film_find(ctx, argv[optind], &f, &err) != CNT_OK)
		return cli_fail("film show", &err);
	printf("id:          %lld\ntitle:       %s\nrating:      %s\n"
	    "runtime:     %d min\ngenres:      ", (long long)f.id, f.title,
	    f.rating, f.runtime_min);
	for (j = 0; j < f.ngenres; j++)
		printf("%s%s", j > 0 ? ", " : "", f.genres[j]);
	printf("\nposter:      %s\nupcoming:    %d showtime%s\n"
	    "description: %s\n", f.poster_url, f.upcoming,
	    f.upcoming == 1 ? "" : "s", f.description);
	cnt_film_free(&f);
	return CLI_OK;
}

static int
film_rm(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	const struct film_cmd *c = film_lookup("rm");
	struct cnt_film f;
	struct cnt_error err;
	int		ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return film_bad_option(ch, c);
	if (argc - optind != 1) {
		film_cmd_usage(stderr, c);
		return CLI_USAGE;
	}
	if (cli_film_find(ctx, argv[optind], &f, &err) != CNT_OK)
		return cli_fail("film rm", &err);
	rc = cnt_film_delete(ctx, &sys, f.id, &err);
	if (rc == CNT_OK)
		printf("film rm: \"%s\" deleted\n", f.title);
	cnt_film_free(&f);
	return rc == CNT_OK ? CLI_OK : cli_fail("film rm", &err);
}

static const struct film_cmd film_cmds[] = {
	{ "add", "--runtime MINUTES [--rating G|PG|PG-13|R|NC-17|NR]"
	    " [--genre NAME]... [--description TEXT] [--poster URL] TITLE",
	    "Add a film; missing genres are created. Titles are unique\n"
	    "ignoring case.", film_add },
	{ "list", "[--csv] [SEARCH]",
	    "List films whose title or a genre contains SEARCH (all without).",
	    film_list },
	{ "show", "TITLE|ID", "Show one film.", film_show },
	{ "rm", "TITLE|ID",
	    "Delete a film and its showtimes without bookings; refused while\n"
	    "an upcoming showtime has tickets sold or held, or when past\n"
	    "showtimes have bookings (kept for the reports).", film_rm },
};
#define NFILMCMDS (sizeof film_cmds / sizeof film_cmds[0])

static const struct film_cmd *
film_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < NFILMCMDS; i++)
		if (strcmp(film_cmds[i].name, name) == 0)
			return &film_cmds[i];
	return NULL;
}

static void
film_usage(FILE *f)
{
	size_t	i;

	for (i = 0; i < NFILMCMDS; i++)
		film_cmd_usage(f, &film_cmds[i]);
	fprintf(f, "`cinetty film COMMAND --help` describes a command.\n");
}

static int
film_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	const struct film_cmd *c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		film_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if ((c = film_lookup(argv[1])) == NULL) {
		fprintf(stderr, "cinetty film: unknown command \"%s\"\n",
		    argv[1]);
		film_usage(stderr);
		return CLI_USAGE;
	}
	return c->run(ctx, argc - 1, argv + 1);
}

const struct cli_cmd cli_cmd_film = {
	"film", "the film catalogue: add, list, show, rm", film_run
};
