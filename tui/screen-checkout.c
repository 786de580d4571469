/*
 * screen-checkout.c - pay for held seats.
 *
 * The seats are held in core already; a countdown shows the time left
 * (ticking every second). Each seat gets a ticket type (Left/Right), the
 * total follows, and the demo card form pays: core checks the card and
 * confirms, and its refusals (a declined card, a bad expiry) appear on the
 * field they concern. When the hold runs out the screen says so and goes
 * back to the seat map. Esc gives the seats up after asking.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

struct checkout {
	struct checkout_arg	*c;
	char			 when[32];
	struct cnt_price_rules	 rules;
	int			 ticks;
	int			*type;		/* ticket type index by seat */
	int			 focus;		/* < nseats: a seat row */
	struct ui_field		 f[4];
	struct ui_form		 form;
	bool			 expired;
};

static const struct help checkout_help[] = {
	{ "Up/Down", "seat or field", true },
	{ "Left/Right", "ticket type", true },
	{ "Enter", "next / pay", true },
	{ "Esc", "give the seats up", true },
	{ NULL, NULL, false }
};

/* The price of seat I as its chosen ticket type. */
static int
checkout_price(const struct checkout *s, size_t i)
{
	const struct cnt_ticket_type *t = &s->rules.ticket_types[s->type[i]];

	return cnt_price_apply(s->c->hold.seats[i].price_cents, t->percent);
}

static int
checkout_total(const struct checkout *s)
{
	size_t	i;
	int	total = 0;

	for (i = 0; i < s->c->hold.nseats; i++)
		total += checkout_price(s, i);
	return total;
}

static void
checkout_free_arg(struct checkout_arg *c)
{
	cnt_hold_free(&c->hold);
	free(c->title);
	free(c->theatre);
	free(c);
}

/* ARG: a struct checkout_arg, owned from here on. */
static void *
checkout_enter(struct app *a, void *arg)
{
	struct checkout		*s;
	struct cnt_error	 err;
	size_t			 i, adult = 0;

	s = xcalloc(1, sizeof *s);
	s->c = arg;
	if (cnt_price_rules_get(a->ctx, &s->rules, &err) != CNT_OK ||
	    s->rules.nticket_types == 0) {
		app_error(a, "%s", s->rules.nticket_types == 0 &&
		    err.msg[0] == '\0' ? "No ticket types are on sale." :
		    err.msg);
		cnt_hold_release(a->ctx, &a->actor, s->c->hold.hold_id, &err);
		checkout_free_arg(s->c);
		free(s);
		return NULL;
	}
	for (i = 0; i < s->rules.nticket_types; i++)
		if (strcmp(s->rules.ticket_types[i].code, "adult") == 0)
			adult = i;
	s->type = xcalloc(s->c->hold.nseats, sizeof *s->type);
	for (i = 0; i < s->c->hold.nseats; i++)
		s->type[i] = (int)adult;
	ui_time(s->c->starts_at, s->when);
	s->f[0] = (struct ui_field){ .name = "number", .label = "Card number",
	    .type = F_TEXT, .max = 23 };
	s->f[1] = (struct ui_field){ .name = "expiry", .label =
	    "Expiry (MM/YY)", .type = F_TEXT, .max = 7 };
	s->f[2] = (struct ui_field){ .name = "cvc", .label = "CVC",
	    .type = F_NUMBER, .max = 4 };
	s->f[3] = (struct ui_field){ .name = "pay", .label = "Pay",
	    .type = F_BUTTON };
	ui_form_init(&s->form, s->f, 4);
	s->focus = (int)s->c->hold.nseats;	/* start at the card */
	return s;
}

static void
checkout_draw(struct app *a, void *p)
{
	struct checkout			*s = p;
	const struct cnt_hold_seat	*seat;
	const struct cnt_ticket_type	*t;
	char				 price[32], line[160];
	time_t				 left;
	size_t				 i;
	int				 x = 4, y = 2, nshow;

	ui_textf(a, y, x, COLS - 8, R_HEADING, "%s %s %s %s %s", s->c->title,
	    term_glyph(a->term, G_DOT), s->when, term_glyph(a->term, G_DOT),
	    s->c->theatre);
	left = s->c->hold.expires_at - time(NULL);
	if (left < 0)
		left = 0;
	ui_textf(a, y + 1, x, COLS - 8, left < 60 ? R_ERROR : R_GOOD,
	    "Seats held for you for %02d:%02d", (int)(left / 60),
	    (int)(left % 60));
	y += 3;
	ui_text(a, y, x, COLS - 8, R_HEADING,
	    "Seat   Type        Ticket                       Price");
	nshow = (int)s->c->hold.nseats;
	if (nshow > LINES - 18)
		nshow = LINES - 18;
	for (i = 0; i < (size_t)nshow; i++) {
		seat = &s->c->hold.seats[i];
		t = &s->rules.ticket_types[s->type[i]];
		snprintf(line, sizeof line, "%s%-4d %-11s < %-24s > %8s",
		    seat->row, seat->number, cnt_seat_type_name(seat->type),
		    t->label, ui_money(checkout_price(s, i), price));
		ui_text(a, y + 1 + (int)i, x, COLS - 8, (int)i == s->focus ?
		    R_SELECTED : R_NORMAL, line);
	}
	if ((size_t)nshow < s->c->hold.nseats)
		ui_textf(a, y + 1 + nshow, x, COLS - 8, R_DIM, "... and %zu "
		    "more", s->c->hold.nseats - (size_t)nshow);
	y += 2 + nshow + ((size_t)nshow < s->c->hold.nseats);
	ui_textf(a, y, x, COLS - 8, R_HEADING, "Total %48s",
	    ui_money(checkout_total(s), price));
	y += 2;
	ui_text(a, y, x, COLS - 8, R_DIM, "Demo card: 4242 4242 4242 4242 "
	    "pays, 4000 0000 0000 0002 is declined.");
	if (s->focus < (int)s->c->hold.nseats)
		s->form.focus = -1;
	ui_form_draw(a, &s->form, y + 2, x, 18, 30);
	if (s->form.focus < 0)
		s->form.focus = 0;
}

/* Parse "MM/YY", "MM/YYYY", "MMYY" into month and year; false if not. */
static bool
parse_expiry(const char *text, int *m, int *y)
{
	char	c;

	if (sscanf(text, "%2d/%4d%c", m, y, &c) == 2 ||
	    sscanf(text, "%2d-%4d%c", m, y, &c) == 2)
		return *m >= 1 && *m <= 12;
	if (strlen(text) == 4 && sscanf(text, "%2d%2d", m, y) == 2)
		return *m >= 1 && *m <= 12;
	return false;
}

static int
checkout_pay(struct app *a, struct checkout *s)
{
	struct cnt_payment_input	 pay;
	struct cnt_ticket_choice	*ch;
	struct cnt_booking		 b;
	struct cnt_error		 err;
	struct ticket_arg		*t;
	size_t				 i;
	int				 m, y;

	ui_form_clear_msgs(&s->form);
	memset(&pay, 0, sizeof pay);
	pay.method = CNT_PAY_CARD;
	pay.card.number = s->f[0].value;
	pay.card.cvc = s->f[2].value;
	if (!parse_expiry(s->f[1].value, &m, &y)) {
		cnt_strlcpy(s->f[1].msg, "the expiry is MM/YY, like 12/29",
		    sizeof s->f[1].msg);
		s->form.focus = 1;
		return ACT_REDRAW;
	}
	pay.card.exp_month = m;
	pay.card.exp_year = y;
	if (cnt_card_check(&pay.card, &err) != CNT_OK) {
		ui_form_error(&s->form, &err);
		return ACT_REDRAW;
	}
	ch = xcalloc(s->c->hold.nseats, sizeof *ch);
	for (i = 0; i < s->c->hold.nseats; i++) {
		ch[i].seat_id = s->c->hold.seats[i].seat_id;
		ch[i].ticket_type = s->rules.ticket_types[s->type[i]].code;
	}
	memset(&b, 0, sizeof b);
	if (cnt_booking_confirm(a->ctx, &a->actor, s->c->hold.hold_id, ch,
	    s->c->hold.nseats, &pay, &b, &err) != CNT_OK) {
		free(ch);
		if (err.kind == CNT_E_CONFLICT) {
			/* The hold is gone: back to the map. */
			app_error(a, "%s", err.msg);
			return ACT_POP;
		}
		if (err.field[0] == '\0')
			cnt_strlcpy(err.field, "number", sizeof err.field);
		ui_form_error(&s->form, &err);
		return ACT_REDRAW;
	}
	free(ch);
	a->booked_showtime = s->c->hold.showtime_id;
	log_info("event=tui_booking code=%s account=%lld", b.code,
	    (long long)a->actor.account_id);
	t = xcalloc(1, sizeof *t);
	t->booking_id = b.id;
	t->fresh = true;
	cnt_booking_free(&b);
	return app_replace(a, SCR_TICKET, t);
}

static int
checkout_given_up(struct app *a, void *p, bool yes)
{
	struct checkout		*s = p;
	struct cnt_error	 err;

	if (!yes)
		return ACT_REDRAW;
	if (cnt_hold_release(a->ctx, &a->actor, s->c->hold.hold_id, &err) !=
	    CNT_OK)
		app_error(a, "%s", err.msg);
	else
		app_message(a, "Your seats were released.");
	return ACT_POP;
}

/* Step seat I's ticket type by STEP, skipping types not on sale. */
static void
checkout_cycle(struct checkout *s, int i, int step)
{
	int	n = (int)s->rules.nticket_types, t = s->type[i], k;

	for (k = 0; k < n; k++) {
		t = (t + step) % n;
		if (s->rules.ticket_types[t].active) {
			s->type[i] = t;
			return;
		}
	}
}

static int
checkout_key(struct app *a, void *p, int key)
{
	struct checkout	*s = p;
	int		 nseats = (int)s->c->hold.nseats, ntypes;

	ntypes = (int)s->rules.nticket_types;
	if (key == K_ESC)
		return app_confirm(a, "Give up the seats?", "Your held seats "
		    "will be released for others. Leave the checkout?",
		    checkout_given_up, s);
	if (s->focus < nseats) {
		switch (key) {
		case K_LEFT:
			checkout_cycle(s, s->focus, ntypes - 1);
			return ACT_REDRAW;
		case K_RIGHT:
		case ' ':
			checkout_cycle(s, s->focus, 1);
			return ACT_REDRAW;
		case K_UP:
		case K_BTAB:
			if (s->focus > 0)
				s->focus--;
			return ACT_REDRAW;
		case K_DOWN:
		case K_TAB:
		case K_ENTER:
			s->focus++;
			s->form.focus = 0;
			return ACT_REDRAW;
		default:
			return ACT_PASS;
		}
	}
	if ((key == K_UP || key == K_BTAB) && s->form.focus == 0 &&
	    nseats > 0) {
		s->focus = nseats - 1;
		return ACT_REDRAW;
	}
	switch (ui_form_key(a, &s->form, key)) {
	case FORM_SUBMIT:
		return checkout_pay(a, s);
	case FORM_USED:
		return ACT_REDRAW;
	default:
		return ACT_PASS;
	}
}

/*
 * Every second: the countdown. Every fifth: ask core whether the hold is
 * still ours (staff may have released it, the worker expired it, another
 * session of the same account replaced it).
 */
static int
checkout_event(struct app *a, void *p, const struct app_event *ev)
{
	struct checkout		*s = p;
	struct cnt_hold		 h;
	struct cnt_error	 err;

	if (ev->kind != EV_TICK)
		return ACT_NONE;
	if (++s->ticks % 5 == 0 && !s->expired) {
		memset(&h, 0, sizeof h);
		if (cnt_hold_get(a->ctx, &a->actor, s->c->hold.showtime_id, &h,
		    &err) == CNT_OK) {
			s->c->hold.expires_at = h.hold_id ==
			    s->c->hold.hold_id ? h.expires_at : 0;
			cnt_hold_free(&h);
		} else if (err.kind == CNT_E_NOTFOUND)
			s->c->hold.expires_at = 0;
	}
	if (time(NULL) >= s->c->hold.expires_at && !s->expired) {
		s->expired = true;
		app_error(a, "Your hold expired and the seats were released. "
		    "Pick them again.");
		return ACT_POP;
	}
	return ACT_REDRAW;
}

static void
checkout_leave(struct app *a, void *p)
{
	struct checkout *s = p;

	(void)a;
	checkout_free_arg(s->c);
	cnt_price_rules_free(&s->rules);
	free(s->type);
	explicit_bzero(s->f, sizeof s->f);
	free(s);
}

const struct screen screen_checkout = {
	"checkout", "Checkout", checkout_help, 1000,
	checkout_enter, checkout_draw, checkout_key, checkout_event,
	checkout_leave
};
