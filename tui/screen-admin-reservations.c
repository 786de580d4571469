/*
 * screen-admin-reservations.c - every booking, filtered by show date
 * range, film, theatre, status or code, one page at a time: only the rows
 * on screen are read (core's offset/limit), so thousands of bookings page
 * as fast as a few. f edits the filter, PgDn/PgUp (or moving past the
 * edge) turn pages, Enter opens a booking.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

enum { XF_FROM, XF_TO, XF_FILM, XF_THEATRE, XF_STATUS, XF_CODE, XF_N };

struct resv {
	struct ui_field		 fields[XF_N];
	struct ui_form		 form;
	bool			 editing;
	struct cnt_booking_filter filter;
	char			 code[8];	/* a code filter, "" none */
	struct cnt_booking	*rows;
	size_t			 n, total;
	int			 page;		/* rows a page */
	struct ui_table		 table;
};

static const struct ui_column resv_cols[] = {
	{ "Code", 7, false },
	{ "Show", 16, false },
	{ "Film", 24, false },
	{ "Theatre", 12, false },
	{ "Customer", 16, false },
	{ "Seats", 9, false },
	{ "Status", 9, false },
	{ "Total", 8, true },
};

static const struct help resv_help[] = {
	{ "Enter", "open", true },
	{ "f", "filter", true },
	{ "PgDn/PgUp", "next / previous page", true },
	{ "Home/End", "first / last page", false },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
resv_cell(void *arg, int row, int col, char buf[128])
{
	struct resv		*r = arg;
	struct cnt_booking	*b = &r->rows[row];

	switch (col) {
	case 0:
		return b->code;
	case 1:
		return office_when(b->starts_at, buf);
	case 2:
		return b->movie_title;
	case 3:
		return b->theatre_name;
	case 4:
		return b->customer_name != NULL && b->customer_name[0] != '\0' ?
		    b->customer_name : b->account_name;
	case 5:
		return b->seats_text;
	case 6:
		return cnt_booking_status_name(b->status);
	}
	return ui_money(b->total_cents, buf);
}

/* Rows a page: what fits on the screen. */
static int
resv_page(void)
{
	int	h = LINES - 7;

	return h > 1 ? h - 1 : 1;
}

/* Read the page at OFFSET (clamped); SEL is where the selection lands. */
static int
resv_load(struct app *a, struct resv *r, int offset, int sel)
{
	struct cnt_booking	*rows = NULL, one;
	struct cnt_error	 err;
	size_t			 n = 0, total = 0;

	r->page = resv_page();
	if (r->code[0] != '\0') {
		memset(&one, 0, sizeof one);
		if (cnt_booking_get_by_code(a->ctx, &a->actor, r->code, &one,
		    &err) == CNT_OK) {
			rows = xcalloc(1, sizeof *rows);
			rows[0] = one;
			n = total = 1;
		} else {
			cnt_booking_free(&one);
			if (err.kind != CNT_E_NOTFOUND) {
				office_fail(a, &err);
				return -1;
			}
		}
	} else {
		if (offset < 0)
			offset = 0;
		r->filter.offset = offset;
		r->filter.limit = r->page;
		if (cnt_bookings_list(a->ctx, &a->actor, &r->filter, &rows, &n,
		    &total, &err) != CNT_OK) {
			office_fail(a, &err);
			return -1;
		}
	}
	cnt_bookings_free(r->rows, r->n);
	r->rows = rows;
	r->n = n;
	r->total = total;
	r->table.list.top = 0;
	ui_table_set(&r->table, (int)n);
	r->table.list.sel = sel < 0 ? (int)n - 1 : sel;
	if (r->table.list.sel >= (int)n)
		r->table.list.sel = n > 0 ? (int)n - 1 : 0;
	return 0;
}

/* Turn the form into a filter; false with a message on a bad field. */
static bool
resv_filter(struct app *a, struct resv *r)
{
	struct cnt_booking_filter f;
	struct cnt_film		 film;
	struct cnt_theatre	 th;
	struct cnt_error	 err;
	struct ui_field		*fl;
	char			 when[24], next[11];

	memset(&f, 0, sizeof f);
	r->code[0] = '\0';
	ui_form_clear_msgs(&r->form);
	fl = &r->fields[XF_FROM];
	if (fl->value[0] != '\0') {
		snprintf(when, sizeof when, "%.10s 00:00", fl->value);
		if (cnt_local_time(a->ctx, when, &f.from, &err) != CNT_OK)
			goto bad;
	}
	fl = &r->fields[XF_TO];
	if (fl->value[0] != '\0') {
		if (office_date_add(fl->value, 1, next) != 0)
			goto bad_date;
		snprintf(when, sizeof when, "%.10s 00:00", next);
		if (cnt_local_time(a->ctx, when, &f.to, &err) != CNT_OK)
			goto bad;
	}
	fl = &r->fields[XF_FILM];
	if (fl->value[0] != '\0') {
		memset(&film, 0, sizeof film);
		if (cnt_film_by_title(a->ctx, fl->value, &film, &err) !=
		    CNT_OK) {
			cnt_film_free(&film);
			goto bad;
		}
		f.movie_id = film.id;
		cnt_film_free(&film);
	}
	fl = &r->fields[XF_THEATRE];
	if (fl->value[0] != '\0') {
		memset(&th, 0, sizeof th);
		if (cnt_theatre_by_name(a->ctx, fl->value, &th, &err) !=
		    CNT_OK) {
			cnt_theatre_free(&th);
			goto bad;
		}
		f.theatre_id = th.id;
		cnt_theatre_free(&th);
	}
	fl = &r->fields[XF_STATUS];
	if (fl->value[0] != '\0') {
		if (cnt_booking_status_parse(fl->value, &f.status) != CNT_OK) {
			snprintf(fl->msg, sizeof fl->msg, "confirmed, canceled, "
			    "refunded, completed or no_show");
			r->form.focus = XF_STATUS;
			return false;
		}
		f.by_status = true;
	}
	fl = &r->fields[XF_CODE];
	if (fl->value[0] != '\0' &&
	    cnt_code_normalize(fl->value, r->code) != 0) {
		snprintf(fl->msg, sizeof fl->msg, "a code looks like K7P-4QX");
		r->form.focus = XF_CODE;
		return false;
	}
	r->filter = f;
	(void)a;
	return true;
bad_date:
	snprintf(fl->msg, sizeof fl->msg, "a date is YYYY-MM-DD");
	r->form.focus = (int)(fl - r->fields);
	return false;
bad:
	cnt_strlcpy(fl->msg, err.msg, sizeof fl->msg);
	r->form.focus = (int)(fl - r->fields);
	return false;
}

static void *
resv_enter(struct app *a, void *arg)
{
	struct resv *r;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->fields[XF_FROM] = (struct ui_field){ .name = "from",
	    .label = "Shows from", .type = F_DATE, .max = 10 };
	r->fields[XF_TO] = (struct ui_field){ .name = "to",
	    .label = "to", .type = F_DATE, .max = 10 };
	r->fields[XF_FILM] = (struct ui_field){ .name = "film",
	    .label = "Film", .type = F_TEXT, .max = 100 };
	r->fields[XF_THEATRE] = (struct ui_field){ .name = "theatre",
	    .label = "Theatre", .type = F_TEXT, .max = 60 };
	r->fields[XF_STATUS] = (struct ui_field){ .name = "status",
	    .label = "Status", .type = F_TEXT, .max = 12 };
	r->fields[XF_CODE] = (struct ui_field){ .name = "code",
	    .label = "Code", .type = F_TEXT, .max = 10 };
	ui_form_init(&r->form, r->fields, XF_N);
	r->table.cols = resv_cols;
	r->table.ncols = (int)(sizeof resv_cols / sizeof resv_cols[0]);
	r->table.cell = resv_cell;
	r->table.arg = r;
	if (resv_load(a, r, 0, 0) != 0) {
		ui_table_free(&r->table);
		free(r);
		return NULL;
	}
	return r;
}

static void
resv_draw(struct app *a, void *p)
{
	struct resv	*r = p;
	int		 first = r->filter.offset + 1;
	int		 i, x;

	if (r->editing) {
		ui_text(a, 1, 1, COLS - 2, R_HEADING,
		    "Filter (empty fields do not filter; Enter applies)");
		ui_form_draw(a, &r->form, 3, 2, 14, 30);
		return;
	}
	if (r->n == 0)
		first = 0;
	ui_textf(a, 1, 1, COLS - 2, R_HEADING, "Reservations %d-%d of %zu",
	    first, r->filter.offset + (int)r->n, r->total);
	x = 40;
	for (i = 0; i < XF_N; i++)
		if (r->fields[i].value[0] != '\0')
			x += ui_textf(a, 1, x, COLS - x - 1, R_DIM, "%s %s  ",
			    r->fields[i].label, r->fields[i].value);
	ui_table_draw(a, &r->table, 3, 1, LINES - 5);
}

static int
resv_key(struct app *a, void *p, int key)
{
	struct resv	*r = p;
	int		 row, off = r->filter.offset, last;

	if (r->editing) {
		switch (ui_form_key(a, &r->form, key)) {
		case FORM_SUBMIT:
			if (resv_filter(a, r) && resv_load(a, r, 0, 0) == 0)
				r->editing = false;
			return ACT_REDRAW;
		case FORM_CANCEL:
			r->editing = false;
			return ACT_REDRAW;
		case FORM_USED:
			return ACT_REDRAW;
		}
		return ACT_PASS;
	}
	last = r->total > 0 ? ((int)r->total - 1) / r->page * r->page : 0;
	switch (key) {
	case 'f':
		r->editing = true;
		return ACT_REDRAW;
	case K_NPAGE:
		if (off + r->page < (int)r->total)
			resv_load(a, r, off + r->page, 0);
		return ACT_REDRAW;
	case K_PPAGE:
		if (off > 0)
			resv_load(a, r, off - r->page, 0);
		return ACT_REDRAW;
	case K_DOWN:
		if (r->table.list.sel == (int)r->n - 1 &&
		    off + (int)r->n < (int)r->total) {
			resv_load(a, r, off + r->page, 0);
			return ACT_REDRAW;
		}
		break;
	case K_UP:
		if (r->table.list.sel == 0 && off > 0) {
			resv_load(a, r, off - r->page, -1);
			return ACT_REDRAW;
		}
		break;
	case K_HOME:
		resv_load(a, r, 0, 0);
		return ACT_REDRAW;
	case K_END:
		resv_load(a, r, last, -1);
		return ACT_REDRAW;
	case K_RESIZE:
		resv_load(a, r, off, 0);
		return ACT_REDRAW;
	}
	if (key_is_enter(key)) {
		if ((row = ui_table_row(&r->table)) < 0)
			return ACT_NONE;
		return app_push(a, SCR_STAFF_BOOKING,
		    OFFICE_ARG(r->rows[row].id));
	}
	if (key != 'q' && ui_table_key(a, &r->table, LINES - 5, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
resv_event(struct app *a, void *p, const struct app_event *ev)
{
	struct resv *r = p;

	if (ev->kind == EV_RESUMED)
		resv_load(a, r, r->filter.offset, r->table.list.sel);
	return ACT_REDRAW;
}

static void
resv_leave(struct app *a, void *p)
{
	struct resv *r = p;

	(void)a;
	cnt_bookings_free(r->rows, r->n);
	ui_table_free(&r->table);
	free(r);
}

const struct screen screen_admin_reservations = {
	"admin-reservations", "All reservations", resv_help, 0,
	resv_enter, resv_draw, resv_key, resv_event, resv_leave
};
