/*
 * screen-admin-prices.c - the price rules: a percent of the showtime's
 * base price per seat type, and a percent of the seat price per ticket
 * type (adult, child, ...). Enter edits the selected percent, a turns a
 * ticket type on or off, n adds a ticket type. An example line shows what
 * a 10.00 standard adult seat becomes under each rule.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

enum { PF_CODE, PF_LABEL, PF_PERCENT, PF_N };

struct prices {
	struct cnt_price_rules	 rules;
	bool			 have;
	struct ui_list		 list;	/* seat types, then ticket types */
	bool			 editing;	/* the percent of the row */
	char			 input[8];
	bool			 adding;	/* a new ticket type */
	struct ui_field		 fields[PF_N];
	struct ui_form		 form;
};

static const struct help prices_help[] = {
	{ "Enter", "change the percent", true },
	{ "a", "ticket type on / off", true },
	{ "n", "new ticket type", true },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static int
prices_load(struct app *a, struct prices *s)
{
	struct cnt_price_rules	r;
	struct cnt_error	err;

	memset(&r, 0, sizeof r);
	if (cnt_price_rules_get(a->ctx, &r, &err) != CNT_OK) {
		office_fail(a, &err);
		return -1;
	}
	if (s->have)
		cnt_price_rules_free(&s->rules);
	s->rules = r;
	s->have = true;
	s->list.n = CNT_SEAT_NTYPES + (int)r.nticket_types;
	ui_list_scroll(&s->list, s->list.n);
	return 0;
}

static void *
prices_enter(struct app *a, void *arg)
{
	struct prices *s;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->fields[PF_CODE] = (struct ui_field){ .name = "code",
	    .label = "Code (a-z)", .type = F_TEXT, .max = 16 };
	s->fields[PF_LABEL] = (struct ui_field){ .name = "label",
	    .label = "Label", .type = F_TEXT, .max = 40 };
	s->fields[PF_PERCENT] = (struct ui_field){ .name = "percent",
	    .label = "Percent", .type = F_NUMBER, .max = 4 };
	ui_form_init(&s->form, s->fields, PF_N);
	if (prices_load(a, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The percent shown on row I. */
static int
prices_percent(const struct prices *s, int i)
{
	if (i < CNT_SEAT_NTYPES)
		return s->rules.seat_percent[i];
	return s->rules.ticket_types[i - CNT_SEAT_NTYPES].percent;
}

static void
prices_draw(struct app *a, void *p)
{
	struct prices		*s = p;
	struct cnt_ticket_type	*tt;
	char			 money[32], pct[16];
	int			 i, y = 3;
	enum role		 r;

	ui_text(a, 1, 2, COLS - 4, R_HEADING,
	    "Seat types: percent of the showtime's base price");
	for (i = 0; i < s->list.n; i++) {
		if (i == CNT_SEAT_NTYPES) {
			y++;
			ui_text(a, y++, 2, COLS - 4, R_HEADING,
			    "Ticket types: percent of the seat price");
		}
		r = i == s->list.sel ? R_SELECTED : R_NORMAL;
		ui_fill(a, y, 2, 70, r);
		if (i == s->list.sel && s->editing)
			snprintf(pct, sizeof pct, "[%s_]", s->input);
		else
			snprintf(pct, sizeof pct, "%d%%", prices_percent(s, i));
		if (i < CNT_SEAT_NTYPES)
			ui_textf(a, y++, 2, 70, r, "  %-24s %8s   10.00 -> %s",
			    cnt_seat_type_name((enum cnt_seat_type)i), pct,
			    ui_money(cnt_price_apply(1000,
			    s->rules.seat_percent[i]), money));
		else {
			tt = &s->rules.ticket_types[i - CNT_SEAT_NTYPES];
			ui_textf(a, y++, 2, 70, r, "  %-24s %8s   10.00 -> %s%s",
			    tt->label, pct, ui_money(cnt_price_apply(1000,
			    tt->percent), money), tt->active ? "" :
			    "   (off)");
		}
	}
	if (s->adding) {
		ui_text(a, y + 1, 2, COLS - 4, R_HEADING, "New ticket type");
		ui_form_draw(a, &s->form, y + 3, 4, 14, 30);
	}
}

/* Store the typed percent for the selected row. */
static int
prices_save(struct app *a, struct prices *s)
{
	struct cnt_ticket_type	*tt;
	struct cnt_error	 err;
	int			 i = s->list.sel, pct, rc;

	s->editing = false;
	if (s->input[0] == '\0')
		return ACT_REDRAW;
	pct = atoi(s->input);
	if (i < CNT_SEAT_NTYPES)
		rc = cnt_price_set_seat_type(a->ctx, &a->actor,
		    (enum cnt_seat_type)i, pct, &err);
	else {
		tt = &s->rules.ticket_types[i - CNT_SEAT_NTYPES];
		rc = cnt_price_set_ticket_type(a->ctx, &a->actor, tt->code,
		    NULL, pct, tt->active, &err);
	}
	if (rc != CNT_OK)
		office_fail(a, &err);
	else
		app_message(a, "Saved: %d%%. Holds made from now on use it.",
		    pct);
	prices_load(a, s);
	return ACT_REDRAW;
}

static int
prices_key(struct app *a, void *p, int key)
{
	struct prices		*s = p;
	struct cnt_ticket_type	*tt;
	struct cnt_error	 err;
	size_t			 len = strlen(s->input);

	if (s->adding) {
		switch (ui_form_key(a, &s->form, key)) {
		case FORM_SUBMIT:
			ui_form_clear_msgs(&s->form);
			if (cnt_price_set_ticket_type(a->ctx, &a->actor,
			    s->fields[PF_CODE].value, s->fields[PF_LABEL].value,
			    atoi(s->fields[PF_PERCENT].value), true, &err) !=
			    CNT_OK) {
				ui_form_error(&s->form, &err);
				return ACT_REDRAW;
			}
			s->adding = false;
			prices_load(a, s);
			return ACT_REDRAW;
		case FORM_CANCEL:
			s->adding = false;
			return ACT_REDRAW;
		case FORM_USED:
			return ACT_REDRAW;
		}
		return ACT_PASS;
	}
	if (s->editing) {
		if (key_is_enter(key))
			return prices_save(a, s);
		if (key == K_ESC) {
			s->editing = false;
			return ACT_REDRAW;
		}
		if (key_is_backspace(key) && len > 0)
			s->input[len - 1] = '\0';
		else if (key >= '0' && key <= '9' && len < 4) {
			s->input[len] = (char)key;
			s->input[len + 1] = '\0';
		}
		return ACT_REDRAW;
	}
	if (key_is_enter(key)) {
		s->editing = true;
		s->input[0] = '\0';
		return ACT_REDRAW;
	}
	if (key == 'n') {
		ui_form_init(&s->form, s->fields, PF_N);
		s->adding = true;
		return ACT_REDRAW;
	}
	if (key == 'a' && s->list.sel >= CNT_SEAT_NTYPES) {
		tt = &s->rules.ticket_types[s->list.sel - CNT_SEAT_NTYPES];
		if (cnt_price_set_ticket_type(a->ctx, &a->actor, tt->code, NULL,
		    tt->percent, !tt->active, &err) != CNT_OK)
			office_fail(a, &err);
		prices_load(a, s);
		return ACT_REDRAW;
	}
	if (ui_list_key(a, &s->list, s->list.n, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static void
prices_leave(struct app *a, void *p)
{
	struct prices *s = p;

	(void)a;
	if (s->have)
		cnt_price_rules_free(&s->rules);
	free(s);
}

const struct screen screen_admin_prices = {
	"admin-prices", "Prices", prices_help, 0,
	prices_enter, prices_draw, prices_key, NULL, prices_leave
};
