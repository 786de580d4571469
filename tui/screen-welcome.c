/*
 * screen-welcome.c - the first screen: the cinema's name and a menu.
 * Guests browse, sign in or sign up; signed-in users reach films, their
 * tickets and their account. Each entry has a letter as a shortcut.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

struct welcome_item {
	int		key;		/* shortcut */
	const char     *label;
	enum screen_id	screen;		/* SCR_NSCREENS: quit / sign out */
	bool		guest;		/* shown to guests */
	bool		member;		/* shown when signed in */
};

static const struct welcome_item welcome_items[] = {
	{ 'b', "Browse films and showtimes", SCR_FILMS, true, false },
	{ 'i', "Sign in", SCR_SIGNIN, true, false },
	{ 'u', "Sign up", SCR_SIGNUP, true, false },
	{ 'd', "Back office (admin)", SCR_ADMIN, false, true },
	{ 'x', "Box office (staff)", SCR_STAFF, false, true },
	{ 'f', "Films and showtimes", SCR_FILMS, false, true },
	{ 't', "My tickets", SCR_TICKETS, false, true },
	{ 'a', "Account, password and SSH keys", SCR_ACCOUNT, false, true },
	{ 'o', "Sign out", SCR_NSCREENS, false, true },
	{ 'q', "Quit", SCR_NSCREENS, true, true },
};
#define NITEMS (int)(sizeof welcome_items / sizeof welcome_items[0])

struct welcome {
	const struct welcome_item *shown[NITEMS];
	struct ui_list	list;
	int64_t		routed;		/* staff sent to their menu once */
};

static const struct help welcome_help[] = {
	{ "Enter", "open", true },
	{ "Up/Down", "move", false },
	{ "b", "browse films", true },
	{ "i", "sign in", true },
	{ "u", "sign up", true },
	{ "t", "my tickets (signed in)", false },
	{ "a", "account (signed in)", false },
	{ "o", "sign out", false },
	{ "q", "quit", true },
	{ NULL, NULL, false }
};

/* Fill the menu for who is signed in now. */
static void
welcome_fill(struct app *a, struct welcome *w)
{
	bool	guest = app_is_guest(a);
	int	i;

	w->list.n = 0;
	for (i = 0; i < NITEMS; i++) {
		if ((welcome_items[i].screen == SCR_STAFF &&
		    a->actor.role < CNT_ROLE_STAFF) ||
		    (welcome_items[i].screen == SCR_ADMIN &&
		    a->actor.role < CNT_ROLE_ADMIN))
			continue;
		if (guest ? welcome_items[i].guest : welcome_items[i].member)
			w->shown[w->list.n++] = &welcome_items[i];
	}
	ui_list_scroll(&w->list, NITEMS);
}

static void *
welcome_enter(struct app *a, void *arg)
{
	struct welcome *w;

	(void)arg;
	w = xcalloc(1, sizeof *w);
	w->routed = a->actor.account_id;
	welcome_fill(a, w);
	return w;
}

static void
welcome_draw(struct app *a, void *p)
{
	struct welcome	*w = p;
	const char	*name = a->cfg->cinema_name;
	char		 line[128];
	int		 i, y, x;

	y = LINES / 2 - 8;
	if (y < 2)
		y = 2;
	ui_center(a, y, R_HEADING, "Welcome to");
	ui_center(a, y + 2, R_BIG, name);
	if (app_is_guest(a))
		ui_center(a, y + 4, R_DIM, "You are browsing as a guest.");
	else {
		snprintf(line, sizeof line, "Signed in as %s.",
		    a->account.username);
		ui_center(a, y + 4, R_NORMAL, line);
	}
	x = (COLS - 40) / 2;
	for (i = 0; i < w->list.n; i++) {
		enum role r = i == w->list.sel ? R_SELECTED : R_NORMAL;

		ui_fill(a, y + 7 + i, x, 40, r);
		snprintf(line, sizeof line, " %c  %s", w->shown[i]->key,
		    w->shown[i]->label);
		ui_text(a, y + 7 + i, x, 40, r, line);
	}
}

/* Carry out menu entry IT. */
static int
welcome_open(struct app *a, struct welcome *w, const struct welcome_item *it)
{
	if (it->screen != SCR_NSCREENS)
		return app_push(a, it->screen, NULL);
	if (it->key == 'q')
		return ACT_QUIT;
	app_sign_out(a);
	welcome_fill(a, w);
	app_message(a, "Signed out.");
	return ACT_REDRAW;
}

static int
welcome_key(struct app *a, void *p, int key)
{
	struct welcome	*w = p;
	int		 i, row;

	if (key_is_enter(key))
		return welcome_open(a, w, w->shown[w->list.sel]);
	if (key == K_MOUSE && a->mouse.click) {
		row = a->mouse.y - (LINES / 2 - 8 < 2 ? 2 : LINES / 2 - 8) - 7;
		if (row >= 0 && row < w->list.n) {
			w->list.sel = row;
			return welcome_open(a, w, w->shown[row]);
		}
		return ACT_NONE;
	}
	for (i = 0; i < w->list.n; i++)
		if (key == w->shown[i]->key) {
			w->list.sel = i;
			return welcome_open(a, w, w->shown[i]);
		}
	if (ui_list_key(a, &w->list, NITEMS, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
welcome_event(struct app *a, void *p, const struct app_event *ev)
{
	struct welcome *w = p;

	if (ev->kind == EV_RESUMED) {
		welcome_fill(a, w);	/* someone may have signed in */
		/* Staff and admins go on to their menu after signing in. */
		if (a->actor.role >= CNT_ROLE_STAFF &&
		    w->routed != a->actor.account_id) {
			w->routed = a->actor.account_id;
			return app_push(a, a->actor.role == CNT_ROLE_ADMIN ?
			    SCR_ADMIN : SCR_STAFF, NULL);
		}
	}
	return ACT_REDRAW;
}

static void
welcome_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_welcome = {
	"welcome", "Welcome", welcome_help, 0,
	welcome_enter, welcome_draw, welcome_key, welcome_event, welcome_leave
};
