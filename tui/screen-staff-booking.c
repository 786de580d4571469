/*
 * screen-staff-booking.c - one booking at the counter: who, what, its
 * tickets and payment, and what staff may do with it: check in (all seats,
 * or those picked with Space), cancel and refund (until the start), mark a
 * no-show (after the start), and show the ticket again (the code large).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct bview {
	int64_t			 id;
	struct cnt_booking	 b;
	bool			 have;
	bool			*picked;	/* by ticket */
	struct ui_list		 list;		/* over the tickets */
	bool			 show_ticket;
};

static const struct help bview_help[] = {
	{ "i", "check in", true },
	{ "Space", "pick a ticket (check in some)", false },
	{ "x", "cancel and refund", true },
	{ "n", "no-show", true },
	{ "t", "show the ticket", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static int
bview_load(struct app *a, struct bview *v)
{
	struct cnt_booking	b;
	struct cnt_error	err;

	memset(&b, 0, sizeof b);
	if (cnt_booking_get(a->ctx, &a->actor, v->id, &b, &err) != CNT_OK) {
		office_fail(a, &err);
		cnt_booking_free(&b);
		return -1;
	}
	if (v->have)
		cnt_booking_free(&v->b);
	v->b = b;
	v->have = true;
	free(v->picked);
	v->picked = xcalloc(b.ntickets + 1, sizeof *v->picked);
	v->list.n = (int)b.ntickets;
	ui_list_scroll(&v->list, 10);
	return 0;
}

static void *
bview_enter(struct app *a, void *arg)
{
	struct bview *v;

	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	v = xcalloc(1, sizeof *v);
	v->id = OFFICE_ID(arg);
	if (bview_load(a, v) != 0) {
		free(v);
		return NULL;
	}
	return v;
}

static void
bview_draw(struct app *a, void *p)
{
	struct bview		*v = p;
	struct cnt_booking	*b = &v->b;
	struct cnt_ticket	*t;
	char			 when[32], money[32], in[8];
	int			 y = 2, i;
	enum role		 r;

	ui_textf(a, y++, 2, COLS - 4, R_HEADING, "Booking %s   %s", b->code,
	    cnt_booking_status_name(b->status));
	if (v->show_ticket) {
		ui_big(a, y + 1, 4, b->code);
		y += 7;
	}
	ui_textf(a, y++, 2, COLS - 4, R_NORMAL, "%s  %s  %s", b->movie_title,
	    b->theatre_name, office_when(b->starts_at, when));
	ui_textf(a, y++, 2, COLS - 4, R_NORMAL, "Customer: %s%s%s%s%s",
	    b->customer_name != NULL && b->customer_name[0] != '\0' ?
	    b->customer_name : "(walk-up)",
	    b->account_name[0] != '\0' ? "  account " : "", b->account_name,
	    b->email[0] != '\0' ? "  " : "", b->email);
	ui_textf(a, y++, 2, COLS - 4, R_NORMAL, "Sold via %s on %s",
	    b->channel, office_when(b->created_at, when));
	ui_textf(a, y++, 2, COLS - 4, R_NORMAL, "Paid %s by %s%s%s (%s)",
	    ui_money(b->paid_cents, money), b->pay_method,
	    b->card_last4[0] != '\0' ? " ending " : "", b->card_last4,
	    b->pay_status);
	if (b->refunded_cents > 0)
		ui_textf(a, y++, 2, COLS - 4, R_ERROR, "Refunded %s",
		    ui_money(b->refunded_cents, money));
	y++;
	ui_textf(a, y++, 2, COLS - 4, R_HEADING, "   %-5s %-10s %-18s %8s "
	    "%-9s %s", "Seat", "Type", "Ticket", "Price", "Status",
	    "Checked in");
	for (i = 0; i < (int)b->ntickets && y < LINES - 2; i++) {
		t = &b->tickets[i];
		r = i == v->list.sel ? R_SELECTED : R_NORMAL;
		ui_fill(a, y, 2, COLS - 4, r);
		ui_textf(a, y++, 2, COLS - 4, r, "%s %s%-4d %-10s %-18s %8s "
		    "%-9s %s", v->picked[i] ? "[x]" : "[ ]", t->row, t->number,
		    cnt_seat_type_name(t->seat_type), t->ticket_label,
		    ui_money(t->price_cents, money), t->status,
		    t->checked_in_at != 0 ? office_hhmm(t->checked_in_at, in) :
		    "-");
	}
}

static int
bview_cancel_done(struct app *a, void *p, bool yes)
{
	struct bview	*v = p;
	struct cnt_error err;
	char		 money[32];

	if (!yes)
		return ACT_REDRAW;
	if (cnt_booking_cancel(a->ctx, &a->actor, v->id, "box office", NULL,
	    &err) != CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	bview_load(a, v);
	app_message(a, "Canceled; %s refunded. The seats are free again.",
	    ui_money(v->b.refunded_cents, money));
	return ACT_REDRAW;
}

static int
bview_noshow_done(struct app *a, void *p, bool yes)
{
	struct bview	*v = p;
	struct cnt_error err;

	if (!yes)
		return ACT_REDRAW;
	if (cnt_booking_no_show(a->ctx, &a->actor, v->id, &err) != CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	bview_load(a, v);
	app_message(a, "Marked as a no-show.");
	return ACT_REDRAW;
}

/* Check in the picked tickets, or all of them when none is picked. */
static int
bview_checkin(struct app *a, struct bview *v)
{
	struct cnt_error err;
	int64_t		*ids;
	size_t		 i, n = 0;

	ids = xcalloc(v->b.ntickets + 1, sizeof *ids);
	for (i = 0; i < v->b.ntickets; i++)
		if (v->picked[i])
			ids[n++] = v->b.tickets[i].id;
	if (cnt_checkin(a->ctx, &a->actor, v->b.code, ids, n, NULL, &err) !=
	    CNT_OK)
		office_fail(a, &err);
	else {
		bview_load(a, v);
		app_message(a, "Checked in %zu %s.", n == 0 ?
		    v->b.ntickets : n, (n == 0 ? v->b.ntickets : n) == 1 ?
		    "ticket" : "tickets");
	}
	free(ids);
	return ACT_REDRAW;
}

static int
bview_key(struct app *a, void *p, int key)
{
	struct bview	*v = p;
	char		 text[256], money[32];

	switch (key) {
	case 'i':
		return bview_checkin(a, v);
	case ' ':
		if (v->list.n > 0)
			v->picked[v->list.sel] = !v->picked[v->list.sel];
		return ACT_REDRAW;
	case 'x':
		snprintf(text, sizeof text, "Cancel booking %s (%d seats, %s) "
		    "and refund %s in full? The seats are freed at once.",
		    v->b.code, v->b.nseats, v->b.seats_text,
		    ui_money(v->b.paid_cents, money));
		return app_confirm(a, "Cancel and refund", text,
		    bview_cancel_done, v);
	case 'n':
		snprintf(text, sizeof text, "Mark booking %s as a no-show?",
		    v->b.code);
		return app_confirm(a, "No-show", text, bview_noshow_done, v);
	case 't':
		v->show_ticket = !v->show_ticket;
		return ACT_REDRAW;
	case 'r':
		bview_load(a, v);
		return ACT_REDRAW;
	}
	if (ui_list_key(a, &v->list, 10, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static void
bview_leave(struct app *a, void *p)
{
	struct bview *v = p;

	(void)a;
	if (v->have)
		cnt_booking_free(&v->b);
	free(v->picked);
	free(v);
}

const struct screen screen_staff_booking = {
	"staff-booking", "Booking", bview_help, 0,
	bview_enter, bview_draw, bview_key, NULL, bview_leave
};
