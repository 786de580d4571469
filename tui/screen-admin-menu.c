/*
 * screen-admin-menu.c - the back office: catalogue, theatres, schedule,
 * users, reservations, reports, prices and the system's state; admins
 * reach the box office from here too.
 */
#include <stdlib.h>

#include "office.h"

static const struct office_item admin_items[] = {
	{ 'f', "Films and genres", SCR_ADMIN_FILMS, CNT_ROLE_ADMIN },
	{ 't', "Theatres and seat layouts", SCR_ADMIN_THEATRES,
	    CNT_ROLE_ADMIN },
	{ 's', "Schedule", SCR_ADMIN_SCHEDULE, CNT_ROLE_ADMIN },
	{ 'u', "Users", SCR_ADMIN_USERS, CNT_ROLE_ADMIN },
	{ 'r', "All reservations", SCR_ADMIN_RESERVATIONS, CNT_ROLE_ADMIN },
	{ 'p', "Reports", SCR_ADMIN_REPORTS, CNT_ROLE_ADMIN },
	{ 'c', "Prices", SCR_ADMIN_PRICES, CNT_ROLE_ADMIN },
	{ 'y', "System", SCR_ADMIN_SYSTEM, CNT_ROLE_ADMIN },
	{ 'x', "Box office", SCR_STAFF, CNT_ROLE_STAFF },
};

static const struct help admin_help[] = {
	{ "Enter", "open", true },
	{ "f", "films", true },
	{ "t", "theatres", true },
	{ "s", "schedule", true },
	{ "u", "users", true },
	{ "r", "reservations", false },
	{ "p", "reports", false },
	{ "c", "prices", false },
	{ "y", "system", false },
	{ "x", "box office", false },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static void *
admin_enter(struct app *a, void *arg)
{
	struct office_menu *m;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	m = xcalloc(1, sizeof *m);
	office_menu_init(a, m, "Back office", admin_items,
	    (int)(sizeof admin_items / sizeof admin_items[0]));
	return m;
}

static void
admin_draw(struct app *a, void *p)
{
	office_menu_draw(a, p);
}

static int
admin_key(struct app *a, void *p, int key)
{
	return office_menu_key(a, p, key);
}

static void
admin_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_admin = {
	"admin", "Back office", admin_help, 0,
	admin_enter, admin_draw, admin_key, NULL, admin_leave
};
