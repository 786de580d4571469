/*
 * screen-account.c - the signed-in user's account: details, change the
 * password, and add or remove SSH public keys (so the next login can be
 * by key). Every change goes through core, which checks the actor.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

/* ------------------------------------------------------------------ */
/* The account overview with its menu.                                  */

struct account {
	struct ui_list	list;
};

static const char *const account_items[] = {
	"Change password", "SSH keys", "Back"
};

static const struct help account_help[] = {
	{ "Enter", "open", true },
	{ "p", "change password", true },
	{ "k", "SSH keys", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static void *
account_enter(struct app *a, void *arg)
{
	struct account *s;

	(void)arg;
	if (app_is_guest(a)) {
		app_error(a, "Sign in first to see your account.");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->list.n = 3;
	return s;
}

static void
account_draw(struct app *a, void *p)
{
	struct account	*s = p;
	int		 x = (COLS - 60) / 2, y = 3, i;

	ui_text(a, y, x, 60, R_HEADING, "Your account");
	ui_textf(a, y + 2, x, 60, R_NORMAL, "Username   %s",
	    a->account.username);
	ui_textf(a, y + 3, x, 60, R_NORMAL, "Name       %s",
	    a->account.full_name ? a->account.full_name : "");
	ui_textf(a, y + 4, x, 60, R_NORMAL, "Email      %s",
	    a->account.email ? a->account.email : "");
	ui_textf(a, y + 5, x, 60, R_NORMAL, "Role       %s",
	    cnt_role_name(a->account.role));
	for (i = 0; i < s->list.n; i++) {
		enum role r = i == s->list.sel ? R_SELECTED : R_NORMAL;

		ui_fill(a, y + 8 + i, x, 30, r);
		ui_text(a, y + 8 + i, x + 1, 29, r, account_items[i]);
	}
}

static int
account_key(struct app *a, void *p, int key)
{
	struct account *s = p;

	if (key == 'p')
		return app_push(a, SCR_PASSWORD, NULL);
	if (key == 'k')
		return app_push(a, SCR_KEYS, NULL);
	if (key_is_enter(key)) {
		if (s->list.sel == 0)
			return app_push(a, SCR_PASSWORD, NULL);
		if (s->list.sel == 1)
			return app_push(a, SCR_KEYS, NULL);
		return ACT_POP;
	}
	if (ui_list_key(a, &s->list, 3, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static void
account_leave(struct app *a, void *p)
{
	(void)a;
	free(p);
}

const struct screen screen_account = {
	"account", "Account", account_help, 0,
	account_enter, account_draw, account_key, NULL, account_leave
};

/* ------------------------------------------------------------------ */
/* Change password.                                                     */

struct password {
	struct ui_field	f[4];
	struct ui_form	form;
};

static const struct help password_help[] = {
	{ "Enter", "next field / change", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static void *
password_enter(struct app *a, void *arg)
{
	struct password *s;

	(void)arg;
	if (app_is_guest(a)) {
		app_error(a, "Sign in first.");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->f[0] = (struct ui_field){ .name = "old_password", .label =
	    "Current password", .type = F_PASSWORD, .max = 256 };
	s->f[1] = (struct ui_field){ .name = "password", .label =
	    "New password", .type = F_PASSWORD, .max = 256 };
	s->f[2] = (struct ui_field){ .name = "repeat", .label =
	    "New password again", .type = F_PASSWORD, .max = 256 };
	s->f[3] = (struct ui_field){ .name = "submit", .label =
	    "Change password", .type = F_BUTTON };
	ui_form_init(&s->form, s->f, 4);
	return s;
}

static void
password_draw(struct app *a, void *p)
{
	struct password	*s = p;
	int		 x = (COLS - 70) / 2;

	ui_text(a, 3, x, 70, R_HEADING, "Change your password");
	ui_form_draw(a, &s->form, 5, x, 22, 40);
}

static int
password_key(struct app *a, void *p, int key)
{
	struct password		*s = p;
	struct cnt_error	 err;

	switch (ui_form_key(a, &s->form, key)) {
	case FORM_SUBMIT:
		ui_form_clear_msgs(&s->form);
		if (strcmp(s->f[1].value, s->f[2].value) != 0) {
			cnt_strlcpy(s->f[2].msg, "the two passwords differ",
			    sizeof s->f[2].msg);
			s->form.focus = 2;
			return ACT_REDRAW;
		}
		if (cnt_account_change_password(a->ctx, &a->actor,
		    s->f[0].value, s->f[1].value, &err) != CNT_OK) {
			ui_form_error(&s->form, &err);
			return ACT_REDRAW;
		}
		app_message(a, "Your password was changed.");
		return ACT_POP;
	case FORM_CANCEL:
		return ACT_POP;
	case FORM_USED:
		return ACT_REDRAW;
	default:
		return ACT_PASS;
	}
}

static void
password_leave(struct app *a, void *p)
{
	(void)a;
	explicit_bzero(p, sizeof(struct password));
	free(p);
}

const struct screen screen_password = {
	"password", "Change password", password_help, 0,
	password_enter, password_draw, password_key, NULL, password_leave
};

/* ------------------------------------------------------------------ */
/* SSH keys: a table of the registered keys and a field to add one.     */

struct keys {
	struct cnt_sshkey *k;
	size_t		 n;
	struct ui_table	 table;
	struct ui_field	 f[1];
	struct ui_form	 form;
	bool		 adding;	/* the add field has the focus */
	int64_t		 remove_id;
};

static const struct ui_column keys_cols[] = {
	{ "Type", 12, false },
	{ "Fingerprint", 52, false },
	{ "Comment", 20, false },
};

static const struct help keys_help[] = {
	{ "a", "add a key (paste an authorized_keys line)", true },
	{ "d", "remove the selected key", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static const char *
keys_cell(void *arg, int row, int col, char buf[128])
{
	struct keys *s = arg;

	(void)buf;
	switch (col) {
	case 0:
		return s->k[row].type;
	case 1:
		return s->k[row].fingerprint;
	default:
		return s->k[row].comment;
	}
}

/* Read the keys again; false (message set) if core refused. */
static bool
keys_load(struct app *a, struct keys *s)
{
	struct cnt_error err;

	cnt_sshkeys_free(s->k, s->n);
	s->k = NULL;
	s->n = 0;
	if (cnt_sshkey_list(a->ctx, &a->actor, a->actor.account_id, &s->k,
	    &s->n, &err) != CNT_OK) {
		app_error(a, "%s", err.msg);
		ui_table_set(&s->table, 0);
		return false;
	}
	ui_table_set(&s->table, (int)s->n);
	return true;
}

static void *
keys_enter(struct app *a, void *arg)
{
	struct keys *s;

	(void)arg;
	if (app_is_guest(a)) {
		app_error(a, "Sign in first.");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->table.cols = keys_cols;
	s->table.ncols = 3;
	s->table.cell = keys_cell;
	s->table.arg = s;
	s->f[0] = (struct ui_field){ .name = "line", .label = "New key",
	    .type = F_TEXT, .max = 1000 };
	ui_form_init(&s->form, s->f, 1);
	keys_load(a, s);
	return s;
}

static void
keys_draw(struct app *a, void *p)
{
	struct keys	*s = p;
	int		 h = LINES - 12;

	ui_text(a, 2, 2, COLS - 4, R_HEADING, "Your SSH public keys");
	ui_text(a, 3, 2, COLS - 4, R_DIM, "With a key here you can log in "
	    "with `ssh -p PORT USERNAME@host` and no password.");
	ui_table_draw(a, &s->table, 5, 2, h);
	if (s->adding) {
		ui_text(a, LINES - 6, 2, COLS - 4, R_NORMAL, "Paste a line of "
		    "~/.ssh/id_ed25519.pub (or id_rsa.pub), then Enter:");
		ui_form_draw(a, &s->form, LINES - 5, 2, 9, COLS - 13);
	} else
		ui_text(a, LINES - 5, 2, COLS - 4, R_DIM,
		    "a adds a key, d removes the selected one.");
}

static int
keys_removed(struct app *a, void *p, bool yes)
{
	struct keys		*s = p;
	struct cnt_error	 err;

	if (!yes)
		return ACT_REDRAW;
	if (cnt_sshkey_remove(a->ctx, &a->actor, s->remove_id, &err) !=
	    CNT_OK)
		app_error(a, "%s", err.msg);
	else
		app_message(a, "The key was removed.");
	keys_load(a, s);
	return ACT_REDRAW;
}

static int
keys_key(struct app *a, void *p, int key)
{
	struct keys		*s = p;
	struct cnt_sshkey	 k;
	struct cnt_error	 err;
	int			 row;
	char			 text[256];

	if (s->adding) {
		switch (ui_form_key(a, &s->form, key)) {
		case FORM_SUBMIT:
			memset(&k, 0, sizeof k);
			if (cnt_sshkey_add(a->ctx, &a->actor,
			    a->actor.account_id, s->f[0].value, &k, &err) !=
			    CNT_OK) {
				cnt_strlcpy(s->f[0].msg, err.msg,
				    sizeof s->f[0].msg);
				return ACT_REDRAW;
			}
			app_message(a, "Added %s %s.", k.type, k.fingerprint);
			free(k.type);
			free(k.fingerprint);
			free(k.comment);
			s->adding = false;
			ui_field_set(&s->f[0], "");
			keys_load(a, s);
			return ACT_REDRAW;
		case FORM_CANCEL:
			s->adding = false;
			return ACT_REDRAW;
		default:
			return ACT_REDRAW;
		}
	}
	if (key == 'a') {
		s->adding = true;
		s->f[0].msg[0] = '\0';
		return ACT_REDRAW;
	}
	if (key == 'd' || key == K_DC) {
		if ((row = ui_table_row(&s->table)) < 0)
			return ACT_NONE;
		s->remove_id = s->k[row].id;
		snprintf(text, sizeof text, "Remove the key %s? You will not "
		    "be able to log in with it any more.",
		    s->k[row].fingerprint);
		return app_confirm(a, "Remove key", text, keys_removed, s);
	}
	if (ui_table_key(a, &s->table, LINES - 12, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static void
keys_leave(struct app *a, void *p)
{
	struct keys *s = p;

	(void)a;
	cnt_sshkeys_free(s->k, s->n);
	ui_table_free(&s->table);
	free(s);
}

const struct screen screen_keys = {
	"keys", "SSH keys", keys_help, 0,
	keys_enter, keys_draw, keys_key, NULL, keys_leave
};
