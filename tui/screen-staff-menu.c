/*
 * screen-staff-menu.c - the box-office menu a staff member lands on after
 * signing in: today's showtimes (and from there the walk-up sale), check-in,
 * find booking, the shift summary; admins also reach the back office.
 */
#include <stdlib.h>

#include "office.h"

static const struct office_item staff_items[] = {
	{ 't', "Today at this cinema (sell tickets)", SCR_STAFF_TODAY,
	    CNT_ROLE_STAFF },
	{ 'c', "Check-in", SCR_STAFF_CHECKIN, CNT_ROLE_STAFF },
	{ 'f', "Find a booking (code, name, email)", SCR_STAFF_FIND,
	    CNT_ROLE_STAFF },
	{ 's', "Shift summary", SCR_STAFF_SHIFT, CNT_ROLE_STAFF },
	{ 'a', "Back office (admin)", SCR_ADMIN, CNT_ROLE_ADMIN },
};

static const struct help staff_help[] = {
	{ "Enter", "open", true },
	{ "t", "today", true },
	{ "c", "check-in", true },
	{ "f", "find", true },
	{ "s", "shift", false },
	{ "a", "back office (admins)", false },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static void *
staff_enter(struct app *a, void *arg)
{
	struct office_menu *m;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_STAFF))
		return NULL;
	m = xcalloc(1, sizeof *m);
	office_menu_init(a, m, "Box office", staff_items,
	    (int)(sizeof staff_items / sizeof staff_items[0]));
	return m;
}

static void
staff_draw(struct app *a, void *p)
{
	office_menu_draw(a, p);
}

static int
staff_key(struct app *a, void *p, int key)
{
	return office_menu_key(a, p, key);
}

static void
staff_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_staff = {
	"staff", "Box office", staff_help, 0,
	staff_enter, staff_draw, staff_key, NULL, staff_leave
};
