/*
 * cli-report.c - `cinetty report revenue|occupancy --from DATE --to DATE
 * [--by film|theatre|day|showtime] [--csv]`: the reports of report.c as an
 * aligned table with a total line, or as CSV (no total line) for programs.
 * Money is printed in units with two decimals.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli-catalog.h"

#define REPORT_USAGE "usage: cinetty report revenue|occupancy --from YYYY-MM-DD" \
	" --to YYYY-MM-DD\n       [--by film|theatre|day|showtime] [--csv]\n"

static void
report_help(void)
{
	printf(REPORT_USAGE
	    "Revenue or occupancy of the showtimes that start in the range of\n"
	    "local days (both ends included), canceled showtimes left out.\n"
	    "  revenue    realized (completed, no-show and checked-in tickets),\n"
	    "             potential (other confirmed tickets), tickets sold and\n"
	    "             the average ticket price\n"
	    "  occupancy  seats sold of seats offered, in percent\n"
	    "--by day lists every day of the range (a daily series); the\n"
	    "default is --by film. --csv prints CSV without the total line.\n");
}

static void
revenue_row(struct cli_table *t, const struct cnt_report_row *r)
{
	char	shows[16], tickets[24], real[32], pot[32], tot[32], avg[32];

	snprintf(shows, sizeof shows, "%d", r->showtimes);
	snprintf(tickets, sizeof tickets, "%lld", (long long)r->tickets);
	cli_table_add(t, (const char *[]){ r->label, shows, tickets,
	    cli_money(real, r->realized_cents),
	    cli_money(pot, r->potential_cents),
	    cli_money(tot, r->realized_cents + r->potential_cents),
	    cli_money(avg, r->avg_price_cents) });
}

static void
occupancy_row(struct cli_table *t, const struct cnt_report_row *r)
{
	char	shows[16], sold[24], cap[24], pct[16];

	snprintf(shows, sizeof shows, "%d", r->showtimes);
	snprintf(sold, sizeof sold, "%lld", (long long)r->tickets);
	snprintf(cap, sizeof cap, "%lld", (long long)r->capacity);
	snprintf(pct, sizeof pct, "%.1f", r->occupancy);
	cli_table_add(t, (const char *[]){ r->label, shows, sold, cap, pct });
}

static int
report_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cnt_actor sys = CNT_ACTOR_SYSTEM;
	enum cnt_report_by by = CNT_REPORT_BY_FILM;
	const char     *from = NULL, *to = NULL;
	struct cnt_report r;
	struct cnt_error err;
	struct cli_table t;
	char		spec[128], head[16];
	bool		csv = false, revenue;
	size_t		i;
	int		ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:t:b:ch", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'b':
			if (cnt_report_by_parse(optarg, &by) != CNT_OK) {
				fprintf(stderr, "cinetty report: --by is film, "
				    "theatre, day or showtime\n");
				return CLI_USAGE;
			}
			break;
		case 'c':
			csv = true;
			break;
		case 'h':
			report_help();
			return CLI_OK;
		default:
			fputs(REPORT_USAGE, stderr);
			return CLI_USAGE;
		}
	}
	if (argc - optind != 1 || from == NULL || to == NULL ||
	    (strcmp(argv[optind], "revenue") != 0 &&
	    strcmp(argv[optind], "occupancy") != 0)) {
		fputs(REPORT_USAGE, stderr);
		return CLI_USAGE;
	}
	revenue = strcmp(argv[optind], "revenue") == 0;
	if (cnt_report_run(ctx, &sys, by, from, to, &r, &err) != CNT_OK)
		return cli_fail("report", &err);

	/* the first column is named for the grouping: FILM, DAY ... */
	for (i = 0; cnt_report_by_name(by)[i] != '\0' && i + 1 < sizeof head;
	    i++)
		head[i] = (char)(cnt_report_by_name(by)[i] - 'a' + 'A');
	head[i] = '\0';
	snprintf(spec, sizeof spec, revenue ?
	    "%s|SHOWS>|TICKETS>|REALIZED>|POTENTIAL>|TOTAL>|AVG PRICE>" :
	    "%s|SHOWS>|SOLD>|SEATS>|OCCUPANCY %%>", head);
	cli_table_init(&t, spec);
	for (i = 0; i < r.nrows; i++) {
		if (revenue)
			revenue_row(&t, &r.rows[i]);
		else
			occupancy_row(&t, &r.rows[i]);
	}
	if (!csv) {
		if (revenue)
			revenue_row(&t, &r.total);
		else
			occupancy_row(&t, &r.total);
	}
	cli_table_print(&t, stdout, csv);
	cli_table_free(&t);
	cnt_report_free(&r);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_report = {
	"report", "revenue and occupancy for a range of days", report_run
};
