/*
 * screen-staff-sale.c - the walk-up sale: the seat map in sale mode, built
 * for speed at a counter.
 *
 * Picking: type a seat ("F12", "f12") or "b4" for the best 4 together and
 * press Enter; arrows and Space pick on the map; Tab jumps between picked
 * seats and + changes the ticket type of the seat under the cursor.
 * Enter with nothing typed goes to payment: type the cash given and Enter
 * (nothing typed: the exact amount), or F3 / k for the card terminal; Tab
 * reaches the optional customer name. The sale itself is one core call
 * (cnt_walkup_sell: hold and pay at once). The result shows the booking
 * code in large letters, the change due and a printable text ticket.
 *
 * From the day list a 2-ticket cash sale is: Enter b 2 Enter Enter 2 0
 * Enter - eight keys.
 */
#include <ctype.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"
#include "seatmap.h"

#define SALE_MAXSEATS	32

enum sale_mode { SALE_PICK, SALE_PAY, SALE_DONE };

struct sale {
	int64_t			 showtime_id;
	struct cnt_seatmap	 map;
	bool			 have_map;
	struct seatmap_view	 view;
	int64_t			 picked[SALE_MAXSEATS];
	int			 ttype[SALE_MAXSEATS];	/* index in rules */
	size_t			 npicked;
	struct cnt_price_rules	 rules;
	char			 cmd[16];
	enum sale_mode		 mode;
	struct ui_field		 fields[2];	/* cash given, name */
	struct ui_form		 form;
	struct cnt_booking	 done;
	bool			 have_done;
};

static const struct help sale_help[] = {
	{ "F12", "type a seat, Enter", true },
	{ "b4", "best 4 together, Enter", true },
	{ "Space", "pick the seat under the cursor", false },
	{ "Tab", "next picked seat", false },
	{ "+", "ticket type of the seat", true },
	{ "Enter", "pay (nothing typed)", true },
	{ "(pay) 20 Enter", "cash given; Enter alone: exact", false },
	{ "(pay) F3, k", "card (demo terminal)", false },
	{ "(done) n", "next sale", false },
	{ "Esc", "clear / back", false },
	{ NULL, NULL, false }
};

/* Index of picked seat ID, or -1. */
static int
sale_picked(const struct sale *s, int64_t id)
{
	size_t	i;

	for (i = 0; i < s->npicked; i++)
		if (s->picked[i] == id)
			return (int)i;
	return -1;
}

static void
sale_unpick(struct sale *s, int i)
{
	memmove(&s->picked[i], &s->picked[i + 1],
	    (s->npicked - (size_t)i - 1) * sizeof s->picked[0]);
	memmove(&s->ttype[i], &s->ttype[i + 1],
	    (s->npicked - (size_t)i - 1) * sizeof s->ttype[0]);
	s->npicked--;
	s->view.nselected = s->npicked;
}

/* The "adult" ticket type (or the first active one). */
static int
sale_default_type(const struct sale *s)
{
	size_t	i;

	for (i = 0; i < s->rules.nticket_types; i++)
		if (strcmp(s->rules.ticket_types[i].code, "adult") == 0)
			return (int)i;
	for (i = 0; i < s->rules.nticket_types; i++)
		if (s->rules.ticket_types[i].active)
			return (int)i;
	return 0;
}

/* Read the map again; picked seats someone else took are dropped. */
static int
sale_load(struct app *a, struct sale *s)
{
	struct cnt_seatmap	 m;
	struct cnt_error	 err;
	int64_t			 cur = -1;
	int			 k;
	size_t			 i;

	memset(&m, 0, sizeof m);
	if (cnt_seatmap_get(a->ctx, &a->actor, s->showtime_id, &m, &err) !=
	    CNT_OK) {
		office_fail(a, &err);
		cnt_seatmap_free(&m);
		return -1;
	}
	if (s->have_map) {
		if (s->view.cursor >= 0 &&
		    (size_t)s->view.cursor < s->map.nseats)
			cur = s->map.seats[s->view.cursor].seat_id;
		cnt_seatmap_free(&s->map);
	}
	s->map = m;
	s->have_map = true;
	for (i = 0; i < s->npicked; ) {
		k = seatmap_find(&s->map, s->picked[i]);
		if (k < 0 || s->map.seats[k].state == CNT_SEAT_SOLD ||
		    s->map.seats[k].state == CNT_SEAT_HELD) {
			app_error(a, "A picked seat was just taken.");
			sale_unpick(s, (int)i);
		} else
			i++;
	}
	s->view.map = &s->map;
	s->view.selected = s->picked;
	s->view.nselected = s->npicked;
	s->view.cursor = cur >= 0 ? seatmap_find(&s->map, cur) : -1;
	if (s->view.cursor < 0 && s->map.nseats > 0)
		s->view.cursor = (int)s->map.nseats / 2;
	return 0;
}

static void
sale_reset(struct sale *s)
{
	s->npicked = 0;
	s->view.nselected = 0;
	s->cmd[0] = '\0';
	s->mode = SALE_PICK;
	if (s->have_done)
		cnt_booking_free(&s->done);
	s->have_done = false;
	memset(&s->done, 0, sizeof s->done);
}

static void *
sale_enter(struct app *a, void *arg)
{
	struct sale	*s;
	struct cnt_error err;

	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->showtime_id = OFFICE_ID(arg);
	if (cnt_price_rules_get(a->ctx, &s->rules, &err) != CNT_OK) {
		office_fail(a, &err);
		free(s);
		return NULL;
	}
	if (sale_load(a, s) != 0) {
		cnt_price_rules_free(&s->rules);
		free(s);
		return NULL;
	}
	s->fields[0] = (struct ui_field){ .name = "cash",
	    .label = "Cash given", .type = F_TEXT, .max = 12 };
	s->fields[1] = (struct ui_field){ .name = "name",
	    .label = "Customer name", .type = F_TEXT, .max = 60 };
	ui_form_init(&s->form, s->fields, 2);
	app_watch(a, s->showtime_id);
	return s;
}

/* Price of picked seat I with its ticket type. */
static int
sale_price(const struct sale *s, size_t i)
{
	int	k = seatmap_find(&s->map, s->picked[i]);

	if (k < 0 || s->rules.nticket_types == 0)
		return 0;
	return cnt_price_apply(s->map.seats[k].price_cents,
	    s->rules.ticket_types[s->ttype[i]].percent);
}

static int
sale_total(const struct sale *s)
{
	size_t	i;
	int	t = 0;

	for (i = 0; i < s->npicked; i++)
		t += sale_price(s, i);
	return t;
}

/* The right-hand panel: picked seats, types, prices, total. */
static void
sale_draw_basket(struct app *a, struct sale *s, int y, int x, int w)
{
	char	 name[16], money[32];
	size_t	 i;
	int	 k;

	ui_text(a, y++, x, w, R_HEADING, "Seats");
	if (s->npicked == 0)
		ui_text(a, y++, x, w, R_DIM, "none yet: type F12 or b2");
	for (i = 0; i < s->npicked && y < LINES - 8; i++) {
		k = seatmap_find(&s->map, s->picked[i]);
		ui_textf(a, y++, x, w, k == s->view.cursor ? R_SELECTED :
		    R_NORMAL, "%-5s %-12s %8s",
		    k >= 0 ? seatmap_name(&s->map.seats[k], name) : "?",
		    s->rules.nticket_types > 0 ?
		    s->rules.ticket_types[s->ttype[i]].label : "",
		    ui_money(sale_price(s, i), money));
	}
	ui_textf(a, y + 1, x, w, R_HEADING, "Total %20s",
	    ui_money(sale_total(s), money));
}

/* The printable text ticket of the finished sale, from row Y. */
static void
sale_draw_ticket(struct app *a, struct sale *s, int y, int x, int w)
{
	struct cnt_booking *b = &s->done;
	char	 money[32], when[32];
	int	 h = 9;

	ui_box(a, y, x, h, w, R_BORDER, "Ticket");
	ui_textf(a, y + 1, x + 2, w - 4, R_HEADING, "%s  %s",
	    a->cfg->cinema_name, b->code);
	ui_text(a, y + 2, x + 2, w - 4, R_NORMAL, b->movie_title);
	ui_textf(a, y + 3, x + 2, w - 4, R_NORMAL, "%s  %s",
	    b->theatre_name, office_when(b->starts_at, when));
	ui_textf(a, y + 4, x + 2, w - 4, R_NORMAL, "Seats: %s",
	    b->seats_text);
	ui_textf(a, y + 5, x + 2, w - 4, R_NORMAL, "Paid %s by %s",
	    ui_money(b->paid_cents, money), b->pay_method);
	if (b->customer_name != NULL && b->customer_name[0] != '\0')
		ui_textf(a, y + 6, x + 2, w - 4, R_NORMAL, "Name: %s",
		    b->customer_name);
	ui_text(a, y + 7, x + 2, w - 4, R_DIM,
	    "Show this code at the door.");
}

static void
sale_draw(struct app *a, void *p)
{
	struct sale	*s = p;
	struct cnt_seat	*cur = NULL;
	char		 when[32], name[16], money[32];
	int		 mapw, maph, bx, y;

	ui_textf(a, 1, 1, COLS - 2, R_HEADING, "%s  %s  %s",
	    s->map.movie_title, s->map.theatre_name,
	    office_when(s->map.starts_at, when));
	ui_textf(a, 2, 1, COLS - 2, R_DIM, "%d seats free", s->map.nfree);
	if (s->mode == SALE_DONE && s->have_done) {
		ui_text(a, 4, 2, 20, R_GOOD, "Sold. Booking code:");
		ui_big(a, 6, 2, s->done.code);
		ui_textf(a, 12, 2, 40, R_HEADING, "Total %s",
		    ui_money(s->done.paid_cents, money));
		if (strcmp(s->done.pay_method, "cash") == 0)
			ui_textf(a, 13, 2, 40, R_BIG, "Change due %s",
			    ui_money(s->done.change_cents, money));
		ui_text(a, 15, 2, 40, R_DIM, "n next sale   Enter back");
		sale_draw_ticket(a, s, 4, 44, COLS - 46 < 50 ? COLS - 46 : 50);
		return;
	}
	bx = COLS - 34;
	mapw = seatmap_width(&s->map);
	if (mapw > bx - 2)
		mapw = bx - 2;
	maph = seatmap_height(&s->map);
	if (maph > LINES - 8)
		maph = LINES - 8;
	seatmap_draw(a, &s->view, 3, 1, maph, mapw);
	seatmap_legend(a, 3 + maph, 2, bx - 3);
	if (s->view.cursor >= 0 && (size_t)s->view.cursor < s->map.nseats)
		cur = &s->map.seats[s->view.cursor];
	if (cur != NULL)
		ui_textf(a, 4 + maph, 2, bx - 3, R_DIM, "%s %s %s %s",
		    seatmap_name(cur, name), cnt_seat_type_name(cur->type),
		    ui_money(cur->price_cents, money),
		    cnt_seat_state_name(cur->state));
	sale_draw_basket(a, s, 3, bx, 32);
	y = LINES - 5;
	if (s->mode == SALE_PICK) {
		ui_text(a, y, 2, 7, R_HEADING, "Seat: ");
		ui_fill(a, y, 9, 12, R_FIELD_FOCUS);
		ui_text(a, y, 9, 12, R_FIELD_FOCUS, s->cmd);
		ui_text(a, y, 9 + (int)strlen(s->cmd), 1, R_CURSOR, " ");
		ui_text(a, y, 23, COLS - 25, R_DIM, s->npicked > 0 ?
		    "Enter: pay   + ticket type   Tab next seat" :
		    "type F12 or b2 (best 2), Enter");
	} else {
		ui_form_draw(a, &s->form, y - 2, 2, 16, 20);
		ui_textf(a, y - 2, 40, COLS - 42, R_HEADING, "To pay %s",
		    ui_money(sale_total(s), money));
		/* The row under the cash field is its message's when it
		 * has one: the hint would cut the message short. */
		if (s->fields[0].msg[0] == '\0')
			ui_text(a, y - 1, 40, COLS - 42, R_DIM,
			    "Enter: cash (empty = exact)");
		ui_text(a, y, 40, COLS - 42, R_DIM,
		    "F3 or k: card   Esc: back to seats");
	}
}

/* Pick or unpick seat index K of the map. */
static void
sale_toggle(struct app *a, struct sale *s, int k)
{
	struct cnt_seat	*seat = &s->map.seats[k];
	char		 name[16];
	int		 i;

	s->view.cursor = k;
	if ((i = sale_picked(s, seat->seat_id)) >= 0) {
		sale_unpick(s, i);
		return;
	}
	if (seat->state != CNT_SEAT_FREE && seat->state != CNT_SEAT_MINE) {
		app_error(a, "Seat %s is %s.", seatmap_name(seat, name),
		    cnt_seat_state_name(seat->state));
		return;
	}
	if (s->npicked >= SALE_MAXSEATS ||
	    (int)s->npicked >= a->cfg->max_seats_per_booking) {
		app_error(a, "At most %d seats in one sale.",
		    a->cfg->max_seats_per_booking);
		return;
	}
	s->picked[s->npicked] = seat->seat_id;
	s->ttype[s->npicked] = sale_default_type(s);
	s->npicked++;
	s->view.nselected = s->npicked;
}

/* Carry out the typed command: "b4" best 4, "F12" a seat. */
static void
sale_command(struct app *a, struct sale *s)
{
	struct cnt_error err;
	int64_t		 ids[SALE_MAXSEATS];
	char		 row[4];
	const char	*p = s->cmd;
	size_t		 i, nr = 0;
	int		 n, k;

	if (p[0] == 'b' && isdigit((unsigned char)p[1])) {
		n = atoi(p + 1);
		if (n < 1 || n > SALE_MAXSEATS ||
		    n > a->cfg->max_seats_per_booking) {
			app_error(a, "Best N takes 1 to %d seats.",
			    a->cfg->max_seats_per_booking);
			return;
		}
		if (cnt_best_available(a->ctx, &a->actor, s->showtime_id, n,
		    false, ids, &err) != CNT_OK) {
			office_fail(a, &err);
			s->cmd[0] = '\0';
			return;
		}
		s->npicked = 0;
		for (i = 0; i < (size_t)n; i++) {
			s->picked[i] = ids[i];
			s->ttype[i] = sale_default_type(s);
		}
		s->npicked = (size_t)n;
		s->view.nselected = s->npicked;
		if ((k = seatmap_find(&s->map, ids[0])) >= 0)
			s->view.cursor = k;
		s->cmd[0] = '\0';
		return;
	}
	while (isalpha((unsigned char)*p) && nr < sizeof row - 1)
		row[nr++] = (char)toupper((unsigned char)*p++);
	row[nr] = '\0';
	if (nr == 0 || !isdigit((unsigned char)*p) ||
	    strspn(p, "0123456789") != strlen(p)) {
		app_error(a, "Type a seat like F12, or b4 for the best 4.");
		s->cmd[0] = '\0';
		return;
	}
	n = atoi(p);
	for (i = 0; i < s->map.nseats; i++)
		if (strcmp(s->map.seats[i].row, row) == 0 &&
		    s->map.seats[i].number == n)
			break;
	if (i == s->map.nseats) {
		app_error(a, "There is no seat %s%d here.", row, n);
		s->cmd[0] = '\0';
		return;
	}
	sale_toggle(a, s, (int)i);
	s->cmd[0] = '\0';
}

/* Sell the picked seats: cash (GIVEN cents, -1 exact) or card. */
static int
sale_sell(struct app *a, struct sale *s, bool card, int64_t given)
{
	struct cnt_ticket_choice choices[SALE_MAXSEATS];
	struct cnt_walkup	 w;
	struct cnt_error	 err;
	struct tm		 tm;
	time_t			 now = time(NULL);
	size_t			 i;

	for (i = 0; i < s->npicked; i++) {
		choices[i].seat_id = s->picked[i];
		choices[i].ticket_type = s->rules.nticket_types > 0 ?
		    s->rules.ticket_types[s->ttype[i]].code : "adult";
	}
	memset(&w, 0, sizeof w);
	w.showtime_id = s->showtime_id;
	w.seat_ids = s->picked;
	w.nseats = s->npicked;
	w.choices = choices;
	w.nchoices = s->npicked;
	w.customer_name = ui_form_value(&s->form, "name");
	if (card) {
		/* The counter's card terminal is the demo provider. */
		localtime_r(&now, &tm);
		w.pay.method = CNT_PAY_CARD;
		w.pay.card.number = "4242424242424242";
		w.pay.card.exp_month = 12;
		w.pay.card.exp_year = tm.tm_year + 1900 + 3;
		w.pay.card.cvc = "123";
	} else {
		w.pay.method = CNT_PAY_CASH;
		w.pay.cash_given_cents = given < 0 ? sale_total(s) :
		    (int)given;
	}
	memset(&s->done, 0, sizeof s->done);
	if (cnt_walkup_sell(a->ctx, &a->actor, &w, &s->done, &err) !=
	    CNT_OK) {
		cnt_booking_free(&s->done);
		memset(&s->done, 0, sizeof s->done);
		if (err.kind == CNT_E_CONFLICT) {
			sale_load(a, s);
			s->mode = SALE_PICK;
		} else if (strcmp(err.field, "cash") == 0 ||
		    strstr(err.msg, "ash") != NULL) {
			ui_form_error(&s->form, &err);
			s->form.focus = 0;
		}
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	s->have_done = true;
	s->mode = SALE_DONE;
	log_info("event=walkup_sale code=%s staff=%lld", s->done.code,
	    (long long)a->actor.account_id);
	return ACT_REDRAW;
}

static int
sale_key_pay(struct app *a, struct sale *s, int key)
{
	struct ui_field	*cash = &s->fields[0];
	int64_t		 given = -1;
	int		 r;

	if (key == K_F(3) || ((key == 'k' || key == 'K') &&
	    s->form.focus == 0))
		return sale_sell(a, s, true, 0);
	if (key == K_ESC) {
		s->mode = SALE_PICK;
		return ACT_REDRAW;
	}
	if (key_is_enter(key)) {
		if (cash->value[0] != '\0' &&
		    office_parse_money(cash->value, &given) != 0) {
			snprintf(cash->msg, sizeof cash->msg,
			    "an amount like 20 or 20.50");
			s->form.focus = 0;
			return ACT_REDRAW;
		}
		if (given >= 0 && given < sale_total(s)) {
			snprintf(cash->msg, sizeof cash->msg,
			    "less than the total");
			s->form.focus = 0;
			return ACT_REDRAW;
		}
		return sale_sell(a, s, false, given);
	}
	if (s->form.focus == 0 && key_is_text(key) && key != '.' &&
	    key != ',' && !(key >= '0' && key <= '9')) {
		snprintf(cash->msg, sizeof cash->msg, "digits here; k: card");
		return ACT_REDRAW;
	}
	r = ui_form_key(a, &s->form, key);
	return r == FORM_NONE ? ACT_PASS : ACT_REDRAW;
}

static int
sale_key_pick(struct app *a, struct sale *s, int key)
{
	size_t	len = strlen(s->cmd), i;
	int	k;

	if (key_is_enter(key)) {
		if (len > 0) {
			sale_command(a, s);
			return ACT_REDRAW;
		}
		if (s->npicked == 0) {
			app_error(a, "Pick seats first: type F12, or b2 for "
			    "the best 2.");
			return ACT_REDRAW;
		}
		ui_form_clear_msgs(&s->form);
		ui_field_set(&s->fields[0], "");
		s->form.focus = 0;
		s->mode = SALE_PAY;
		return ACT_REDRAW;
	}
	if (key_is_backspace(key)) {
		if (len > 0)
			s->cmd[len - 1] = '\0';
		return ACT_REDRAW;
	}
	if (key == K_ESC && len > 0) {
		s->cmd[0] = '\0';
		return ACT_REDRAW;
	}
	if (key < 128 && isalnum(key) && !(len == 0 && key == 'q')) {
		if (len + 1 < sizeof s->cmd) {
			s->cmd[len] = (char)key;
			s->cmd[len + 1] = '\0';
		}
		return ACT_REDRAW;
	}
	switch (key) {
	case K_LEFT:
		seatmap_move(&s->view, -1, 0);
		return ACT_REDRAW;
	case K_RIGHT:
		seatmap_move(&s->view, 1, 0);
		return ACT_REDRAW;
	case K_UP:
		seatmap_move(&s->view, 0, -1);
		return ACT_REDRAW;
	case K_DOWN:
		seatmap_move(&s->view, 0, 1);
		return ACT_REDRAW;
	case ' ':
		if (s->view.cursor >= 0)
			sale_toggle(a, s, s->view.cursor);
		return ACT_REDRAW;
	case K_TAB:
		if (s->npicked == 0)
			return ACT_NONE;
		k = -1;
		for (i = 0; i < s->npicked; i++)
			if (seatmap_find(&s->map, s->picked[i]) ==
			    s->view.cursor)
				k = (int)i;
		k = seatmap_find(&s->map, s->picked[(size_t)(k + 1) %
		    s->npicked]);
		if (k >= 0)
			s->view.cursor = k;
		return ACT_REDRAW;
	case '+':
		if (s->view.cursor < 0 || s->rules.nticket_types == 0)
			return ACT_NONE;
		k = sale_picked(s, s->map.seats[s->view.cursor].seat_id);
		if (k < 0) {
			app_error(a, "Pick the seat first (Space).");
			return ACT_REDRAW;
		}
		do
			s->ttype[k] = (s->ttype[k] + 1) %
			    (int)s->rules.nticket_types;
		while (!s->rules.ticket_types[s->ttype[k]].active);
		return ACT_REDRAW;
	case K_MOUSE:
		if (a->mouse.click &&
		    (k = seatmap_hit(&s->view, a->mouse.y, a->mouse.x)) >= 0) {
			sale_toggle(a, s, k);
			return ACT_REDRAW;
		}
		return ACT_NONE;
	}
	return ACT_PASS;
}

static int
sale_key(struct app *a, void *p, int key)
{
	struct sale *s = p;

	if (key == K_RESIZE)
		return ACT_REDRAW;
	switch (s->mode) {
	case SALE_PAY:
		return sale_key_pay(a, s, key);
	case SALE_DONE:
		if (key == 'n') {
			sale_reset(s);
			sale_load(a, s);
			return ACT_REDRAW;
		}
		if (key_is_enter(key) || key == K_ESC || key == 'q')
			return ACT_POP;
		return ACT_NONE;
	default:
		return sale_key_pick(a, s, key);
	}
}

static int
sale_event(struct app *a, void *p, const struct app_event *ev)
{
	struct sale *s = p;

	if (ev->kind == EV_SEATS || ev->kind == EV_RESUMED) {
		if (s->mode != SALE_DONE)
			sale_load(a, s);
		app_watch(a, s->showtime_id);
	}
	return ACT_REDRAW;
}

static void
sale_leave(struct app *a, void *p)
{
	struct sale *s = p;

	app_watch(a, 0);
	if (s->have_map)
		cnt_seatmap_free(&s->map);
	if (s->have_done)
		cnt_booking_free(&s->done);
	cnt_price_rules_free(&s->rules);
	free(s);
}

const struct screen screen_staff_sale = {
	"staff-sale", "Walk-up sale", sale_help, 0,
	sale_enter, sale_draw, sale_key, sale_event, sale_leave
};
