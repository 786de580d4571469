/*
 * screen-signin.c - sign in and sign up.
 *
 * Both are forms whose errors come from core and are shown next to the
 * field they name. On success the account becomes the app's and the
 * screen closes, so whoever opened it (the welcome menu, or the seat map
 * of a guest about to hold seats) carries on. Opened as the first screen
 * (cinetty tui --user NAME) sign-in hands over to the welcome screen.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "app.h"

struct signin {
	struct ui_field	f[3];
	struct ui_form	form;
	bool		root;		/* the first screen of the app */
};

static const struct help signin_help[] = {
	{ "Enter", "next field / sign in", true },
	{ "Tab", "next field", true },
	{ "F2", "sign up instead", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

/* ARG: a username to fill in (cinetty tui --user), or NULL. */
static void *
signin_enter(struct app *a, void *arg)
{
	struct signin	*s = xcalloc(1, sizeof *s);
	const char	*user = arg;

	s->f[0] = (struct ui_field){ .name = "login", .label =
	    "Username or email", .type = F_TEXT, .max = 254 };
	s->f[1] = (struct ui_field){ .name = "password", .label = "Password",
	    .type = F_PASSWORD, .max = 256 };
	s->f[2] = (struct ui_field){ .name = "submit", .label = "Sign in",
	    .type = F_BUTTON };
	ui_form_init(&s->form, s->f, 3);
	s->root = a->depth == 0;
	if (user != NULL) {
		ui_field_set(&s->f[0], user);
		s->form.focus = 1;
	}
	return s;
}

static void
signin_draw(struct app *a, void *p)
{
	struct signin	*s = p;
	int		 x = (COLS - 70) / 2, y = 3;

	ui_text(a, y, x, 70, R_HEADING, "Sign in");
	ui_text(a, y + 1, x, 70, R_DIM,
	    "No account yet? Press F2 to sign up.");
	ui_form_draw(a, &s->form, y + 3, x, 20, 40);
}

static int
signin_submit(struct app *a, struct signin *s)
{
	struct cnt_account	acc;
	struct cnt_error	err;
	const char		*peer = a->opts->peer ? a->opts->peer : "local";

	ui_form_clear_msgs(&s->form);
	if (s->f[0].value[0] == '\0') {
		cnt_strlcpy(s->f[0].msg, "enter your username or email",
		    sizeof s->f[0].msg);
		s->form.focus = 0;
		return ACT_REDRAW;
	}
	memset(&acc, 0, sizeof acc);
	if (cnt_account_signin(a->ctx, s->f[0].value, s->f[1].value, peer,
	    &acc, &err) != CNT_OK) {
		ui_field_set(&s->f[1], "");
		ui_form_error(&s->form, &err);
		s->form.focus = 1;
		return ACT_REDRAW;
	}
	app_signed_in(a, &acc);
	app_message(a, "Signed in as %s.", a->account.username);
	if (s->root)
		return app_replace(a, SCR_WELCOME, NULL);
	return ACT_POP;
}

static int
signin_key(struct app *a, void *p, int key)
{
	struct signin *s = p;

	if (key == K_F(2))
		return app_replace(a, SCR_SIGNUP, NULL);
	switch (ui_form_key(a, &s->form, key)) {
	case FORM_SUBMIT:
		return signin_submit(a, s);
	case FORM_CANCEL:
		return s->root ? ACT_QUIT : ACT_POP;
	case FORM_USED:
		return ACT_REDRAW;
	default:
		return ACT_PASS;
	}
}

static void
signin_leave(struct app *a, void *p)
{
	struct signin *s = p;

	(void)a;
	explicit_bzero(s->f[1].value, sizeof s->f[1].value);
	free(s);
}

const struct screen screen_signin = {
	"signin", "Sign in", signin_help, 0,
	signin_enter, signin_draw, signin_key, NULL, signin_leave
};

/* ------------------------------------------------------------------ */
/* Sign up.                                                             */

struct signup {
	struct ui_field	f[6];
	struct ui_form	form;
	bool		root;		/* replaced the first screen */
};

static const struct help signup_help[] = {
	{ "Enter", "next field / create the account", true },
	{ "Tab", "next field", true },
	{ "Esc", "back", true },
	{ NULL, NULL, false }
};

static void *
signup_enter(struct app *a, void *arg)
{
	struct signup	*s = xcalloc(1, sizeof *s);

	(void)arg;
	s->root = a->depth == 0;
	s->f[0] = (struct ui_field){ .name = "username", .label = "Username",
	    .type = F_TEXT, .max = 32 };
	s->f[1] = (struct ui_field){ .name = "email", .label = "Email",
	    .type = F_TEXT, .max = 254 };
	s->f[2] = (struct ui_field){ .name = "full_name", .label = "Full name",
	    .type = F_TEXT, .max = 100 };
	s->f[3] = (struct ui_field){ .name = "password", .label = "Password",
	    .type = F_PASSWORD, .max = 256 };
	s->f[4] = (struct ui_field){ .name = "repeat", .label =
	    "Password again", .type = F_PASSWORD, .max = 256 };
	s->f[5] = (struct ui_field){ .name = "submit", .label =
	    "Create account", .type = F_BUTTON };
	ui_form_init(&s->form, s->f, 6);
	return s;
}

static void
signup_draw(struct app *a, void *p)
{
	struct signup	*s = p;
	int		 x = (COLS - 70) / 2, y = 2;

	ui_text(a, y, x, 70, R_HEADING, "Create an account");
	ui_text(a, y + 1, x, 70, R_DIM, "Username: 3-32 of a-z 0-9 . _ -;"
	    " password: at least 10 characters.");
	ui_form_draw(a, &s->form, y + 3, x, 20, 40);
}

static int
signup_submit(struct app *a, struct signup *s)
{
	struct cnt_signup	in;
	struct cnt_account	acc;
	struct cnt_error	err;

	ui_form_clear_msgs(&s->form);
	if (strcmp(s->f[3].value, s->f[4].value) != 0) {
		cnt_strlcpy(s->f[4].msg, "the two passwords differ",
		    sizeof s->f[4].msg);
		s->form.focus = 4;
		return ACT_REDRAW;
	}
	in.username = s->f[0].value;
	in.email = s->f[1].value;
	in.full_name = s->f[2].value;
	in.password = s->f[3].value;
	memset(&acc, 0, sizeof acc);
	if (cnt_account_signup(a->ctx, &in, &acc, &err) != CNT_OK) {
		ui_form_error(&s->form, &err);
		return ACT_REDRAW;
	}
	app_signed_in(a, &acc);
	app_message(a, "Welcome, %s! Your account is ready.",
	    a->account.username);
	if (s->root)
		return app_replace(a, SCR_WELCOME, NULL);
	return ACT_POP;
}

static int
signup_key(struct app *a, void *p, int key)
{
	struct signup *s = p;

	switch (ui_form_key(a, &s->form, key)) {
	case FORM_SUBMIT:
		return signup_submit(a, s);
	case FORM_CANCEL:
		return s->root ? ACT_QUIT : ACT_POP;
	case FORM_USED:
		return ACT_REDRAW;
	default:
		return ACT_PASS;
	}
}

static void
signup_leave(struct app *a, void *p)
{
	struct signup *s = p;

	(void)a;
	explicit_bzero(s->f[3].value, sizeof s->f[3].value);
	explicit_bzero(s->f[4].value, sizeof s->f[4].value);
	free(s);
}

const struct screen screen_signup = {
	"signup", "Sign up", signup_help, 0,
	signup_enter, signup_draw, signup_key, NULL, signup_leave
};
