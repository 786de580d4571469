/*
 * office.h - what the box-office (screen-staff-*.c) and back-office
 * (screen-admin-*.c) screens share: id arguments, role gates, menus, money
 * input, and the daily helpers they all need (office.c).
 */
#ifndef OFFICE_H
#define OFFICE_H

#include <stdint.h>

#include "app.h"

/* Screens that take a row id get it as the push argument itself. */
#define OFFICE_ARG(id)	((void *)(intptr_t)(id))
#define OFFICE_ID(arg)	((int64_t)(intptr_t)(arg))

/* What the schedule passes the showtime form (which frees it): a
 * showtime to move (id) or 0 to add one on DATE. */
struct office_showtime_arg {
	int64_t	id;
	char	date[11];
};

/* True if the signed-in account has at least ROLE; else sets an error
 * message (the screen then refuses to open). Core checks again. */
bool	office_allowed(struct app *, enum cnt_role);

/* A menu entry: shortcut, label, screen, the least role that sees it. */
struct office_item {
	int		key;
	const char     *label;
	enum screen_id	screen;
	enum cnt_role	role;
};

struct office_menu {
	const char		*heading;
	const struct office_item *items;
	int			 nitems;
	const struct office_item *shown[24];
	struct ui_list		 list;
};

void	office_menu_init(struct app *, struct office_menu *, const char *,
	    const struct office_item *, int);
void	office_menu_draw(struct app *, struct office_menu *);
int	office_menu_key(struct app *, struct office_menu *, int key);

/* A search line opened with '/': typing edits it, Enter applies (the
 * key function returns 1), Esc closes it unchanged. Control characters,
 * invalid UTF-8 and too much text are refused with a message. */
struct office_search {
	char	text[64];
	char	typed[64];
	char	msg[48];
	bool	open;
};

/* 1: apply the search; 0: key used; -1: key not for the search. */
int	office_search_key(struct office_search *, int key);
void	office_search_draw(struct app *, struct office_search *, int y,
	    int x, int w);

/* Parse money typed as "12", "12.5" or "12.50" into cents; -1 if not. */
int	office_parse_money(const char *, int64_t *cents);
/* "HH:MM" of T in the cinema's zone (the app runs with TZ set to it). */
const char *office_hhmm(time_t, char buf[8]);
/* "Thu 26 Nov 19:30" of T in the cinema's zone. */
const char *office_when(time_t, char buf[32]);
/* "YYYY-MM-DD" of T in the cinema's zone. */
const char *office_date(time_t, char buf[11]);
/* DATE plus DAYS days into OUT ("YYYY-MM-DD"); -1 if DATE is not one. */
int	office_date_add(const char *date, int days, char out[11]);
/* Show core's error in the status bar. */
void	office_fail(struct app *, const struct cnt_error *);

#endif
