/*
 * screen-admin-users.c - accounts: / searches username, email and name;
 * p promotes (customer -> staff -> admin), d demotes, l locks or unlocks.
 * Core keeps at least one unlocked admin and says so when refused; the
 * refusal stays on screen until the next change.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct users {
	struct cnt_account	*rows;
	size_t			 n;
	struct ui_table		 table;
	struct office_search	 search;
	char			 refusal[512];
};

static const struct ui_column users_cols[] = {
	{ "Username", 16, false },
	{ "Name", 24, false },
	{ "Email", 28, false },
	{ "Role", 8, false },
	{ "Locked", 6, false },
};

static const struct help users_help[] = {
	{ "p", "promote", true },
	{ "d", "demote", true },
	{ "l", "lock / unlock", true },
	{ "/", "search", true },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
users_cell(void *arg, int row, int col, char buf[128])
{
	struct users		*u = arg;
	struct cnt_account	*acc = &u->rows[row];

	(void)buf;
	switch (col) {
	case 0:
		return acc->username;
	case 1:
		return acc->full_name;
	case 2:
		return acc->email;
	case 3:
		return cnt_role_name(acc->role);
	}
	return acc->locked ? "locked" : "";
}

static int
users_load(struct app *a, struct users *u)
{
	struct cnt_error	 err;
	struct cnt_account	*rows = NULL;
	size_t			 n = 0;

	if (cnt_account_list(a->ctx, &a->actor, u->search.text, 0, 1000,
	    &rows, &n, &err) != CNT_OK) {
		office_fail(a, &err);
		return -1;
	}
	cnt_accounts_free(u->rows, u->n);
	u->rows = rows;
	u->n = n;
	ui_table_set(&u->table, (int)n);
	return 0;
}

static void *
users_enter(struct app *a, void *arg)
{
	struct users *u;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	u = xcalloc(1, sizeof *u);
	u->table.cols = users_cols;
	u->table.ncols = (int)(sizeof users_cols / sizeof users_cols[0]);
	u->table.cell = users_cell;
	u->table.arg = u;
	if (users_load(a, u) != 0) {
		ui_table_free(&u->table);
		free(u);
		return NULL;
	}
	return u;
}

static void
users_draw(struct app *a, void *p)
{
	struct users *u = p;

	ui_textf(a, 1, 1, 20, R_HEADING, "%zu accounts", u->n);
	office_search_draw(a, &u->search, 1, 20, COLS - 22);
	ui_table_draw(a, &u->table, 3, 1, LINES - 7);
	if (u->refusal[0] != '\0')
		ui_text(a, LINES - 3, 1, COLS - 2, R_ERROR, u->refusal);
}

/* Set the selected account's role to ROLE, or lock it (LOCK 1/0). */
static int
users_change(struct app *a, struct users *u, int role, int lock)
{
	struct cnt_account	*acc;
	struct cnt_error	 err;
	int			 r = ui_table_row(&u->table), rc;
	char			 name[64];

	if (r < 0)
		return ACT_NONE;
	acc = &u->rows[r];
	cnt_strlcpy(name, acc->username, sizeof name);
	if (lock >= 0)
		rc = cnt_account_set_locked(a->ctx, &a->actor, acc->id,
		    lock == 1, &err);
	else
		rc = cnt_account_set_role(a->ctx, &a->actor, acc->id,
		    (enum cnt_role)role, &err);
	if (rc != CNT_OK) {
		cnt_strlcpy(u->refusal, err.msg, sizeof u->refusal);
		office_fail(a, &err);
		return ACT_REDRAW;
	}
	u->refusal[0] = '\0';
	if (lock >= 0)
		app_message(a, "%s is %s.", name, lock ? "locked" :
		    "unlocked");
	else
		app_message(a, "%s is now %s.", name,
		    cnt_role_name((enum cnt_role)role));
	users_load(a, u);
	return ACT_REDRAW;
}

static int
users_key(struct app *a, void *p, int key)
{
	struct users	*u = p;
	int		 r;

	if ((r = office_search_key(&u->search, key)) >= 0) {
		if (r == 1)
			users_load(a, u);
		return ACT_REDRAW;
	}
	r = ui_table_row(&u->table);
	switch (key) {
	case 'p':
		if (r < 0)
			return ACT_NONE;
		if (u->rows[r].role == CNT_ROLE_ADMIN) {
			app_error(a, "%s is an admin already.",
			    u->rows[r].username);
			return ACT_REDRAW;
		}
		return users_change(a, u, (int)u->rows[r].role + 1, -1);
	case 'd':
		if (r < 0)
			return ACT_NONE;
		if (u->rows[r].role <= CNT_ROLE_CUSTOMER) {
			app_error(a, "%s is a customer already.",
			    u->rows[r].username);
			return ACT_REDRAW;
		}
		return users_change(a, u, (int)u->rows[r].role - 1, -1);
	case 'l':
		if (r < 0)
			return ACT_NONE;
		return users_change(a, u, 0, u->rows[r].locked ? 0 : 1);
	}
	if (key != 'q' && ui_table_key(a, &u->table, LINES - 7, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static void
users_leave(struct app *a, void *p)
{
	struct users *u = p;

	(void)a;
	cnt_accounts_free(u->rows, u->n);
	ui_table_free(&u->table);
	free(u);
}

const struct screen screen_admin_users = {
	"admin-users", "Users", users_help, 0,
	users_enter, users_draw, users_key, NULL, users_leave
};
