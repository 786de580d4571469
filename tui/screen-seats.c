/*
 * screen-seats.c - pick seats on the live seat map of one showtime.
 *
 * Arrows or hjkl move the cursor, Space or a click picks a seat, b and a
 * digit add the best N seats core finds, Enter holds the picked seats and
 * opens the checkout (a guest signs in or up first; the pick is kept).
 * Seat changes by other people arrive as live events and redraw the map;
 * a picked seat someone else took meanwhile is dropped with a message.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "seatmap.h"

struct seats {
	int64_t			 showtime_id;
	struct cnt_seatmap	 map;
	bool			 loaded;
	char			 when[32];	/* local start */
	struct seatmap_view	 view;
	int64_t			*picked;
	size_t			 npicked;
	size_t			 maxpick;
	bool			 best_pending;	/* b typed, digit next */
	bool			 hold_after_signin;
};

static const struct help seats_help[] = {
	{ "Arrows/hjkl", "move", true },
	{ "Space", "pick", true },
	{ "b N", "best N seats", true },
	{ "Enter", "hold and pay", true },
	{ "click", "pick a seat", false },
	{ "c", "clear the picks", false },
	{ "r", "read the map again", false },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

/* Remove seat ID from the picks. */
static void
pick_remove(struct seats *s, int64_t id)
{
	size_t	i;

	for (i = 0; i < s->npicked; i++)
		if (s->picked[i] == id) {
			memmove(&s->picked[i], &s->picked[i + 1],
			    (s->npicked - i - 1) * sizeof *s->picked);
			s->npicked--;
			return;
		}
}

static void
view_sync(struct seats *s)
{
	s->view.map = &s->map;
	s->view.selected = s->picked;
	s->view.nselected = s->npicked;
}

/*
 * Read the seat map again. Picked seats that someone else took meanwhile
 * are dropped and named in the status bar. FIRST: also pick the seats the
 * actor holds already (a hold from a checkout left earlier).
 */
static bool
seats_load(struct app *a, struct seats *s, bool first)
{
	struct cnt_seatmap	 m;
	struct cnt_error	 err;
	int64_t			 cur_id = -1;
	char			 lost[128], name[16];
	size_t			 i;
	int			 k;

	memset(&m, 0, sizeof m);
	if (cnt_seatmap_get(a->ctx, &a->actor, s->showtime_id, &m, &err) !=
	    CNT_OK) {
		app_error(a, "%s", err.msg);
		return false;
	}
	if (s->loaded) {
		if (s->view.cursor >= 0 &&
		    (size_t)s->view.cursor < s->map.nseats)
			cur_id = s->map.seats[s->view.cursor].seat_id;
		cnt_seatmap_free(&s->map);
	}
	s->map = m;
	s->loaded = true;
	lost[0] = '\0';
	for (i = 0; i < s->npicked;) {
		k = seatmap_find(&s->map, s->picked[i]);
		if (k < 0 || s->map.seats[k].state == CNT_SEAT_HELD ||
		    s->map.seats[k].state == CNT_SEAT_SOLD) {
			if (k >= 0) {
				if (lost[0] != '\0')
					strncat(lost, ", ", sizeof lost -
					    strlen(lost) - 1);
				strncat(lost, seatmap_name(&s->map.seats[k],
				    name), sizeof lost - strlen(lost) - 1);
			}
			pick_remove(s, s->picked[i]);
			continue;
		}
		i++;
	}
	if (first)
		for (i = 0; i < s->map.nseats && s->npicked < s->maxpick; i++)
			if (s->map.seats[i].state == CNT_SEAT_MINE &&
			    !seatmap_is_selected(&s->view,
			    s->map.seats[i].seat_id))
				s->picked[s->npicked++] = s->map.seats[i].seat_id;
	view_sync(s);
	if (lost[0] != '\0')
		app_error(a, "Sorry, %s %s just taken by someone else.", lost,
		    strchr(lost, ',') ? "were" : "was");
	s->view.cursor = cur_id >= 0 ? seatmap_find(&s->map, cur_id) : -1;
	if (s->view.cursor < 0 && s->map.nseats > 0) {
		/* Start in the middle of the middle row. */
		int	midy = s->map.height / 2, best = -1, bd = 0, d;

		for (i = 0; i < s->map.nseats; i++) {
			d = abs(s->map.seats[i].y - midy) * 1000 +
			    abs(2 * s->map.seats[i].x - s->map.width);
			if (best == -1 || d < bd)
				best = (int)i, bd = d;
		}
		s->view.cursor = best;
	}
	return true;
}

/* ARG: an allocated int64_t showtime id, freed here. */
static void *
seats_enter(struct app *a, void *arg)
{
	struct seats	*s;
	int64_t		*id = arg;

	s = xcalloc(1, sizeof *s);
	s->showtime_id = *id;
	free(id);
	s->maxpick = (size_t)a->cfg->max_seats_per_booking;
	s->picked = xcalloc(s->maxpick, sizeof *s->picked);
	s->view.cursor = -1;
	view_sync(s);
	if (!seats_load(a, s, true)) {
		free(s->picked);
		free(s);
		return NULL;
	}
	ui_time(s->map.starts_at, s->when);
	app_watch(a, s->showtime_id);
	return s;
}

/* The picks and their prices, in a panel at Y,X of width W. */
static void
seats_draw_picks(struct app *a, struct seats *s, int y, int x, int w)
{
	const struct cnt_seat	*seat;
	char			 name[16], price[32];
	int64_t			 total = 0;
	size_t			 i;
	int			 k, row = 0;

	ui_textf(a, y, x, w, R_HEADING, "Your seats (%zu of at most %zu)",
	    s->npicked, s->maxpick);
	for (i = 0; i < s->npicked; i++) {
		if ((k = seatmap_find(&s->map, s->picked[i])) < 0)
			continue;
		seat = &s->map.seats[k];
		total += seat->price_cents;
		if (row < 10)
			ui_textf(a, y + 1 + row++, x, w, R_NORMAL,
			    "%-5s %-10s %8s", seatmap_name(seat, name),
			    cnt_seat_type_name(seat->type),
			    ui_money(seat->price_cents, price));
	}
	if (s->npicked == 0)
		ui_text(a, y + 1 + row++, x, w, R_DIM, "none yet");
	ui_textf(a, y + 2 + row, x, w, R_HEADING, "Total %18s",
	    ui_money(total, price));
}

static void
seats_draw(struct app *a, void *p)
{
	struct seats		*s = p;
	const struct cnt_seat	*cur = NULL;
	char			 name[16], price[32], info[160];
	int			 held = 0, sold = 0, mapw, maph, panel, y;
	size_t			 i;

	for (i = 0; i < s->map.nseats; i++) {
		if (s->map.seats[i].state == CNT_SEAT_HELD)
			held++;
		else if (s->map.seats[i].state == CNT_SEAT_SOLD)
			sold++;
	}
	ui_textf(a, 1, 2, COLS - 4, R_HEADING, "%s %s %s %s %s",
	    s->map.movie_title, term_glyph(a->term, G_DOT), s->when,
	    term_glyph(a->term, G_DOT), s->map.theatre_name);
	mapw = seatmap_width(&s->map);
	maph = seatmap_height(&s->map);
	panel = COLS - mapw - 4 >= 30;
	if (!panel && mapw > COLS - 2)
		mapw = COLS - 2;
	if (panel && mapw > COLS - 34)
		mapw = COLS - 34;
	if (maph > LINES - 9)
		maph = LINES - 9;
	seatmap_draw(a, &s->view, 3, 1, maph, mapw);
	y = 3 + maph;
	seatmap_legend(a, y, 2, COLS - 4);
	if (s->view.cursor >= 0 && (size_t)s->view.cursor < s->map.nseats)
		cur = &s->map.seats[s->view.cursor];
	if (cur != NULL) {
		snprintf(info, sizeof info, "Seat %s %s %s %s %s",
		    seatmap_name(cur, name), term_glyph(a->term, G_DOT),
		    cnt_seat_type_name(cur->type), term_glyph(a->term, G_DOT),
		    cur->state == CNT_SEAT_FREE || cur->state == CNT_SEAT_MINE ?
		    ui_money(cur->price_cents, price) :
		    cnt_seat_state_name(cur->state));
		ui_text(a, y + 1, 2, COLS / 2, R_NORMAL, info);
	}
	ui_textf(a, y + 1, COLS / 2, COLS / 2 - 2, R_DIM,
	    "Free %d %s Held %d %s Sold %d", s->map.nfree,
	    term_glyph(a->term, G_DOT), held, term_glyph(a->term, G_DOT),
	    sold);
	if (s->best_pending)
		ui_text(a, y + 2, 2, COLS - 4, R_HEADING,
		    "Best how many seats? Type a digit 1-9.");
	if (panel)
		seats_draw_picks(a, s, 3, mapw + 3, COLS - mapw - 5);
	else if (y + 3 < LINES - 2)
		ui_textf(a, y + 2, 2, COLS - 4, R_NORMAL,
		    "%zu seat%s picked", s->npicked, s->npicked == 1 ? "" : "s");
}

/* Pick or unpick seat K. */
static int
seats_toggle(struct app *a, struct seats *s, int k)
{
	const struct cnt_seat	*seat = &s->map.seats[k];
	char			 name[16];

	if (seatmap_is_selected(&s->view, seat->seat_id)) {
		pick_remove(s, seat->seat_id);
		view_sync(s);
		return ACT_REDRAW;
	}
	if (seat->state == CNT_SEAT_HELD || seat->state == CNT_SEAT_SOLD) {
		app_error(a, "Seat %s is taken.", seatmap_name(seat, name));
		return ACT_REDRAW;
	}
	if (s->npicked == s->maxpick) {
		app_error(a, "At most %zu seats in one booking.", s->maxpick);
		return ACT_REDRAW;
	}
	s->picked[s->npicked++] = seat->seat_id;
	view_sync(s);
	return ACT_REDRAW;
}

/* Add the best N seats core finds to the picks. */
static int
seats_best(struct app *a, struct seats *s, int n)
{
	struct cnt_error	 err;
	int64_t			*ids;
	int			 i, added = 0, k;

	if ((size_t)n + s->npicked > s->maxpick) {
		app_error(a, "At most %zu seats in one booking.", s->maxpick);
		return ACT_REDRAW;
	}
	ids = xcalloc((size_t)n, sizeof *ids);
	if (cnt_best_available(a->ctx, &a->actor, s->showtime_id, n, false,
	    ids, &err) != CNT_OK) {
		app_error(a, "%s", err.msg);
		free(ids);
		return ACT_REDRAW;
	}
	for (i = 0; i < n; i++) {
		if (seatmap_is_selected(&s->view, ids[i]))
			continue;
		s->picked[s->npicked++] = ids[i];
		view_sync(s);
		added++;
		if ((k = seatmap_find(&s->map, ids[i])) >= 0)
			s->view.cursor = k;
	}
	free(ids);
	if (added < n)
		app_message(a, "The best seats include some you picked "
		    "already; added %d.", added);
	else
		app_message(a, "Added the best %d seat%s.", n, n == 1 ? "" :
		    "s");
	return ACT_REDRAW;
}

/* Hold the picks and open the checkout; guests sign in first. */
static int
seats_hold(struct app *a, struct seats *s)
{
	struct checkout_arg	*c;
	struct cnt_error	 err;

	if (s->npicked == 0) {
		app_error(a, "Pick some seats first (Space, or b and a "
		    "number).");
		return ACT_REDRAW;
	}
	if (app_is_guest(a)) {
		s->hold_after_signin = true;
		app_message(a, "Sign in or sign up (F2) to hold your seats; "
		    "your picks are kept.");
		return app_push(a, SCR_SIGNIN, NULL);
	}
	c = xcalloc(1, sizeof *c);
	if (cnt_hold_seats(a->ctx, &a->actor, s->showtime_id, s->picked,
	    s->npicked, &c->hold, &err) != CNT_OK) {
		free(c);
		seats_load(a, s, false);
		app_error(a, "%s", err.msg);
		return ACT_REDRAW;
	}
	c->title = xstrdup(s->map.movie_title);
	c->theatre = xstrdup(s->map.theatre_name);
	c->starts_at = s->map.starts_at;
	return app_push(a, SCR_CHECKOUT, c);
}

static int
seats_key(struct app *a, void *p, int key)
{
	struct seats	*s = p;
	int		 k;

	if (s->best_pending) {
		s->best_pending = false;
		if (key >= '1' && key <= '9')
			return seats_best(a, s, key - '0');
		if (key == K_ESC)
			return ACT_REDRAW;
		app_error(a, "Type b and then a digit 1-9.");
		return ACT_REDRAW;
	}
	switch (key) {
	case K_LEFT:
	case 'h':
		seatmap_move(&s->view, -1, 0);
		return ACT_REDRAW;
	case K_RIGHT:
	case 'l':
		seatmap_move(&s->view, 1, 0);
		return ACT_REDRAW;
	case K_UP:
	case 'k':
		seatmap_move(&s->view, 0, -1);
		return ACT_REDRAW;
	case K_DOWN:
	case 'j':
		seatmap_move(&s->view, 0, 1);
		return ACT_REDRAW;
	case ' ':
		if (s->view.cursor >= 0)
			return seats_toggle(a, s, s->view.cursor);
		return ACT_NONE;
	case 'b':
		s->best_pending = true;
		return ACT_REDRAW;
	case 'c':
		s->npicked = 0;
		view_sync(s);
		return ACT_REDRAW;
	case 'r':
		seats_load(a, s, false);
		return ACT_REDRAW;
	case K_MOUSE:
		if (!a->mouse.click)
			return ACT_NONE;
		if ((k = seatmap_hit(&s->view, a->mouse.y, a->mouse.x)) < 0)
			return ACT_NONE;
		s->view.cursor = k;
		return seats_toggle(a, s, k);
	case K_RESIZE:
		return ACT_REDRAW;
	default:
		break;
	}
	if (key_is_enter(key))
		return seats_hold(a, s);
	return ACT_PASS;
}

static int
seats_event(struct app *a, void *p, const struct app_event *ev)
{
	struct seats *s = p;

	switch (ev->kind) {
	case EV_SEATS:
		if (ev->showtime_id != 0 && ev->showtime_id != s->showtime_id)
			return ACT_NONE;
		seats_load(a, s, false);
		return ACT_REDRAW;
	case EV_RESUMED:
		app_watch(a, s->showtime_id);
		if (a->booked_showtime == s->showtime_id) {
			/* Bought: the picks are tickets now. */
			a->booked_showtime = 0;
			s->npicked = 0;
			view_sync(s);
		}
		seats_load(a, s, false);
		if (s->hold_after_signin) {
			s->hold_after_signin = false;
			if (!app_is_guest(a))
				return seats_hold(a, s);
		}
		return ACT_REDRAW;
	default:
		return ACT_NONE;
	}
}

static void
seats_leave(struct app *a, void *p)
{
	struct seats *s = p;

	app_watch(a, 0);
	if (s->loaded)
		cnt_seatmap_free(&s->map);
	free(s->picked);
	free(s);
}

const struct screen screen_seats = {
	"seats", "Pick your seats", seats_help, 0,
	seats_enter, seats_draw, seats_key, seats_event, seats_leave
};
