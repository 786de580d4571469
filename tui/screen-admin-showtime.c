/*
 * screen-admin-showtime.c - add a showtime (or move / reprice one): film
 * and theatre by name (a unique beginning is enough), date, start time,
 * base price and "repeat daily for N days". The end is computed as one
 * types (runtime + trailers) and shown with the cleaning buffer; core
 * decides about overlaps and its refusal is shown in the form.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

enum { SF_FILM, SF_THEATRE, SF_DATE, SF_START, SF_PRICE, SF_DAYS, SF_SAVE,
    SF_N };

struct stform {
	int64_t		id;		/* 0: add */
	struct ui_field	fields[SF_N];
	struct ui_form	form;
	int		runtime;	/* of the film typed, 0 unknown */
	char		film_title[200];
};

static const struct help stform_help[] = {
	{ "Tab", "next field", true },
	{ "Enter", "next / save", true },
	{ "Esc", "cancel", true },
	{ NULL, NULL, false }
};

/* Find the film NAME: exact title, else the one film whose title or
 * genre contains it. *OUT gets it; -1 with a message on the field. */
static int
stform_film(struct app *a, struct stform *sf, struct cnt_film *out)
{
	struct ui_field	*fl = &sf->fields[SF_FILM];
	struct cnt_film	*rows = NULL;
	struct cnt_error err;
	size_t		 n = 0;

	memset(out, 0, sizeof *out);
	if (fl->value[0] == '\0') {
		snprintf(fl->msg, sizeof fl->msg, "type a film's title");
		return -1;
	}
	if (cnt_film_by_title(a->ctx, fl->value, out, &err) == CNT_OK)
		return 0;
	cnt_film_free(out);
	memset(out, 0, sizeof *out);
	if (cnt_film_list(a->ctx, fl->value, &rows, &n, &err) != CNT_OK) {
		cnt_strlcpy(fl->msg, err.msg, sizeof fl->msg);
		return -1;
	}
	if (n == 1) {
		*out = rows[0];
		memset(&rows[0], 0, sizeof rows[0]);
		cnt_films_free(rows, n);
		ui_field_set(fl, out->title);
		return 0;
	}
	snprintf(fl->msg, sizeof fl->msg, n == 0 ? "no film matches" :
	    "%zu films match: type more of the title", n);
	cnt_films_free(rows, n);
	return -1;
}

/* The theatre called NAME, or the one whose name starts with it. */
static int
stform_theatre(struct app *a, struct stform *sf, int64_t *id)
{
	struct ui_field		*fl = &sf->fields[SF_THEATRE];
	struct cnt_theatre	*rows = NULL, t;
	struct cnt_error	 err;
	size_t			 n = 0, i, hits = 0, len = strlen(fl->value);

	memset(&t, 0, sizeof t);
	if (cnt_theatre_by_name(a->ctx, fl->value, &t, &err) == CNT_OK) {
		*id = t.id;
		cnt_theatre_free(&t);
		return 0;
	}
	cnt_theatre_free(&t);
	if (cnt_theatre_list(a->ctx, &rows, &n, &err) != CNT_OK) {
		cnt_strlcpy(fl->msg, err.msg, sizeof fl->msg);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (len > 0 && strncasecmp(rows[i].name, fl->value, len) == 0) {
			hits++;
			*id = rows[i].id;
			if (hits == 1)
				ui_field_set(fl, rows[i].name);
		}
	cnt_theatres_free(rows, n);
	if (hits == 1)
		return 0;
	snprintf(fl->msg, sizeof fl->msg, hits == 0 ? "no such theatre" :
	    "several theatres match");
	return -1;
}

static void *
stform_enter(struct app *a, void *arg)
{
	struct office_showtime_arg *sa = arg;
	struct stform		*sf;
	struct cnt_showtime	 st;
	struct cnt_error	 err;
	char			 buf[32];

	if (!office_allowed(a, CNT_ROLE_ADMIN)) {
		free(sa);
		return NULL;
	}
	sf = xcalloc(1, sizeof *sf);
	sf->id = sa != NULL ? sa->id : 0;
	sf->fields[SF_FILM] = (struct ui_field){ .name = "film",
	    .label = "Film", .type = F_TEXT, .max = 120 };
	sf->fields[SF_THEATRE] = (struct ui_field){ .name = "theatre",
	    .label = "Theatre", .type = F_TEXT, .max = 60 };
	sf->fields[SF_DATE] = (struct ui_field){ .name = "date",
	    .label = "Date", .type = F_DATE, .max = 10 };
	sf->fields[SF_START] = (struct ui_field){ .name = "starts_at",
	    .label = "Start (HH:MM)", .type = F_TEXT, .max = 5 };
	sf->fields[SF_PRICE] = (struct ui_field){ .name = "price",
	    .label = "Base price", .type = F_TEXT, .max = 10 };
	sf->fields[SF_DAYS] = (struct ui_field){ .name = "days",
	    .label = "Repeat daily (days)", .type = F_NUMBER, .max = 2 };
	sf->fields[SF_SAVE] = (struct ui_field){ .name = "save",
	    .label = "Save", .type = F_BUTTON };
	ui_form_init(&sf->form, sf->fields, SF_N);
	ui_field_set(&sf->fields[SF_DATE], sa != NULL ? sa->date : "");
	ui_field_set(&sf->fields[SF_PRICE], "12.00");
	ui_field_set(&sf->fields[SF_DAYS], "1");
	if (sf->id != 0) {
		memset(&st, 0, sizeof st);
		if (cnt_showtime_get(a->ctx, sf->id, &st, &err) != CNT_OK) {
			office_fail(a, &err);
			cnt_showtime_free(&st);
			free(sf);
			free(sa);
			return NULL;
		}
		ui_field_set(&sf->fields[SF_FILM], st.film_title);
		ui_field_set(&sf->fields[SF_THEATRE], st.theatre_name);
		snprintf(buf, sizeof buf, "%.10s", st.local_start);
		ui_field_set(&sf->fields[SF_DATE], buf);
		ui_field_set(&sf->fields[SF_START], st.local_start + 11);
		ui_field_set(&sf->fields[SF_PRICE],
		    ui_money(st.base_price_cents, buf));
		sf->runtime = st.runtime_min;
		cnt_strlcpy(sf->film_title, st.film_title,
		    sizeof sf->film_title);
		cnt_showtime_free(&st);
	}
	free(sa);
	return sf;
}

static void
stform_draw(struct app *a, void *p)
{
	struct stform	*sf = p;
	int		 h, m, end, clean;

	ui_text(a, 1, 2, COLS - 4, R_HEADING, sf->id == 0 ?
	    "Add a showtime" : "Move or reprice a showtime");
	ui_form_draw(a, &sf->form, 3, 2, 22, 40);
	if (sf->runtime > 0 &&
	    sscanf(sf->fields[SF_START].value, "%d:%d", &h, &m) == 2) {
		end = h * 60 + m + sf->runtime + a->cfg->trailer_minutes;
		clean = end + a->cfg->cleaning_minutes;
		ui_textf(a, 3, 66, COLS - 68, R_DIM, "%s: %d min + %d "
		    "trailers", sf->film_title, sf->runtime,
		    a->cfg->trailer_minutes);
		ui_textf(a, 4, 66, COLS - 68, R_NORMAL, "ends %02d:%02d, "
		    "cleaning until %02d:%02d", end / 60 % 24, end % 60,
		    clean / 60 % 24, clean % 60);
	}
}

static int
stform_save(struct app *a, struct stform *sf)
{
	struct cnt_showtime_input in;
	struct cnt_film		 film;
	struct cnt_error	 err;
	char			 when[40];
	int64_t			 price, id;
	int			 days, rc;

	ui_form_clear_msgs(&sf->form);
	memset(&in, 0, sizeof in);
	if (stform_film(a, sf, &film) != 0) {
		sf->form.focus = SF_FILM;
		return ACT_REDRAW;
	}
	in.film_id = film.id;
	sf->runtime = film.runtime_min;
	cnt_strlcpy(sf->film_title, film.title, sizeof sf->film_title);
	cnt_film_free(&film);
	if (stform_theatre(a, sf, &in.theatre_id) != 0) {
		sf->form.focus = SF_THEATRE;
		return ACT_REDRAW;
	}
	snprintf(when, sizeof when, "%.10s %.5s", sf->fields[SF_DATE].value,
	    sf->fields[SF_START].value);
	if (cnt_local_time(a->ctx, when, &in.starts_at, &err) != CNT_OK) {
		snprintf(sf->fields[SF_START].msg,
		    sizeof sf->fields[SF_START].msg,
		    "a date and a time like 18:30");
		sf->form.focus = SF_START;
		return ACT_REDRAW;
	}
	if (office_parse_money(sf->fields[SF_PRICE].value, &price) != 0 ||
	    price > 1000000) {
		snprintf(sf->fields[SF_PRICE].msg,
		    sizeof sf->fields[SF_PRICE].msg, "a price like 12.50");
		sf->form.focus = SF_PRICE;
		return ACT_REDRAW;
	}
	in.base_price_cents = (int)price;
	days = atoi(sf->fields[SF_DAYS].value);
	if (days < 1 || days > 60) {
		snprintf(sf->fields[SF_DAYS].msg,
		    sizeof sf->fields[SF_DAYS].msg, "1 to 60 days");
		sf->form.focus = SF_DAYS;
		return ACT_REDRAW;
	}
	if (sf->id != 0)
		rc = cnt_showtime_update(a->ctx, &a->actor, sf->id, &in, &err);
	else if (days == 1)
		rc = cnt_showtime_create(a->ctx, &a->actor, &in, &id, &err);
	else
		rc = cnt_showtime_repeat(a->ctx, &a->actor, &in, days, NULL,
		    &err);
	if (rc != CNT_OK) {
		ui_form_error(&sf->form, &err);
		return ACT_REDRAW;
	}
	app_message(a, "Scheduled %s at %s%s.", sf->film_title, when,
	    days > 1 ? " daily" : "");
	return ACT_POP;
}

static int
stform_key(struct app *a, void *p, int key)
{
	struct stform	*sf = p;
	struct cnt_film	 film;
	int		 before = sf->form.focus;

	switch (ui_form_key(a, &sf->form, key)) {
	case FORM_SUBMIT:
		return stform_save(a, sf);
	case FORM_CANCEL:
		return ACT_POP;
	case FORM_USED:
		/* Leaving the film field: look it up to compute the end. */
		if (before == SF_FILM && sf->form.focus != SF_FILM &&
		    sf->fields[SF_FILM].value[0] != '\0') {
			if (stform_film(a, sf, &film) == 0) {
				sf->runtime = film.runtime_min;
				cnt_strlcpy(sf->film_title, film.title,
				    sizeof sf->film_title);
			} else
				sf->runtime = 0;
			cnt_film_free(&film);
		}
		return ACT_REDRAW;
	}
	return ACT_PASS;
}

static void
stform_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_admin_showtime = {
	"admin-showtime", "Showtime", stform_help, 0,
	stform_enter, stform_draw, stform_key, NULL, stform_leave
};
