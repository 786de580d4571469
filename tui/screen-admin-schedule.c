/*
 * screen-admin-schedule.c - the schedule of a day: one timeline a theatre
 * (08:00 to 02:00) with each showtime drawn as a bar and its cleaning
 * buffer shaded after it, and the day's showtimes listed below. a adds a
 * showtime (the form computes the end), e moves the selected one, x
 * cancels it after a confirmation that says how many bookings will be
 * refunded, [ and ] step through the days.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

#define TL_FIRST_MIN	(8 * 60)	/* the timeline starts at 08:00 */
#define TL_SPAN_MIN	(18 * 60)	/* and runs to 02:00 */

struct schedule {
	char			 date[11];
	struct cnt_theatre	*theatres;
	size_t			 ntheatres;
	struct cnt_showtime	*rows;
	size_t			 n;
	struct ui_table		 table;
	int64_t			 cancel_id;
};

static const struct ui_column schedule_cols[] = {
	{ "Start", 5, false },
	{ "End", 5, false },
	{ "Film", 30, false },
	{ "Theatre", 14, false },
	{ "Price", 7, true },
	{ "Sold", 5, true },
	{ "Status", 10, false },
};

static const struct help schedule_help[] = {
	{ "a", "add a showtime", true },
	{ "e", "move / reprice", true },
	{ "x", "cancel showtime", true },
	{ "[ ]", "day before / after", true },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
schedule_cell(void *arg, int row, int col, char buf[128])
{
	struct schedule		*s = arg;
	struct cnt_showtime	*st = &s->rows[row];

	switch (col) {
	case 0:
		return st->local_start + 11;
	case 1:
		return st->local_end + 11;
	case 2:
		return st->film_title;
	case 3:
		return st->theatre_name;
	case 4:
		return ui_money(st->base_price_cents, buf);
	case 5:
		snprintf(buf, 128, "%d", st->sold);
		return buf;
	}
	return st->status;
}

static const char *
schedule_text(void *arg, int row)
{
	struct schedule *s = arg;

	return s->rows[s->table.order[row]].film_title;
}

static int
schedule_load(struct app *a, struct schedule *s)
{
	struct cnt_showtime_filter f;
	struct cnt_error	 err;
	struct cnt_showtime	*rows = NULL;
	struct cnt_theatre	*th = NULL;
	size_t			 n = 0, nth = 0;

	memset(&f, 0, sizeof f);
	f.date = s->date;
	f.include_canceled = true;
	if (cnt_theatre_list(a->ctx, &th, &nth, &err) != CNT_OK ||
	    cnt_showtime_list(a->ctx, &f, &rows, &n, &err) != CNT_OK) {
		cnt_theatres_free(th, nth);
		office_fail(a, &err);
		return -1;
	}
	cnt_theatres_free(s->theatres, s->ntheatres);
	cnt_showtimes_free(s->rows, s->n);
	s->theatres = th;
	s->ntheatres = nth;
	s->rows = rows;
	s->n = n;
	ui_table_set(&s->table, (int)n);
	return 0;
}

static void *
schedule_enter(struct app *a, void *arg)
{
	struct schedule	*s;
	struct cnt_error err;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	s = xcalloc(1, sizeof *s);
	if (cnt_local_today(a->ctx, s->date, &err) != CNT_OK) {
		office_fail(a, &err);
		free(s);
		return NULL;
	}
	s->table.cols = schedule_cols;
	s->table.ncols = (int)(sizeof schedule_cols /
	    sizeof schedule_cols[0]);
	s->table.cell = schedule_cell;
	s->table.arg = s;
	s->table.list.text = schedule_text;	/* type a title to jump */
	s->table.list.arg = s;
	if (schedule_load(a, s) != 0) {
		ui_table_free(&s->table);
		free(s);
		return NULL;
	}
	return s;
}

/* Minutes after midnight of the schedule's day for local time LOCAL. */
static int
schedule_minutes(const struct schedule *s, const char *local)
{
	int	h = 0, m = 0;

	if (sscanf(local + 11, "%d:%d", &h, &m) != 2)
		return 0;
	return (strncmp(local, s->date, 10) == 0 ? 0 : 1440) + h * 60 + m;
}

/* The timeline of every theatre from row Y; returns rows used. */
static int
schedule_timeline(struct app *a, struct schedule *s, int y)
{
	const char	*shade = term_utf8(a->term) ? "\u2591" : ":";
	int		 x0 = 16, tw = COLS - x0 - 2, i, h, x, c, m0, m1, m2;
	int		 sel = ui_table_row(&s->table);
	size_t		 t, k;
	enum role	 r;

	for (h = 8; h <= 26; h += 2) {
		x = x0 + (h * 60 - TL_FIRST_MIN) * tw / TL_SPAN_MIN;
		ui_textf(a, y, x, 3, R_DIM, "%02d", h % 24);
	}
	for (t = 0; t < s->ntheatres; t++) {
		ui_text(a, y + 1 + (int)t, 1, x0 - 2, R_NORMAL,
		    s->theatres[t].name);
		for (i = 0; i < tw; i++)
			ui_text(a, y + 1 + (int)t, x0 + i, 1, R_DIM,
			    term_glyph(a->term, G_DOT));
		for (k = 0; k < s->n; k++) {
			struct cnt_showtime *st = &s->rows[k];

			if (st->theatre_id != s->theatres[t].id ||
			    strcmp(st->status, "canceled") == 0)
				continue;
			m0 = schedule_minutes(s, st->local_start);
			m1 = m0 + (int)((st->ends_at - st->starts_at) / 60);
			m2 = m0 + (int)((st->blocked_until - st->starts_at) /
			    60);
			r = (int)k == sel ? R_SELECTED : R_BAR;
			for (c = m0; c < m2; c++) {
				if (c < TL_FIRST_MIN ||
				    c >= TL_FIRST_MIN + TL_SPAN_MIN)
					continue;
				x = x0 + (c - TL_FIRST_MIN) * tw / TL_SPAN_MIN;
				ui_text(a, y + 1 + (int)t, x, 1,
				    c < m1 ? r : R_DIM, c < m1 ?
				    term_glyph(a->term, G_BLOCK) : shade);
			}
		}
	}
	return (int)s->ntheatres + 2;
}

static void
schedule_draw(struct app *a, void *p)
{
	struct schedule	*s = p;
	int		 used;

	ui_textf(a, 1, 1, COLS - 2, R_HEADING, "Schedule of %s  "
	    "(cleaning buffer %d min, shaded)", s->date,
	    a->cfg->cleaning_minutes);
	used = schedule_timeline(a, s, 3);
	ui_table_draw(a, &s->table, 3 + used, 1, LINES - 5 - used);
}

static int
schedule_cancel_done(struct app *a, void *p, bool yes)
{
	struct schedule	*s = p;
	struct cnt_error err;
	int		 refunded = 0;

	if (!yes)
		return ACT_REDRAW;
	if (cnt_showtime_cancel(a->ctx, &a->actor, s->cancel_id, &refunded,
	    &err) != CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	app_message(a, "Showtime canceled; %d %s refunded.", refunded,
	    refunded == 1 ? "booking" : "bookings");
	schedule_load(a, s);
	return ACT_REDRAW;
}

/* Ask before cancelling ST, saying how many bookings get refunded. */
static int
schedule_cancel(struct app *a, struct schedule *s, struct cnt_showtime *st)
{
	struct cnt_booking_filter f;
	struct cnt_booking	*rows = NULL;
	struct cnt_error	 err;
	size_t			 n = 0, total = 0;
	char			 text[400];

	memset(&f, 0, sizeof f);
	f.showtime_id = st->id;
	f.by_status = true;
	f.status = CNT_BOOKING_CONFIRMED;
	f.limit = 1;
	if (cnt_bookings_list(a->ctx, &a->actor, &f, &rows, &n, &total,
	    &err) != CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	cnt_bookings_free(rows, n);
	s->cancel_id = st->id;
	snprintf(text, sizeof text, "Cancel %s at %s in %s? %zu %s will be "
	    "refunded in full and %s told by mail.", st->film_title,
	    st->local_start, st->theatre_name, total, total == 1 ?
	    "booking" : "bookings", total == 1 ? "its customer" :
	    "their customers");
	return app_confirm(a, "Cancel showtime", text, schedule_cancel_done,
	    s);
}

static int
schedule_key(struct app *a, void *p, int key)
{
	struct schedule		*s = p;
	struct office_showtime_arg *arg;
	char			 d[11];
	int			 r = ui_table_row(&s->table);

	switch (key) {
	case '[':
	case ']':
		if (office_date_add(s->date, key == '[' ? -1 : 1, d) == 0) {
			memcpy(s->date, d, sizeof s->date);
			s->table.list.sel = 0;
			schedule_load(a, s);
		}
		return ACT_REDRAW;
	case 'a':
	case 'e':
		if (key == 'e' && r < 0)
			return ACT_NONE;
		arg = xcalloc(1, sizeof *arg);
		memcpy(arg->date, s->date, sizeof arg->date);
		if (key == 'e')
			arg->id = s->rows[r].id;
		return app_push(a, SCR_ADMIN_SHOWTIME, arg);
	case 'x':
		if (r < 0)
			return ACT_NONE;
		if (strcmp(s->rows[r].status, "scheduled") != 0) {
			app_error(a, "That showtime is %s already.",
			    s->rows[r].status);
			return ACT_REDRAW;
		}
		return schedule_cancel(a, s, &s->rows[r]);
	}
	if (key != 'q' && ui_table_key(a, &s->table, LINES - 5, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
schedule_event(struct app *a, void *p, const struct app_event *ev)
{
	if (ev->kind == EV_RESUMED)
		schedule_load(a, p);
	return ACT_REDRAW;
}

static void
schedule_leave(struct app *a, void *p)
{
	struct schedule *s = p;

	(void)a;
	cnt_theatres_free(s->theatres, s->ntheatres);
	cnt_showtimes_free(s->rows, s->n);
	ui_table_free(&s->table);
	free(s);
}

const struct screen screen_admin_schedule = {
	"admin-schedule", "Schedule", schedule_help, 0,
	schedule_enter, schedule_draw, schedule_key, schedule_event,
	schedule_leave
};
