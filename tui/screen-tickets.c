/*
 * screen-tickets.c - a ticket (the booking code large, the show, seats,
 * total and a QR code of the code) and "My tickets" (upcoming and past
 * bookings; open one, cancel an upcoming one).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_QRENCODE
#include <qrencode.h>
#endif

#include "app.h"

/* ------------------------------------------------------------------ */
/* QR code.                                                             */

/*
 * Draw a QR code of TEXT at Y,X with half blocks, two modules a row, on a
 * fixed dark-on-light pair so it scans on any terminal theme. Returns the
 * width drawn, 0 if it could not be drawn (no libqrencode, no UTF-8, too
 * big for H rows).
 */
static int
draw_qr(struct app *a, int y, int x, int h, const char *text)
{
#ifdef HAVE_QRENCODE
	QRcode	*qr;
	int	 size, r, c, quiet = 1, rows;
	bool	 top, bottom;
	const char *g;

	if (!term_utf8(a->term))
		return 0;
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return 0;
	size = qr->width + 2 * quiet;
	rows = (size + 1) / 2;
	if (rows > h || x + size >= COLS) {
		QRcode_free(qr);
		return 0;
	}
#define MOD(rr, cc) ((rr) >= quiet && (rr) < quiet + qr->width && \
	(cc) >= quiet && (cc) < quiet + qr->width && \
	(qr->data[((rr) - quiet) * qr->width + (cc) - quiet] & 1))
	for (r = 0; r < rows; r++)
		for (c = 0; c < size; c++) {
			top = MOD(2 * r, c);
			bottom = 2 * r + 1 < size && MOD(2 * r + 1, c);
			if (top && bottom)
				g = "\u2588";
			else if (top)
				g = "\u2580";
			else if (bottom)
				g = "\u2584";
			else
				g = " ";
			ui_text(a, y + r, x + c, 1, R_QR, g);
		}
#undef MOD
	QRcode_free(qr);
	return size;
#else
	(void)a, (void)y, (void)x, (void)h, (void)text;
	return 0;
#endif
}

/* ------------------------------------------------------------------ */
/* One ticket.                                                          */

struct ticket {
	struct cnt_booking	b;
	bool			fresh;
	char			when[32];
};

static const struct help ticket_help[] = {
	{ "t", "my tickets", true },
	{ "c", "cancel this booking", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

/* ARG: a struct ticket_arg, freed here. */
static void *
ticket_enter(struct app *a, void *arg)
{
	struct ticket_arg	*t = arg;
	struct ticket		*s;
	struct cnt_error	 err;

	s = xcalloc(1, sizeof *s);
	s->fresh = t->fresh;
	if (cnt_booking_get(a->ctx, &a->actor, t->booking_id, &s->b, &err) !=
	    CNT_OK) {
		app_error(a, "%s", err.msg);
		free(t);
		free(s);
		return NULL;
	}
	free(t);
	ui_time(s->b.starts_at, s->when);
	return s;
}

static void
ticket_draw(struct app *a, void *p)
{
	struct ticket	*s = p;
	char		 price[32];
	size_t		 i;
	int		 y = 2, x = 4, w, qw, ty;

	if (s->fresh)
		ui_text(a, y++, x, COLS - 8, R_GOOD,
		    "Paid - enjoy the show! Your booking code:");
	else
		ui_textf(a, y++, x, COLS - 8, R_HEADING, "Booking %s",
		    cnt_booking_status_name(s->b.status));
	ui_text(a, y + 1, x, 20, R_BIG, s->b.code);
	w = ui_big(a, y + 2, x, s->b.code);
	(void)w;
	ty = y + 8;
	ui_textf(a, ty++, x, COLS / 2, R_HEADING, "%s", s->b.movie_title);
	ui_textf(a, ty++, x, COLS / 2, R_NORMAL, "%s  %s", s->when,
	    s->b.theatre_name);
	ui_textf(a, ty++, x, COLS / 2, R_NORMAL, "Seats: %s", s->b.seats_text);
	for (i = 0; i < s->b.ntickets && ty < LINES - 4; i++) {
		char seat[16];

		snprintf(seat, sizeof seat, "%s%d", s->b.tickets[i].row,
		    s->b.tickets[i].number);
		ui_textf(a, ty++, x + 2, COLS / 2 - 2, R_DIM, "%-5s %-18s %8s",
		    seat, s->b.tickets[i].ticket_label,
		    ui_money(s->b.tickets[i].price_cents, price));
	}
	ui_textf(a, ty++, x, COLS / 2, R_HEADING, "Total %s  (%s %s)",
	    ui_money(s->b.total_cents, price), s->b.pay_method,
	    s->b.card_last4[0] != '\0' ? s->b.card_last4 : "");
	ui_textf(a, ty++, x, COLS / 2, R_DIM, "Status: %s",
	    cnt_booking_status_name(s->b.status));
	qw = draw_qr(a, 2, COLS / 2 + 6, LINES - 4, s->b.code);
	if (qw == 0)
		ui_textf(a, 4, COLS / 2 + 6, COLS / 2 - 8, R_DIM,
		    "Show the code %s at the door.", s->b.code);
	else
		ui_text(a, 2 + (qw + 1) / 2, COLS / 2 + 6, qw, R_DIM,
		    "Scan at the door");
}

static int
ticket_canceled(struct app *a, void *p, bool yes)
{
	struct ticket		*s = p;
	struct cnt_error	 err;
	struct cnt_booking	 b;

	if (!yes)
		return ACT_REDRAW;
	memset(&b, 0, sizeof b);
	if (cnt_booking_cancel(a->ctx, &a->actor, s->b.id, NULL, &b, &err) !=
	    CNT_OK) {
		app_error(a, "%s", err.msg);
		return ACT_REDRAW;
	}
	app_message(a, "Booking %s was canceled and refunded.", b.code);
	cnt_booking_free(&s->b);
	s->b = b;
	s->fresh = false;
	return ACT_REDRAW;
}

static int
ticket_key(struct app *a, void *p, int key)
{
	struct ticket	*s = p;
	char		 text[256];

	switch (key) {
	case 't':
		if (s->fresh)
			return app_replace(a, SCR_TICKETS, NULL);
		return ACT_POP;
	case 'c':
		snprintf(text, sizeof text, "Cancel booking %s for %s? You "
		    "get a full refund.", s->b.code, s->b.movie_title);
		return app_confirm(a, "Cancel booking", text, ticket_canceled,
		    s);
	case K_ESC:
	case 'q':
		return s->fresh ? ACT_HOME : ACT_POP;
	default:
		return ACT_PASS;
	}
}

static void
ticket_leave(struct app *a, void *p)
{
	struct ticket *s = p;

	(void)a;
	cnt_booking_free(&s->b);
	free(s);
}

const struct screen screen_ticket = {
	"ticket", "Your ticket", ticket_help, 0,
	ticket_enter, ticket_draw, ticket_key, NULL, ticket_leave
};

/* ------------------------------------------------------------------ */
/* My tickets.                                                          */

struct tickets {
	bool			 upcoming;
	struct cnt_booking	*b;
	size_t			 n;
	struct ui_table		 table;
	int64_t			 cancel_id;
	char			 cancel_code[8];
};

static const struct ui_column tickets_cols[] = {
	{ "Code", 8, false },
	{ "When", 16, false },
	{ "Film", 26, false },
	{ "Theatre", 12, false },
	{ "Seats", 12, false },
	{ "Status", 10, false },
	{ "Total", 8, true },
};

static const struct help tickets_help[] = {
	{ "Enter", "show the ticket", true },
	{ "Tab", "upcoming / past", true },
	{ "c", "cancel", true },
	{ "s, S", "sort by the next column / reverse", false },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static const char *
tickets_cell(void *arg, int row, int col, char buf[128])
{
	struct tickets		*s = arg;
	const struct cnt_booking *b = &s->b[row];

	switch (col) {
	case 0:
		return b->code;
	case 1:
		return ui_time(b->starts_at, buf);
	case 2:
		return b->movie_title;
	case 3:
		return b->theatre_name;
	case 4:
		return b->seats_text;
	case 5:
		return cnt_booking_status_name(b->status);
	default:
		return ui_money(b->total_cents, buf);
	}
}

static int
tickets_cmp(void *arg, int x, int y, int col)
{
	struct tickets		 *s = arg;
	const struct cnt_booking *a = &s->b[x], *b = &s->b[y];
	char			  ba[128], bb[128];

	switch (col) {
	case 1:
		return a->starts_at < b->starts_at ? -1 :
		    a->starts_at > b->starts_at;
	case 6:
		return a->total_cents - b->total_cents;
	default:
		return strcmp(tickets_cell(s, x, col, ba),
		    tickets_cell(s, y, col, bb));
	}
}

static void
tickets_load(struct app *a, struct tickets *s)
{
	struct cnt_error err;

	cnt_bookings_free(s->b, s->n);
	s->b = NULL;
	s->n = 0;
	if (cnt_bookings_mine(a->ctx, &a->actor, s->upcoming, &s->b, &s->n,
	    &err) != CNT_OK)
		app_error(a, "%s", err.msg);
	ui_table_set(&s->table, (int)s->n);
}

static void *
tickets_enter(struct app *a, void *arg)
{
	struct tickets *s;

	(void)arg;
	if (app_is_guest(a)) {
		app_error(a, "Sign in to see your tickets.");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->upcoming = true;
	s->table.cols = tickets_cols;
	s->table.ncols = 7;
	s->table.cell = tickets_cell;
	s->table.cmp = tickets_cmp;
	s->table.arg = s;
	s->table.sort_col = 1;
	s->table.sort_desc = false;
	tickets_load(a, s);
	return s;
}

static void
tickets_draw(struct app *a, void *p)
{
	struct tickets *s = p;

	ui_text(a, 2, 2, 12, s->upcoming ? R_SELECTED : R_NORMAL,
	    " Upcoming ");
	ui_text(a, 2, 14, 12, s->upcoming ? R_NORMAL : R_SELECTED, " Past ");
	ui_table_draw(a, &s->table, 4, 2, LINES - 6);
}

static int
tickets_canceled(struct app *a, void *p, bool yes)
{
	struct tickets		*s = p;
	struct cnt_error	 err;

	if (!yes)
		return ACT_REDRAW;
	if (cnt_booking_cancel(a->ctx, &a->actor, s->cancel_id, NULL, NULL,
	    &err) != CNT_OK)
		app_error(a, "%s", err.msg);
	else
		app_message(a, "Booking %s was canceled and refunded.",
		    s->cancel_code);
	tickets_load(a, s);
	return ACT_REDRAW;
}

static int
tickets_key(struct app *a, void *p, int key)
{
	struct tickets		*s = p;
	struct ticket_arg	*t;
	char			 text[256];
	int			 row = ui_table_row(&s->table);

	switch (key) {
	case K_TAB:
	case K_BTAB:
		s->upcoming = !s->upcoming;
		s->table.sort_desc = !s->upcoming;
		tickets_load(a, s);
		return ACT_REDRAW;
	case 'c':
		if (row < 0)
			return ACT_NONE;
		if (!s->upcoming || s->b[row].status != CNT_BOOKING_CONFIRMED) {
			app_error(a, "Only upcoming confirmed bookings can be "
			    "canceled.");
			return ACT_REDRAW;
		}
		s->cancel_id = s->b[row].id;
		cnt_strlcpy(s->cancel_code, s->b[row].code,
		    sizeof s->cancel_code);
		snprintf(text, sizeof text, "Cancel booking %s for %s (%s)? "
		    "You get a full refund.", s->b[row].code,
		    s->b[row].movie_title, s->b[row].seats_text);
		return app_confirm(a, "Cancel booking", text, tickets_canceled,
		    s);
	default:
		break;
	}
	if (key_is_enter(key) && row >= 0) {
		t = xcalloc(1, sizeof *t);
		t->booking_id = s->b[row].id;
		return app_push(a, SCR_TICKET, t);
	}
	if (ui_table_key(a, &s->table, LINES - 6, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
tickets_event(struct app *a, void *p, const struct app_event *ev)
{
	if (ev->kind == EV_RESUMED)
		tickets_load(a, p);
	return ACT_REDRAW;
}

static void
tickets_leave(struct app *a, void *p)
{
	struct tickets *s = p;

	(void)a;
	cnt_bookings_free(s->b, s->n);
	ui_table_free(&s->table);
	free(s);
}

const struct screen screen_tickets = {
	"tickets", "My tickets", tickets_help, 0,
	tickets_enter, tickets_draw, tickets_key, tickets_event, tickets_leave
};
