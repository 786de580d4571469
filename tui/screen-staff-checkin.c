/*
 * screen-staff-checkin.c - the door: one field that takes a booking code
 * (what a scanner reading the ticket's QR code types, Enter included) and
 * answers in large green or red letters: admitted with the seats, already
 * checked in at HH:MM, wrong day or time, canceled, not found. The field
 * clears after each answer so the next code can follow at once.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct checkin {
	struct ui_field	 fields[1];
	struct ui_form	 form;
	bool		 answered;
	bool		 ok;
	char		 word[16];	/* ADMITTED, CHECKED IN, ... */
	char		 code[16];
	char		 line1[256];
	char		 line2[256];
	int		 count;		/* admitted this session */
};

static const struct help checkin_help[] = {
	{ "Enter", "check the code in", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static void *
checkin_enter(struct app *a, void *arg)
{
	struct checkin *c;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->fields[0] = (struct ui_field){ .name = "code",
	    .label = "Booking code", .type = F_TEXT, .max = 20 };
	ui_form_init(&c->form, c->fields, 1);
	return c;
}

/* Check the typed code in and remember the answer to show. */
static void
checkin_run(struct app *a, struct checkin *c)
{
	struct cnt_booking	 b;
	struct cnt_error	 err;
	char			 code[8];
	char			 when[32];

	memset(&b, 0, sizeof b);
	c->answered = true;
	c->ok = false;
	c->line1[0] = c->line2[0] = '\0';
	cnt_strlcpy(c->code, c->fields[0].value, sizeof c->code);
	if (cnt_code_normalize(c->fields[0].value, code) != 0) {
		cnt_strlcpy(c->word, "NOT FOUND", sizeof c->word);
		snprintf(c->line1, sizeof c->line1, "\"%s\" is not a booking "
		    "code.", c->code);
		goto out;
	}
	cnt_strlcpy(c->code, code, sizeof c->code);
	if (cnt_checkin(a->ctx, &a->actor, code, NULL, 0, &b, &err) ==
	    CNT_OK) {
		c->ok = true;
		c->count++;
		cnt_strlcpy(c->word, "ADMITTED", sizeof c->word);
		snprintf(c->line1, sizeof c->line1, "Seats %s  (%d %s)",
		    b.seats_text, b.nseats, b.nseats == 1 ? "person" :
		    "people");
		snprintf(c->line2, sizeof c->line2, "%s  %s  %s",
		    b.movie_title, b.theatre_name,
		    office_when(b.starts_at, when));
		goto out;
	}
	cnt_strlcpy(c->line1, err.msg, sizeof c->line1);
	switch (err.kind) {
	case CNT_E_NOTFOUND:
		cnt_strlcpy(c->word, "NOT FOUND", sizeof c->word);
		break;
	case CNT_E_CONFLICT:
		cnt_strlcpy(c->word, strstr(err.msg, "lready") != NULL ?
		    "ALREADY IN" : "REFUSED", sizeof c->word);
		break;
	case CNT_E_INVALID:
		cnt_strlcpy(c->word, "WRONG TIME", sizeof c->word);
		break;
	default:
		cnt_strlcpy(c->word, "ERROR", sizeof c->word);
		break;
	}
	/* Say which show it is for: the usual mistake is the wrong day. */
	if (err.kind != CNT_E_NOTFOUND &&
	    cnt_booking_get_by_code(a->ctx, &a->actor, code, &b, &err) ==
	    CNT_OK)
		snprintf(c->line2, sizeof c->line2, "%s  %s  %s  seats %s",
		    b.movie_title, b.theatre_name,
		    office_when(b.starts_at, when), b.seats_text);
out:
	log_info("event=checkin code=%s ok=%d staff=%lld", c->code, c->ok,
	    (long long)a->actor.account_id);
	cnt_booking_free(&b);
	ui_field_set(&c->fields[0], "");
}

static void
checkin_draw(struct app *a, void *p)
{
	struct checkin	*c = p;
	enum role	 r;
	int		 w;

	ui_text(a, 1, 2, COLS - 4, R_HEADING,
	    "Check-in: scan or type the code on the ticket");
	ui_form_draw(a, &c->form, 3, 2, 16, 20);
	ui_textf(a, 3, 42, COLS - 44, R_DIM, "%d admitted here", c->count);
	if (!c->answered)
		return;
	r = c->ok ? R_GOOD : R_ERROR;
	w = ui_big_width(c->word);
	ui_big_role(a, 7, w < COLS ? (COLS - w) / 2 : 0, c->word, r);
	ui_center(a, 13, r, c->code);
	ui_center(a, 15, c->ok ? R_HEADING : R_ERROR, c->line1);
	ui_center(a, 16, R_NORMAL, c->line2);
}

static int
checkin_key(struct app *a, void *p, int key)
{
	struct checkin	*c = p;
	int		 r;

	if (key_is_enter(key)) {
		if (c->fields[0].value[0] == '\0')
			return ACT_NONE;
		checkin_run(a, c);
		return ACT_REDRAW;
	}
	if (key == 'q' && c->fields[0].len == 0)
		return ACT_PASS;
	r = ui_form_key(a, &c->form, key);
	if (r == FORM_CANCEL || r == FORM_NONE)
		return ACT_PASS;
	return ACT_REDRAW;
}

static void
checkin_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_staff_checkin = {
	"staff-checkin", "Check-in", checkin_help, 0,
	checkin_enter, checkin_draw, checkin_key, NULL, checkin_leave
};
