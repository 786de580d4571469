/*
 * screen-films.c - films by date: a strip of days (today and the next 13),
 * and the films showing on the chosen day, each with its showtimes
 * ("19:30 · Hall 2 · 34 left"). Shows that started or sold out are greyed
 * and cannot be opened. Enter on a show opens its seat map; Enter on a
 * film shows its description.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define FILMS_DAYS	14

/* A row of the list: a film, or one of its shows. */
struct films_row {
	int	film;		/* index in listing.films */
	int	show;		/* index in the film's shows, -1: the film */
};

struct films {
	char			 today[11];
	int			 day;		/* 0 = today */
	char			 date[11];	/* the day shown */
	struct cnt_listing	 listing;
	bool			 loaded;
	struct films_row	*rows;
	struct ui_list		 list;
};

static const struct help films_help[] = {
	{ "Left/Right", "day", true },
	{ "Up/Down", "film or showtime", false },
	{ "Enter", "seats / film details", true },
	{ "Home", "today", false },
	{ "letters", "jump to a film by title", false },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

/* DATE plus DAYS days, "YYYY-MM-DD", into OUT; *WDAY gets 0 = Sunday. */
static void
date_add(const char *date, int days, char out[11], int *wday)
{
	struct tm	tm;
	time_t		t;

	memset(&tm, 0, sizeof tm);
	if (sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday)
	    != 3) {
		cnt_strlcpy(out, date, 11);
		*wday = 0;
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	*wday = tm.tm_wday;
}

static const char *
films_row_text(void *arg, int row)
{
	struct films *s = arg;

	return s->listing.films[s->rows[row].film].title;
}

/* Read the programme of the chosen day and rebuild the rows. */
static void
films_load(struct app *a, struct films *s)
{
	struct cnt_error err;
	size_t		 f, i, n = 0;
	int		 wday;

	if (s->loaded)
		cnt_listing_free(&s->listing);
	s->loaded = false;
	free(s->rows);
	s->rows = NULL;
	s->list.n = 0;
	date_add(s->today, s->day, s->date, &wday);
	memset(&s->listing, 0, sizeof s->listing);
	if (cnt_listing_day(a->ctx, s->date, &s->listing, &err) != CNT_OK) {
		app_error(a, "%s", err.msg);
		return;
	}
	s->loaded = true;
	for (f = 0; f < s->listing.nfilms; f++)
		n += 1 + s->listing.films[f].nshows;
	s->rows = xcalloc(n > 0 ? n : 1, sizeof *s->rows);
	for (f = 0; f < s->listing.nfilms; f++) {
		s->rows[s->list.n].film = (int)f;
		s->rows[s->list.n++].show = -1;
		for (i = 0; i < s->listing.films[f].nshows; i++) {
			s->rows[s->list.n].film = (int)f;
			s->rows[s->list.n++].show = (int)i;
		}
	}
	s->list.text = films_row_text;
	s->list.arg = s;
	/* Start on the first show that can still be booked. */
	s->list.sel = 0;
	s->list.top = 0;
	for (i = 0; i < (size_t)s->list.n; i++) {
		const struct films_row *r = &s->rows[i];
		const struct cnt_listing_show *sh;

		if (r->show < 0)
			continue;
		sh = &s->listing.films[r->film].shows[r->show];
		if (!sh->started && !sh->sold_out) {
			s->list.sel = (int)i;
			break;
		}
	}
}

static void *
films_enter(struct app *a, void *arg)
{
	struct films	*s;
	struct cnt_error err;

	(void)arg;
	s = xcalloc(1, sizeof *s);
	if (cnt_local_today(a->ctx, s->today, &err) != CNT_OK) {
		app_error(a, "%s", err.msg);
		free(s);
		return NULL;
	}
	films_load(a, s);
	return s;
}

/* The strip of days on row Y. */
static void
films_draw_days(struct app *a, struct films *s, int y)
{
	static const char *const wd[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	char	 date[11], label[16];
	int	 i, x = 2, wday, first = 0, fit;

	fit = (COLS - 8) / 9;
	if (s->day >= fit)
		first = s->day - fit + 1;
	if (first > 0)
		ui_text(a, y, 0, 2, R_DIM, "<");
	for (i = first; i < FILMS_DAYS && x + 9 < COLS; i++) {
		date_add(s->today, i, date, &wday);
		if (i == 0)
			snprintf(label, sizeof label, " Today ");
		else
			snprintf(label, sizeof label, " %s %s ", wd[wday],
			    date + 8);
		ui_text(a, y, x, 8, i == s->day ? R_SELECTED : R_NORMAL,
		    label);
		x += 9;
	}
	if (i < FILMS_DAYS)
		ui_text(a, y, COLS - 2, 2, R_DIM, ">");
}

static void
films_draw(struct app *a, void *p)
{
	struct films			*s = p;
	const struct cnt_listing_film	*f;
	const struct cnt_listing_show	*sh;
	const struct films_row		*r;
	char				 line[256], genres[128], price[32];
	size_t				 g;
	int				 i, y, h, x;
	enum role			 role;

	films_draw_days(a, s, 2);
	ui_textf(a, 4, 2, COLS - 4, R_HEADING, "Showing on %s", s->date);
	h = LINES - 7;
	if (!s->loaded)
		return;
	if (s->list.n == 0) {
		ui_text(a, 6, 4, COLS - 6, R_DIM,
		    "Nothing is showing on this day.");
		return;
	}
	ui_list_scroll(&s->list, h);
	for (i = 0; i < h && s->list.top + i < s->list.n; i++) {
		r = &s->rows[s->list.top + i];
		f = &s->listing.films[r->film];
		y = 5 + i;
		if (r->show < 0) {
			genres[0] = '\0';
			for (g = 0; g < f->ngenres; g++) {
				if (g > 0)
					strncat(genres, ", ", sizeof genres -
					    strlen(genres) - 1);
				strncat(genres, f->genres[g], sizeof genres -
				    strlen(genres) - 1);
			}
			role = s->list.top + i == s->list.sel ? R_SELECTED :
			    R_HEADING;
			if (role == R_SELECTED) {
				ui_fill(a, y, 0, COLS - 2, role);
				ui_text(a, y, 0, 1, role, ">");
			}
			x = 2 + ui_text(a, y, 2, COLS / 2, role, f->title);
			snprintf(line, sizeof line, "  %s %s %d min %s %s",
			    f->rating, term_glyph(a->term, G_DOT),
			    f->runtime_min, term_glyph(a->term, G_DOT),
			    genres);
			ui_text(a, y, x, COLS - x - 2, role == R_SELECTED ?
			    role : R_DIM, line);
			continue;
		}
		sh = &f->shows[r->show];
		snprintf(line, sizeof line, "%s %s %s %s %d left %s %s",
		    sh->local_start, term_glyph(a->term, G_DOT),
		    sh->theatre_name, term_glyph(a->term, G_DOT),
		    sh->seats_left, term_glyph(a->term, G_DOT),
		    ui_money(sh->base_price_cents, price));
		if (sh->started)
			strncat(line, "  (started)", sizeof line -
			    strlen(line) - 1);
		else if (sh->sold_out)
			strncat(line, "  (sold out)", sizeof line -
			    strlen(line) - 1);
		role = sh->started || sh->sold_out ? R_DIM : R_NORMAL;
		if (s->list.top + i == s->list.sel) {
			role = R_SELECTED;
			ui_fill(a, y, 4, COLS - 6, role);
			ui_text(a, y, 4, 1, role, ">");
		}
		ui_text(a, y, 6, COLS - 8, role, line);
	}
}

/* Open row ROW: a film's description, or a show's seat map. */
static int
films_open(struct app *a, struct films *s, int row)
{
	const struct films_row		*r = &s->rows[row];
	const struct cnt_listing_film	*f = &s->listing.films[r->film];
	const struct cnt_listing_show	*sh;
	int64_t				*id;
	char				 text[512];

	if (r->show < 0) {
		snprintf(text, sizeof text, "%s (%s, %d min). %s", f->title,
		    f->rating, f->runtime_min, f->description[0] != '\0' ?
		    f->description : "No description yet.");
		return app_alert(a, "About the film", text);
	}
	sh = &f->shows[r->show];
	if (sh->started) {
		app_error(a, "This show has started; pick a later one.");
		return ACT_REDRAW;
	}
	if (sh->sold_out) {
		app_error(a, "This show is sold out.");
		return ACT_REDRAW;
	}
	id = xmalloc(sizeof *id);
	*id = sh->showtime_id;
	return app_push(a, SCR_SEATS, id);
}

static int
films_key(struct app *a, void *p, int key)
{
	struct films *s = p;

	switch (key) {
	case K_LEFT:
		if (s->day > 0) {
			s->day--;
			films_load(a, s);
		}
		return ACT_REDRAW;
	case K_RIGHT:
		if (s->day < FILMS_DAYS - 1) {
			s->day++;
			films_load(a, s);
		}
		return ACT_REDRAW;
	case K_HOME:
		if (s->day == 0)
			break;
		s->day = 0;
		films_load(a, s);
		return ACT_REDRAW;
	default:
		break;
	}
	if (key_is_enter(key) && s->list.n > 0)
		return films_open(a, s, s->list.sel);
	if (key == K_MOUSE && a->mouse.click) {
		int row = s->list.top + a->mouse.y - 5;

		if (row >= s->list.top && row < s->list.n &&
		    a->mouse.y >= 5 && a->mouse.y < LINES - 2) {
			s->list.sel = row;
			return films_open(a, s, row);
		}
		return ACT_NONE;
	}
	if (ui_list_key(a, &s->list, LINES - 7, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
films_event(struct app *a, void *p, const struct app_event *ev)
{
	struct films	*s = p;
	int		 sel = s->list.sel, top = s->list.top;

	if (ev->kind != EV_RESUMED)
		return ACT_NONE;
	/* Seats left changed while the user was away: read again. */
	films_load(a, s);
	if (sel < s->list.n) {
		s->list.sel = sel;
		s->list.top = top;
	}
	return ACT_REDRAW;
}

static void
films_leave(struct app *a, void *p)
{
	struct films *s = p;

	(void)a;
	if (s->loaded)
		cnt_listing_free(&s->listing);
	free(s->rows);
	free(s);
}

const struct screen screen_films = {
	"films", "Films by date", films_help, 0,
	films_enter, films_draw, films_key, films_event, films_leave
};
