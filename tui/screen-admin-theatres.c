/*
 * screen-admin-theatres.c - the theatres with their capacity by seat type
 * and upcoming showtimes; n adds a theatre, Enter replaces a layout (both
 * in the layout editor with its live preview), d deletes an unused one.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct theatres {
	struct cnt_theatre	*rows;
	size_t			 n;
	struct ui_table		 table;
};

static const struct ui_column theatres_cols[] = {
	{ "Theatre", 24, false },
	{ "Seats", 6, true },
	{ "Std", 5, true },
	{ "Prem", 5, true },
	{ "VIP", 5, true },
	{ "Wheel", 5, true },
	{ "Comp", 5, true },
	{ "Upcoming", 8, true },
};

static const struct help theatres_help[] = {
	{ "Enter", "edit layout", true },
	{ "n", "new theatre", true },
	{ "d", "delete", true },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
theatres_cell(void *arg, int row, int col, char buf[128])
{
	struct theatres		*t = arg;
	struct cnt_theatre	*h = &t->rows[row];

	if (col == 0)
		return h->name;
	if (col == 1)
		snprintf(buf, 128, "%d", h->capacity);
	else if (col == 7)
		snprintf(buf, 128, "%d", h->upcoming);
	else
		snprintf(buf, 128, "%d", h->count[col - 2]);
	return buf;
}

static int
theatres_load(struct app *a, struct theatres *t)
{
	struct cnt_error	 err;
	struct cnt_theatre	*rows = NULL;
	size_t			 n = 0;

	if (cnt_theatre_list(a->ctx, &rows, &n, &err) != CNT_OK) {
		office_fail(a, &err);
		return -1;
	}
	cnt_theatres_free(t->rows, t->n);
	t->rows = rows;
	t->n = n;
	ui_table_set(&t->table, (int)n);
	return 0;
}

static void *
theatres_enter(struct app *a, void *arg)
{
	struct theatres *t;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	t = xcalloc(1, sizeof *t);
	t->table.cols = theatres_cols;
	t->table.ncols = (int)(sizeof theatres_cols /
	    sizeof theatres_cols[0]);
	t->table.cell = theatres_cell;
	t->table.arg = t;
	if (theatres_load(a, t) != 0) {
		ui_table_free(&t->table);
		free(t);
		return NULL;
	}
	return t;
}

static void
theatres_draw(struct app *a, void *p)
{
	struct theatres	*t = p;
	size_t		 i;
	int		 total = 0;

	for (i = 0; i < t->n; i++)
		total += t->rows[i].capacity;
	ui_textf(a, 1, 1, COLS - 2, R_HEADING, "%zu theatres, %d seats",
	    t->n, total);
	ui_table_draw(a, &t->table, 3, 1, LINES - 5);
}

static int
theatres_delete_done(struct app *a, void *p, bool yes)
{
	struct theatres	*t = p;
	struct cnt_error err;
	int		 r = ui_table_row(&t->table);

	if (!yes || r < 0)
		return ACT_REDRAW;
	if (cnt_theatre_delete(a->ctx, &a->actor, t->rows[r].id, &err) !=
	    CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	app_message(a, "Deleted %s.", t->rows[r].name);
	theatres_load(a, t);
	return ACT_REDRAW;
}

static int
theatres_key(struct app *a, void *p, int key)
{
	struct theatres	*t = p;
	char		 text[200];
	int		 r = ui_table_row(&t->table);

	switch (key) {
	case 'n':
		return app_push(a, SCR_ADMIN_LAYOUT, OFFICE_ARG(0));
	case 'd':
		if (r < 0)
			return ACT_NONE;
		snprintf(text, sizeof text, "Delete theatre %s?",
		    t->rows[r].name);
		return app_confirm(a, "Delete theatre", text,
		    theatres_delete_done, t);
	}
	if (key_is_enter(key))
		return r < 0 ? ACT_NONE : app_push(a, SCR_ADMIN_LAYOUT,
		    OFFICE_ARG(t->rows[r].id));
	if (key != 'q' && ui_table_key(a, &t->table, LINES - 5, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
theatres_event(struct app *a, void *p, const struct app_event *ev)
{
	if (ev->kind == EV_RESUMED)
		theatres_load(a, p);
	return ACT_REDRAW;
}

static void
theatres_leave(struct app *a, void *p)
{
	struct theatres *t = p;

	(void)a;
	cnt_theatres_free(t->rows, t->n);
	ui_table_free(&t->table);
	free(t);
}

const struct screen screen_admin_theatres = {
	"admin-theatres", "Theatres", theatres_help, 0,
	theatres_enter, theatres_draw, theatres_key, theatres_event,
	theatres_leave
};
