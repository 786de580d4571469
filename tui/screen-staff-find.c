/*
 * screen-staff-find.c - find a booking by code, customer name, username or
 * email. Type and press Enter to search; one match opens at once, several
 * are listed (Up/Down, Enter opens one).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct find {
	struct ui_field		 fields[1];
	struct ui_form		 form;
	char			 searched[512];
	struct cnt_booking	*rows;
	size_t			 n;
	struct ui_table		 table;
};

static const struct ui_column find_cols[] = {
	{ "Code", 7, false },
	{ "Customer", 20, false },
	{ "Film", 24, false },
	{ "Show", 16, false },
	{ "Seats", 12, false },
	{ "Status", 10, false },
};

static const struct help find_help[] = {
	{ "Enter", "search / open", true },
	{ "Up/Down", "move", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static const char *
find_cell(void *arg, int row, int col, char buf[128])
{
	struct find		*f = arg;
	struct cnt_booking	*b = &f->rows[row];

	switch (col) {
	case 0:
		return b->code;
	case 1:
		return b->customer_name != NULL && b->customer_name[0] != '\0' ?
		    b->customer_name : b->account_name;
	case 2:
		return b->movie_title;
	case 3:
		return office_when(b->starts_at, buf);
	case 4:
		return b->seats_text;
	}
	return cnt_booking_status_name(b->status);
}

static void *
find_enter(struct app *a, void *arg)
{
	struct find *f;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	f = xcalloc(1, sizeof *f);
	f->fields[0] = (struct ui_field){ .name = "query",
	    .label = "Code, name or email", .type = F_TEXT, .max = 100 };
	ui_form_init(&f->form, f->fields, 1);
	f->table.cols = find_cols;
	f->table.ncols = (int)(sizeof find_cols / sizeof find_cols[0]);
	f->table.cell = find_cell;
	f->table.arg = f;
	ui_table_set(&f->table, 0);
	return f;
}

static int
find_search(struct app *a, struct find *f)
{
	struct cnt_error err;
	struct cnt_booking *rows = NULL;
	size_t		 n = 0;

	cnt_strlcpy(f->searched, f->fields[0].value, sizeof f->searched);
	if (cnt_bookings_lookup(a->ctx, &a->actor, f->searched, &rows, &n,
	    &err) != CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	cnt_bookings_free(f->rows, f->n);
	f->rows = rows;
	f->n = n;
	f->table.list.sel = 0;
	ui_table_set(&f->table, (int)n);
	if (n == 0)
		app_error(a, "No booking matches \"%s\".", f->searched);
	else if (n == 1)
		return app_push(a, SCR_STAFF_BOOKING, OFFICE_ARG(rows[0].id));
	return ACT_REDRAW;
}

static void
find_draw(struct app *a, void *p)
{
	struct find *f = p;

	ui_form_draw(a, &f->form, 2, 2, 22, 40);
	if (f->searched[0] != '\0')
		ui_textf(a, 4, 2, COLS - 4, R_DIM, "%zu found for \"%s\"",
		    f->n, f->searched);
	ui_table_draw(a, &f->table, 6, 1, LINES - 8);
}

static int
find_key(struct app *a, void *p, int key)
{
	struct find	*f = p;
	int		 r;

	if (key_is_enter(key)) {
		if (strcmp(f->fields[0].value, f->searched) != 0 || f->n == 0)
			return f->fields[0].value[0] != '\0' ?
			    find_search(a, f) : ACT_NONE;
		if ((r = ui_table_row(&f->table)) >= 0)
			return app_push(a, SCR_STAFF_BOOKING,
			    OFFICE_ARG(f->rows[r].id));
		return ACT_NONE;
	}
	switch (key) {
	case K_UP: case K_DOWN: case K_PPAGE: case K_NPAGE:
		ui_table_key(a, &f->table, LINES - 8, key);
		return ACT_REDRAW;
	}
	if (key == 'q' && f->fields[0].len == 0)
		return ACT_PASS;
	r = ui_form_key(a, &f->form, key);
	if (r == FORM_CANCEL || r == FORM_NONE)
		return ACT_PASS;
	return ACT_REDRAW;
}

static int
find_event(struct app *a, void *p, const struct app_event *ev)
{
	struct find	*f = p;
	struct cnt_error err;
	struct cnt_booking *rows = NULL;
	size_t		 n = 0;

	/* Back from a booking: show its new status. */
	if (ev->kind == EV_RESUMED && f->searched[0] != '\0' &&
	    cnt_bookings_lookup(a->ctx, &a->actor, f->searched, &rows, &n,
	    &err) == CNT_OK) {
		cnt_bookings_free(f->rows, f->n);
		f->rows = rows;
		f->n = n;
		ui_table_set(&f->table, (int)n);
	}
	return ACT_REDRAW;
}

static void
find_leave(struct app *a, void *p)
{
	struct find *f = p;

	(void)a;
	cnt_bookings_free(f->rows, f->n);
	ui_table_free(&f->table);
	free(f);
}

const struct screen screen_staff_find = {
	"staff-find", "Find a booking", find_help, 0,
	find_enter, find_draw, find_key, find_event, find_leave
};
