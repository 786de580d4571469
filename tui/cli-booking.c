/*
 * cli-booking.c - `cinetty booking find|show|checkin|cancel`: the box
 * office's lookups from the server's shell. The operator acts as
 * CNT_ACTOR_SYSTEM; core applies the same rules as for staff (check-in
 * window, no cancel after the start).
 *
 * Exit status: 0 done, 1 refused or not found, 2 usage.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

struct booking_cmd {
	const char     *name;
	const char     *args;
	const char     *help;
	int		(*run)(struct cnt_ctx *, int, char **);
};

static const struct cnt_actor cli_actor = { 0, CNT_ROLE_ADMIN };

/* Show times in the cinema's zone, like every screen does. */
static void
booking_tz(struct cnt_ctx *ctx)
{
	const char *tz = cnt_ctx_config(ctx)->timezone;

	if (tz != NULL && tz[0] != '\0') {
		setenv("TZ", tz, 1);
		tzset();
	}
}

static void
fmt_time(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (t == 0) {
		cnt_strlcpy(buf, "-", len);
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* One line per booking: code, status, show, film, seats, who, total. */
static void
print_line(const struct cnt_booking *b)
{
	char	when[32];

	fmt_time(when, sizeof when, b->starts_at);
	printf("%s  %-9s  %s  %-24.24s  %-14.14s  %-20s  %-24.24s  %d.%02d\n",
	    b->code, cnt_booking_status_name(b->status), when, b->movie_title,
	    b->theatre_name, b->seats_text, b->customer_name,
	    b->total_cents / 100, b->total_cents % 100);
}

static void
print_booking(const struct cnt_booking *b)
{
	char	when[32], at[32];
	size_t	i;

	fmt_time(when, sizeof when, b->starts_at);
	printf("code:      %s\n", b->code);
	printf("status:    %s\n", cnt_booking_status_name(b->status));
	printf("show:      %s, %s, %s\n", b->movie_title, b->theatre_name, when);
	printf("customer:  %s%s%s%s\n", b->customer_name,
	    b->email[0] != '\0' ? " <" : "", b->email,
	    b->email[0] != '\0' ? ">" : "");
	printf("channel:   %s\n", b->channel);
	printf("total:     %d.%02d (%s %s%s%s)\n", b->total_cents / 100,
	    b->total_cents % 100, b->pay_method, b->pay_status,
	    b->card_last4[0] != '\0' ? ", card ending " : "", b->card_last4);
	if (b->refunded_cents > 0)
		printf("refunded:  %d.%02d\n", b->refunded_cents / 100,
		    b->refunded_cents % 100);
	for (i = 0; i < b->ntickets; i++) {
		const struct cnt_ticket *t = &b->tickets[i];

		fmt_time(at, sizeof at, t->checked_in_at);
		printf("ticket %" PRId64 ": %s%d %-10s %-8s %d.%02d %s%s%s\n",
		    t->id, t->row, t->number, cnt_seat_type_name(t->seat_type),
		    t->ticket_type, t->price_cents / 100, t->price_cents % 100,
		    t->status, t->checked_in_at != 0 ? ", checked in at " : "",
		    t->checked_in_at != 0 ? at : "");
	}
}

static int
booking_find(struct cnt_ctx *ctx, int argc, char **argv)
{
	struct cnt_booking *v;
	struct cnt_error err;
	size_t		n, i;

	(void)argc;
	if (cnt_bookings_lookup(ctx, &cli_actor, argv[optind], &v, &n, &err) !=
	    CNT_OK)
		return cli_fail("booking find", &err);
	for (i = 0; i < n; i++)
		print_line(&v[i]);
	if (n == 0)
		fprintf(stderr, "cinetty booking find: no booking matches"
		    " \"%s\"\n", argv[optind]);
	cnt_bookings_free(v, n);
	return n > 0 ? CLI_OK : CLI_REFUSED;
}

static int
booking_show(struct cnt_ctx *ctx, int argc, char **argv)
{
	struct cnt_booking b;
	struct cnt_error err;

	(void)argc;
	if (cnt_booking_get_by_code(ctx, &cli_actor, argv[optind], &b, &err) !=
	    CNT_OK)
		return cli_fail("booking show", &err);
	print_booking(&b);
	cnt_booking_free(&b);
	return CLI_OK;
}

static int
booking_checkin(struct cnt_ctx *ctx, int argc, char **argv)
{
	struct cnt_booking b;
	struct cnt_error err;
	int64_t	       *ids = NULL;
	size_t		n = 0;
	int		i;
	char	       *end;

	if (argc - optind > 1) {
		ids = xcalloc((size_t)(argc - optind), sizeof *ids);
		for (i = optind + 1; i < argc; i++) {
			ids[n++] = strtoll(argv[i], &end, 10);
			if (*end != '\0' || ids[n - 1] <= 0) {
				fprintf(stderr, "cinetty booking checkin: \"%s\""
				    " is not a ticket number\n", argv[i]);
				free(ids);
				return CLI_USAGE;
			}
		}
	}
	if (cnt_checkin(ctx, &cli_actor, argv[optind], ids, n, &b, &err) !=
	    CNT_OK) {
		free(ids);
		return cli_fail("booking checkin", &err);
	}
	free(ids);
	printf("checked in: %s\n", b.code);
	print_booking(&b);
	cnt_booking_free(&b);
	return CLI_OK;
}

static int
booking_cancel(struct cnt_ctx *ctx, int argc, char **argv)
{
	struct cnt_booking b, after;
	struct cnt_error err;
	const char     *reason = argc - optind > 1 ? argv[optind + 1] : NULL;

	if (cnt_booking_get_by_code(ctx, &cli_actor, argv[optind], &b, &err) !=
	    CNT_OK)
		return cli_fail("booking cancel", &err);
	if (cnt_booking_cancel(ctx, &cli_actor, b.id, reason, &after, &err) !=
	    CNT_OK) {
		cnt_booking_free(&b);
		return cli_fail("booking cancel", &err);
	}
	printf("canceled: %s, refunded %d.%02d\n", after.code,
	    after.refunded_cents / 100, after.refunded_cents % 100);
	cnt_booking_free(&b);
	cnt_booking_free(&after);
	return CLI_OK;
}

static const struct booking_cmd booking_cmds[] = {
	{ "find", "QUERY", "List bookings whose code is QUERY or whose"
	    " customer name, username or email contains it.", booking_find },
	{ "show", "CODE", "Show one booking with its tickets and payment.",
	    booking_show },
	{ "checkin", "CODE [TICKET]...", "Check a booking in (all tickets,"
	    " or the ticket numbers given), from checkin_open_minutes before"
	    " the start to the end of the show.", booking_checkin },
	{ "cancel", "CODE [REASON]", "Cancel a booking before its show"
	    " starts and refund it in full.", booking_cancel },
};
#define NBOOKING_CMDS (sizeof booking_cmds / sizeof booking_cmds[0])

static void
booking_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: cinetty booking COMMAND [ARGS]\n\n");
	for (i = 0; i < NBOOKING_CMDS; i++)
		fprintf(f, "  cinetty booking %s %s\n      %s\n",
		    booking_cmds[i].name, booking_cmds[i].args,
		    booking_cmds[i].help);
}

static int
booking_run(struct cnt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct booking_cmd *c = NULL;
	size_t		i;
	int		ch, min;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		booking_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (i = 0; i < NBOOKING_CMDS; i++)
		if (strcmp(argv[1], booking_cmds[i].name) == 0)
			c = &booking_cmds[i];
	if (c == NULL) {
		fprintf(stderr, "cinetty booking: unknown command \"%s\"\n",
		    argv[1]);
		booking_usage(stderr);
		return CLI_USAGE;
	}
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (ch == 'h') {
			printf("usage: cinetty booking %s %s\n%s\n", c->name,
			    c->args, c->help);
			return CLI_OK;
		}
		fprintf(stderr, "usage: cinetty booking %s %s\n", c->name,
		    c->args);
		return CLI_USAGE;
	}
	min = 1;
	if (argc - optind < min || (strchr(c->args, '.') == NULL &&
	    strchr(c->args, '[') == NULL && argc - optind > 1) ||
	    (strcmp(c->name, "cancel") == 0 && argc - optind > 2)) {
		fprintf(stderr, "usage: cinetty booking %s %s\n", c->name,
		    c->args);
		return CLI_USAGE;
	}
	booking_tz(ctx);
	return c->run(ctx, argc, argv);
}

const struct cli_cmd cli_cmd_booking = {
	"booking", "find, show, check in and cancel bookings", booking_run
};
