/*
 * screen-admin-films.c - the catalogue: every film with rating, runtime,
 * genres and upcoming showtimes; / searches titles and genres, n adds a
 * film, Enter edits one, d deletes one (core refuses a film with sales
 * and says why).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct films {
	struct cnt_film		*rows;
	size_t			 n;
	struct ui_table		 table;
	struct office_search	 search;
};

static const struct ui_column films_cols[] = {
	{ "Title", 34, false },
	{ "Rating", 6, false },
	{ "Min", 4, true },
	{ "Genres", 30, false },
	{ "Upcoming", 8, true },
};

static const struct help films_help[] = {
	{ "Enter", "edit", true },
	{ "n", "new film", true },
	{ "d", "delete", true },
	{ "/", "search", true },
	{ "s, S", "sort by column, reverse", false },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
films_cell(void *arg, int row, int col, char buf[128])
{
	struct films	*f = arg;
	struct cnt_film	*m = &f->rows[row];
	size_t		 i, len = 0;

	switch (col) {
	case 0:
		return m->title;
	case 1:
		return m->rating;
	case 2:
		snprintf(buf, 128, "%d", m->runtime_min);
		return buf;
	case 3:
		buf[0] = '\0';
		for (i = 0; i < m->ngenres && len < 100; i++)
			len += (size_t)snprintf(buf + len, 128 - len, "%s%s",
			    i > 0 ? ", " : "", m->genres[i]);
		return buf;
	}
	snprintf(buf, 128, "%d", m->upcoming);
	return buf;
}

static int
films_cmp(void *arg, int a, int b, int col)
{
	struct films	*f = arg;
	struct cnt_film	*x = &f->rows[a], *y = &f->rows[b];

	switch (col) {
	case 2:
		return x->runtime_min - y->runtime_min;
	case 4:
		return x->upcoming - y->upcoming;
	case 1:
		return strcmp(x->rating, y->rating);
	}
	return strcasecmp(x->title, y->title);
}

static int
films_load(struct app *a, struct films *f)
{
	struct cnt_error err;
	struct cnt_film	*rows = NULL;
	size_t		 n = 0;

	if (cnt_film_list(a->ctx, f->search.text, &rows, &n, &err) !=
	    CNT_OK) {
		office_fail(a, &err);
		return -1;
	}
	cnt_films_free(f->rows, f->n);
	f->rows = rows;
	f->n = n;
	ui_table_set(&f->table, (int)n);
	return 0;
}

static void *
films_enter(struct app *a, void *arg)
{
	struct films *f;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	f = xcalloc(1, sizeof *f);
	f->table.cols = films_cols;
	f->table.ncols = (int)(sizeof films_cols / sizeof films_cols[0]);
	f->table.cell = films_cell;
	f->table.cmp = films_cmp;
	f->table.arg = f;
	if (films_load(a, f) != 0) {
		ui_table_free(&f->table);
		free(f);
		return NULL;
	}
	return f;
}

static void
films_draw(struct app *a, void *p)
{
	struct films *f = p;

	ui_textf(a, 1, 1, 30, R_HEADING, "%zu films", f->n);
	office_search_draw(a, &f->search, 1, 20, COLS - 22);
	ui_table_draw(a, &f->table, 3, 1, LINES - 5);
}

static int
films_delete_done(struct app *a, void *p, bool yes)
{
	struct films	*f = p;
	struct cnt_error err;
	int		 r = ui_table_row(&f->table);

	if (!yes || r < 0)
		return ACT_REDRAW;
	if (cnt_film_delete(a->ctx, &a->actor, f->rows[r].id, &err) !=
	    CNT_OK) {
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	app_message(a, "Deleted \"%s\".", f->rows[r].title);
	films_load(a, f);
	return ACT_REDRAW;
}

static int
films_key(struct app *a, void *p, int key)
{
	struct films	*f = p;
	char		 text[300];
	int		 r;

	if ((r = office_search_key(&f->search, key)) >= 0) {
		if (r == 1)
			films_load(a, f);
		return ACT_REDRAW;
	}
	r = ui_table_row(&f->table);
	switch (key) {
	case 'n':
		return app_push(a, SCR_ADMIN_FILM, OFFICE_ARG(0));
	case 'd':
		if (r < 0)
			return ACT_NONE;
		snprintf(text, sizeof text, "Delete \"%s\" and its showtimes "
		    "without sales?", f->rows[r].title);
		return app_confirm(a, "Delete film", text, films_delete_done,
		    f);
	}
	if (key_is_enter(key))
		return r < 0 ? ACT_NONE : app_push(a, SCR_ADMIN_FILM,
		    OFFICE_ARG(f->rows[r].id));
	if (key != 'q' && ui_table_key(a, &f->table, LINES - 5, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
films_event(struct app *a, void *p, const struct app_event *ev)
{
	if (ev->kind == EV_RESUMED)
		films_load(a, p);
	return ACT_REDRAW;
}

static void
films_leave(struct app *a, void *p)
{
	struct films *f = p;

	(void)a;
	cnt_films_free(f->rows, f->n);
	ui_table_free(&f->table);
	free(f);
}

const struct screen screen_admin_films = {
	"admin-films", "Films", films_help, 0,
	films_enter, films_draw, films_key, films_event, films_leave
};
