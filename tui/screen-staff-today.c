/*
 * screen-staff-today.c - every showtime of the day across theatres: start,
 * film, theatre, sold / held / capacity and an occupancy bar. Enter opens
 * the seat map in sale mode; [ and ] step through the days. The counts are
 * re-read every 15 seconds and whenever a screen above closes.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct today {
	char			 date[11];
	char			 today[11];
	struct cnt_showtime	*rows;
	size_t			 n;
	struct ui_table		 table;
};

static const struct ui_column today_cols[] = {
	{ "Start", 5, false },
	{ "Film", 30, false },
	{ "Theatre", 14, false },
	{ "Sold", 5, true },
	{ "Held", 5, true },
	{ "Seats", 5, true },
	{ "Occupancy", 18, false },
};
#define NCOLS (int)(sizeof today_cols / sizeof today_cols[0])

static const struct help today_help[] = {
	{ "Enter", "sell", true },
	{ "Up/Down", "move", false },
	{ "[ ]", "day before / after", true },
	{ "r", "reload", true },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
today_cell(void *arg, int row, int col, char buf[128])
{
	struct today		*t = arg;
	struct cnt_showtime	*s = &t->rows[row];

	switch (col) {
	case 0:
		return s->local_start + 11;
	case 1:
		return s->film_title;
	case 2:
		return s->theatre_name;
	case 3:
		snprintf(buf, 128, "%d", s->sold);
		return buf;
	case 4:
		snprintf(buf, 128, "%d", s->held);
		return buf;
	case 5:
		snprintf(buf, 128, "%d", s->capacity);
		return buf;
	}
	return "";		/* the bar is drawn over it */
}

static const char *
today_text(void *arg, int row)
{
	struct today *t = arg;

	return t->rows[t->table.order[row]].film_title;
}

/* Read the day's showtimes again, keeping the selection if it is there. */
static int
today_load(struct app *a, struct today *t)
{
	struct cnt_showtime_filter f;
	struct cnt_error	 err;
	struct cnt_showtime	*rows = NULL;
	size_t			 n = 0, i;
	int64_t			 keep = 0;
	int			 r;

	if ((r = ui_table_row(&t->table)) >= 0)
		keep = t->rows[r].id;
	memset(&f, 0, sizeof f);
	f.date = t->date;
	if (cnt_showtime_list(a->ctx, &f, &rows, &n, &err) != CNT_OK) {
		office_fail(a, &err);
		return -1;
	}
	cnt_showtimes_free(t->rows, t->n);
	t->rows = rows;
	t->n = n;
	ui_table_set(&t->table, (int)n);
	for (i = 0; i < n; i++)
		if (rows[t->table.order[i]].id == keep)
			t->table.list.sel = (int)i;
	return 0;
}

static void *
today_enter(struct app *a, void *arg)
{
	struct today	*t;
	struct cnt_error err;
	size_t		 i;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	t = xcalloc(1, sizeof *t);
	if (cnt_local_today(a->ctx, t->today, &err) != CNT_OK) {
		office_fail(a, &err);
		free(t);
		return NULL;
	}
	memcpy(t->date, t->today, sizeof t->date);
	t->table.cols = today_cols;
	t->table.ncols = NCOLS;
	t->table.cell = today_cell;
	t->table.arg = t;
	t->table.list.text = today_text;
	t->table.list.arg = t;
	if (today_load(a, t) != 0) {
		ui_table_free(&t->table);
		free(t);
		return NULL;
	}
	/* Start on the first showtime that has not started yet. */
	for (i = 0; i < t->n; i++)
		if (!t->rows[i].started) {
			t->table.list.sel = (int)i;
			break;
		}
	return t;
}

static void
today_draw(struct app *a, void *p)
{
	struct today		*t = p;
	struct cnt_showtime	*s;
	int			 h = LINES - 5, i, r, x = 1, bx;

	ui_textf(a, 1, 1, COLS - 2, R_HEADING, "%s at %s%s", t->date,
	    a->cfg->cinema_name, strcmp(t->date, t->today) == 0 ?
	    " (today)" : "");
	ui_table_draw(a, &t->table, 3, x, h);
	for (i = 0, bx = x; i < NCOLS - 1; i++)
		bx += today_cols[i].width + 1;
	for (i = 0; i < h - 1 && t->table.list.top + i < t->table.list.n;
	    i++) {
		r = t->table.order[t->table.list.top + i];
		s = &t->rows[r];
		if (s->started)
			ui_text(a, 4 + i, bx, 18, R_DIM, "started");
		else
			ui_bar(a, 4 + i, bx, 14, s->sold + s->held,
			    s->capacity, s->sold >= s->capacity ? R_ERROR :
			    R_BAR);
		if (s->capacity > 0)
			ui_textf(a, 4 + i, bx + 15, 4, R_NORMAL, "%3d%%",
			    (s->sold * 100 + s->capacity / 2) / s->capacity);
	}
}

static int
today_key(struct app *a, void *p, int key)
{
	struct today	*t = p;
	char		 d[11];
	int		 r;

	if (key_is_enter(key)) {
		if ((r = ui_table_row(&t->table)) < 0)
			return ACT_NONE;
		if (t->rows[r].started) {
			app_error(a, "That showtime has started: no more "
			    "sales.");
			return ACT_REDRAW;
		}
		return app_push(a, SCR_STAFF_SALE,
		    OFFICE_ARG(t->rows[r].id));
	}
	if (key == '[' || key == ']') {
		if (office_date_add(t->date, key == '[' ? -1 : 1, d) == 0) {
			memcpy(t->date, d, sizeof t->date);
			t->table.list.sel = 0;
			today_load(a, t);
		}
		return ACT_REDRAW;
	}
	if (key == 'r') {
		today_load(a, t);
		return ACT_REDRAW;
	}
	if (ui_table_key(a, &t->table, LINES - 5, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
today_event(struct app *a, void *p, const struct app_event *ev)
{
	(void)ev;
	today_load(a, p);
	return ACT_REDRAW;
}

static void
today_leave(struct app *a, void *p)
{
	struct today *t = p;

	(void)a;
	cnt_showtimes_free(t->rows, t->n);
	ui_table_free(&t->table);
	free(t);
}

const struct screen screen_staff_today = {
	"staff-today", "Today", today_help, 15000,
	today_enter, today_draw, today_key, today_event, today_leave
};
