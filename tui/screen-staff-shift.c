/*
 * screen-staff-shift.c - the signed-in staff member's shift: sales (cash
 * and card), tickets, refunds given and the cash that should be in the
 * drawer, since a time of today (00:00 unless changed with e). r reloads.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct shift {
	struct cnt_shift s;
	char		 today[11];
	struct ui_field	 fields[1];
	struct ui_form	 form;
	bool		 editing;
};

static const struct help shift_help[] = {
	{ "e", "change the start of the shift", true },
	{ "r", "reload", true },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static int
shift_load(struct app *a, struct shift *s)
{
	struct cnt_error err;
	char		 when[24];
	time_t		 since;

	snprintf(when, sizeof when, "%s %.5s", s->today, s->fields[0].value);
	if (cnt_local_time(a->ctx, when, &since, &err) != CNT_OK) {
		snprintf(s->fields[0].msg, sizeof s->fields[0].msg,
		    "a time like 14:00");
		return -1;
	}
	if (cnt_shift_summary(a->ctx, &a->actor, since, &s->s, &err) !=
	    CNT_OK) {
		office_fail(a, &err);
		return -1;
	}
	return 0;
}

static void *
shift_enter(struct app *a, void *arg)
{
	struct shift	*s;
	struct cnt_error err;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->fields[0] = (struct ui_field){ .name = "since",
	    .label = "Shift began", .type = F_TEXT, .max = 5 };
	ui_form_init(&s->form, s->fields, 1);
	ui_field_set(&s->fields[0], "00:00");
	if (cnt_local_today(a->ctx, s->today, &err) != CNT_OK) {
		office_fail(a, &err);
		free(s);
		return NULL;
	}
	if (shift_load(a, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void
shift_draw(struct app *a, void *p)
{
	struct shift	*s = p;
	struct cnt_shift *t = &s->s;
	char		 m[32];
	int		 y = 4, x = 4;

	ui_textf(a, 1, 2, COLS - 4, R_HEADING, "Shift of %s since %s %s",
	    a->account.username, s->today, s->fields[0].value);
	if (s->editing) {
		ui_form_draw(a, &s->form, 2, 50, 14, 8);
		return;
	}
	ui_textf(a, y++, x, 60, R_NORMAL, "%-24s %6d  %12s", "Sales",
	    t->sales, ui_money(t->sales_cents, m));
	ui_textf(a, y++, x, 60, R_NORMAL, "%-24s %6d", "Tickets sold",
	    t->tickets);
	ui_textf(a, y++, x, 60, R_NORMAL, "%-24s %6s  %12s", "  cash", "",
	    ui_money(t->cash_cents, m));
	ui_textf(a, y++, x, 60, R_NORMAL, "%-24s %6s  %12s", "  card", "",
	    ui_money(t->card_cents, m));
	y++;
	ui_textf(a, y++, x, 60, R_NORMAL, "%-24s %6d  %12s", "Refunds given",
	    t->refunds, ui_money(t->refund_cents, m));
	ui_textf(a, y++, x, 60, R_NORMAL, "%-24s %6s  %12s",
	    "  paid back in cash", "", ui_money(t->cash_refund_cents, m));
	y++;
	ui_textf(a, y++, x, 60, R_HEADING, "%-24s %6s  %12s",
	    "Cash in the drawer", "", ui_money(t->drawer_cents, m));
	ui_text(a, y + 1, x, COLS - x - 2, R_DIM,
	    "(the float the drawer started with comes on top)");
}

static int
shift_key(struct app *a, void *p, int key)
{
	struct shift *s = p;

	if (s->editing) {
		switch (ui_form_key(a, &s->form, key)) {
		case FORM_SUBMIT:
			if (shift_load(a, s) == 0)
				s->editing = false;
			return ACT_REDRAW;
		case FORM_CANCEL:
			s->editing = false;
			return ACT_REDRAW;
		case FORM_USED:
			return ACT_REDRAW;
		}
		return ACT_PASS;
	}
	if (key == 'e') {
		s->editing = true;
		return ACT_REDRAW;
	}
	if (key == 'r') {
		shift_load(a, s);
		return ACT_REDRAW;
	}
	return ACT_PASS;
}

static void
shift_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_staff_shift = {
	"staff-shift", "Shift summary", shift_help, 0,
	shift_enter, shift_draw, shift_key, NULL, shift_leave
};
