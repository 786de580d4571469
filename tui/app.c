/*
 * app.c - the app: the screen table, the screen stack, key dispatch and
 * the one event loop.
 *
 * The loop poll()s the terminal, the live-event descriptor and a timer
 * (the top screen's tick, for hold countdowns) and sleeps otherwise: an
 * idle app uses no CPU. Screens never touch the stack themselves; their
 * handlers return an act (redraw, push, replace, pop, home, quit) and the
 * loop carries it out. Keys the screen does not use (ACT_PASS) get the
 * defaults: ? and F1 help, q and Esc back, Ctrl-L redraw, Ctrl-C quit.
 *
 * Headless (opts->script): keys come from the script, the screen is drawn
 * into curses' memory only, and the final screen is printed at the end.
 */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "script.h"

/* Every screen of the app, by id. */
static const struct screen *const screen_table[SCR_NSCREENS] = {
	[SCR_WELCOME]	= &screen_welcome,
	[SCR_SIGNIN]	= &screen_signin,
	[SCR_SIGNUP]	= &screen_signup,
	[SCR_ACCOUNT]	= &screen_account,
	[SCR_PASSWORD]	= &screen_password,
	[SCR_KEYS]	= &screen_keys,
	[SCR_FILMS]	= &screen_films,
	[SCR_SEATS]	= &screen_seats,
	[SCR_CHECKOUT]	= &screen_checkout,
	[SCR_TICKET]	= &screen_ticket,
	[SCR_TICKETS]	= &screen_tickets,
	[SCR_STAFF]	= &screen_staff,
	[SCR_STAFF_TODAY] = &screen_staff_today,
	[SCR_STAFF_SALE] = &screen_staff_sale,
	[SCR_STAFF_FIND] = &screen_staff_find,
	[SCR_STAFF_BOOKING] = &screen_staff_booking,
	[SCR_STAFF_CHECKIN] = &screen_staff_checkin,
	[SCR_STAFF_SHIFT] = &screen_staff_shift,
	[SCR_ADMIN]	= &screen_admin,
	[SCR_ADMIN_FILMS] = &screen_admin_films,
	[SCR_ADMIN_FILM] = &screen_admin_film,
	[SCR_ADMIN_THEATRES] = &screen_admin_theatres,
	[SCR_ADMIN_LAYOUT] = &screen_admin_layout,
	[SCR_ADMIN_SCHEDULE] = &screen_admin_schedule,
	[SCR_ADMIN_SHOWTIME] = &screen_admin_showtime,
	[SCR_ADMIN_USERS] = &screen_admin_users,
	[SCR_ADMIN_REPORTS] = &screen_admin_reports,
	[SCR_ADMIN_RESERVATIONS] = &screen_admin_reservations,
	[SCR_ADMIN_PRICES] = &screen_admin_prices,
	[SCR_ADMIN_SYSTEM] = &screen_admin_system,
};

/* Set by TUI_NOTICE_SIGNAL: the daemon is shutting down. */
static volatile sig_atomic_t app_notice;

static void
app_notice_handler(int sig)
{
	(void)sig;
	app_notice = 1;
}

/* Milliseconds on the monotonic clock. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct screen *
app_top(const struct app *a)
{
	return a->depth > 0 ? a->stack[a->depth - 1].s : NULL;
}

int
app_push(struct app *a, enum screen_id id, void *arg)
{
	a->next.id = id;
	a->next.arg = arg;
	return ACT_PUSH;
}

int
app_replace(struct app *a, enum screen_id id, void *arg)
{
	a->next.id = id;
	a->next.arg = arg;
	return ACT_REPLACE;
}

void
app_message(struct app *a, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_error = false;
}

void
app_error(struct app *a, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_error = true;
}

int
app_confirm(struct app *a, const char *title, const char *text,
    int (*done)(struct app *, void *, bool), void *arg)
{
	a->dialog_open = true;
	cnt_strlcpy(a->dialog_title, title, sizeof a->dialog_title);
	cnt_strlcpy(a->dialog_text, text, sizeof a->dialog_text);
	a->dialog_done = done;
	a->dialog_arg = arg;
	return ACT_REDRAW;
}

int
app_alert(struct app *a, const char *title, const char *text)
{
	return app_confirm(a, title, text, NULL, NULL);
}

bool
app_is_guest(const struct app *a)
{
	return a->actor.account_id == 0;
}

/* Take ACCOUNT (its strings move into the app) as the signed-in user. */
void
app_signed_in(struct app *a, struct cnt_account *acc)
{
	cnt_account_free(&a->account);
	a->account = *acc;
	memset(acc, 0, sizeof *acc);
	a->actor.account_id = a->account.id;
	a->actor.role = a->account.role;
	log_info("event=tui_signin account=%lld peer=%s",
	    (long long)a->account.id, a->opts->peer ? a->opts->peer : "local");
}

void
app_sign_out(struct app *a)
{
	cnt_account_free(&a->account);
	memset(&a->account, 0, sizeof a->account);
	a->actor.account_id = 0;
	a->actor.role = CNT_ROLE_GUEST;
}

/*
 * Follow the seat changes of SHOWTIME (0: none). The subscription is made
 * on first use and kept for the session; it never fails (while Redis is
 * down core tells the loop to re-read every few seconds instead).
 */
void
app_watch(struct app *a, int64_t showtime)
{
	if (showtime == a->watch_showtime)
		return;
	a->watch_showtime = showtime;
	if (a->events == NULL && showtime != 0)
		a->events = cnt_events_open(a->ctx, showtime);
	else if (a->events != NULL)
		cnt_events_follow(a->events, showtime);
}

static void app_event(struct app *, const struct app_event *);
static void app_retry(struct app *);

/* Hand what the subscription has to the top screen, as one EV_SEATS;
 * true if it did. */
static bool
app_live_events(struct app *a)
{
	struct cnt_event	 e;
	struct app_event	 ev = { EV_SEATS, 0 };
	bool			 changed = false;
	int			 n = 0;

	if (a->events == NULL || a->watch_showtime == 0)
		return false;
	while (n++ < 1000 && cnt_events_next(a->events, &e) == 1) {
		if (e.kind == CNT_EV_SEATS && e.showtime_id != 0 &&
		    e.showtime_id != a->watch_showtime)
			continue;
		changed = true;
	}
	if (changed) {
		ev.showtime_id = a->watch_showtime;
		app_event(a, &ev);
	}
	return changed;
}

/* Open screen ID with ARG on top; false if its enter refused. */
static bool
app_open(struct app *a, enum screen_id id, void *arg)
{
	const struct screen	*s = screen_table[id];
	void			*state = NULL;

	if (s == NULL) {
		app_error(a, "This part of the app is not available yet.");
		return false;
	}
	if (a->depth == APP_MAXDEPTH) {
		app_error(a, "too many screens open");
		return false;
	}
	if (s->enter != NULL && (state = s->enter(a, arg)) == NULL)
		return false;
	a->stack[a->depth].s = s;
	a->stack[a->depth].state = state;
	a->depth++;
	return true;
}

static void
app_close_top(struct app *a)
{
	const struct screen *s;

	if (a->depth == 0)
		return;
	a->depth--;
	s = a->stack[a->depth].s;
	s->leave(a, a->stack[a->depth].state);
	a->stack[a->depth].state = NULL;
}

static void app_act(struct app *, int);

/* Tell the top screen about EV. */
static void
app_event(struct app *a, const struct app_event *ev)
{
	const struct screen *s = app_top(a);

	if (s != NULL && s->event != NULL)
		app_act(a, s->event(a, a->stack[a->depth - 1].state, ev));
}

/* Carry out what a handler returned. */
static void
app_act(struct app *a, int act)
{
	struct app_event ev = { EV_RESUMED, 0 };

	switch (act) {
	case ACT_PUSH:
		app_open(a, a->next.id, a->next.arg);
		break;
	case ACT_REPLACE:
		app_close_top(a);
		if (!app_open(a, a->next.id, a->next.arg) && a->depth > 0)
			app_event(a, &ev);
		break;
	case ACT_POP:
		app_close_top(a);
		if (a->depth == 0)
			a->quit = true;
		else
			app_event(a, &ev);
		break;
	case ACT_HOME:
		while (a->depth > 1)
			app_close_top(a);
		app_event(a, &ev);
		break;
	case ACT_QUIT:
		a->quit = true;
		break;
	default:
		break;
	}
}

/* Draw everything: the top screen, frame, help or dialog on top. */
static void
app_draw(struct app *a)
{
	const struct screen *s = app_top(a);
	char	 buf[96];

	erase();
	if (ui_too_small(a)) {
		snprintf(buf, sizeof buf, "Please enlarge the terminal to at "
		    "least %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
		ui_center(a, LINES / 2 - 1, R_ERROR, buf);
		snprintf(buf, sizeof buf, "(now %dx%d; Ctrl-C quits)", COLS,
		    LINES);
		ui_center(a, LINES / 2 + 1, R_NORMAL, buf);
	} else {
		if (s != NULL)
			s->draw(a, a->stack[a->depth - 1].state);
		ui_frame(a, s);
		if (a->help_open)
			ui_help(a, s);
		if (a->dialog_open)
			ui_dialog(a);
	}
	refresh();
}

/* Handle one key: dialog, help, the top screen, then the defaults. */
static void
app_key(struct app *a, int key)
{
	const struct screen *s = app_top(a);
	int	act = ACT_PASS;
	bool	yes;

	if (key == K_CTRL('c')) {
		a->quit = true;
		return;
	}
	if (key == K_CTRL('l')) {
		clearok(curscr, TRUE);
		return;
	}
	if (key == K_RESIZE) {
		/* ncurses resized already; let the screen re-layout. */
		if (s != NULL && s->key != NULL)
			app_act(a, s->key(a, a->stack[a->depth - 1].state,
			    key));
		return;
	}
	if (ui_too_small(a))
		return;
	a->message[0] = '\0';
	if (a->dialog_open) {
		if (a->dialog_done == NULL) {
			if (key_is_enter(key) || key == K_ESC || key == ' ' ||
			    key == 'q')
				a->dialog_open = false;
			return;
		}
		if (key == 'y' || key == 'Y' || key == 'n' || key == 'N' ||
		    key == K_ESC) {
			yes = key == 'y' || key == 'Y';
			a->dialog_open = false;
			app_act(a, a->dialog_done(a, a->dialog_arg, yes));
		}
		return;
	}
	if (a->help_open) {
		a->help_open = false;
		return;
	}
	if (key == K_F(1)) {
		a->help_open = true;
		return;
	}
	if (s != NULL && s->key != NULL)
		act = s->key(a, a->stack[a->depth - 1].state, key);
	if (act != ACT_PASS) {
		app_act(a, act);
		return;
	}
	switch (key) {
	case '?':
		a->help_open = true;
		break;
	case 'q':
	case K_ESC:
		if (a->depth > 1 || key == 'q')
			app_act(a, ACT_POP);
		break;
	default:
		break;
	}
}

/*
 * Wait until DEADLINE (ms on the monotonic clock; -1: until something
 * happens) for keys, live events or the top screen's tick, and handle
 * what came. Returns after one round of work.
 */
static void
app_wait(struct app *a, int64_t deadline)
{
	struct pollfd	 pfd[2];
	struct app_event ev;
	const struct screen *s = app_top(a);
	int64_t		 now = now_ms(), wake = deadline, drawn;
	int		 n = 0, tfd = term_fd(a->term), timeout, key, efd, ems;

	if (s != NULL && s->tick_ms > 0) {
		if (a->tick_at == 0 || a->tick_screen != s)
			a->tick_at = now + s->tick_ms;
		a->tick_screen = s;
		if (wake == -1 || a->tick_at < wake)
			wake = a->tick_at;
	}
	if (tfd != -1) {
		pfd[n].fd = tfd;
		pfd[n].events = POLLIN;
		n++;
	}
	/* One wake-up after db_idle_seconds of quiet closes the connection. */
	if (!a->db_idle && a->cfg->db_idle_seconds > 0) {
		int64_t idle_at = a->active_at +
		    ((int64_t)a->cfg->db_idle_seconds + 1) * 1000;

		if (wake == -1 || idle_at < wake)
			wake = idle_at;
	}
	if (a->events != NULL && a->watch_showtime != 0) {
		if ((efd = cnt_events_fd(a->events)) != -1) {
			pfd[n].fd = efd;
			pfd[n].events = POLLIN;
			n++;
		}
		if ((ems = cnt_events_timeout_ms(a->events)) >= 0 &&
		    (wake == -1 || now + ems < wake))
			wake = now + ems;
	}
	if (a->retry_at != 0 && (wake == -1 || a->retry_at < wake))
		wake = a->retry_at;
	timeout = wake == -1 ? -1 : (int)(wake > now ? wake - now : 0);
	if (poll(pfd, (nfds_t)n, timeout) == -1 && errno != EINTR) {
		a->quit = true;
		return;
	}
	if (app_notice) {
		app_notice = 0;
		app_error(a, "The server is shutting down: please finish "
		    "within a minute.");
		app_draw(a);
	}
	/* Keys that arrive together (a paste) are handled before the next
	 * draw, with a draw every 50 ms at most: a screen redrawn after
	 * every byte of a 1 MiB paste kept the session busy for minutes.
	 * The caller draws once the keys are done. */
	drawn = now_ms();
	while (!a->quit && (key = term_key(a->term, &a->mouse)) != -1) {
		app_key(a, key);
		a->active_at = now_ms();
		a->db_idle = false;
		if (!a->quit && a->depth > 0 && a->active_at - drawn >= 50) {
			app_draw(a);
			drawn = now_ms();
		}
	}
	if (!a->quit && app_live_events(a)) {
		a->active_at = now_ms();
		a->db_idle = false;
	}
	if (!a->db_idle && a->cfg->db_idle_seconds > 0 && now_ms() >=
	    a->active_at + ((int64_t)a->cfg->db_idle_seconds + 1) * 1000) {
		cnt_db_idle(a->ctx);
		a->db_idle = true;
	}
	s = app_top(a);
	if (s != NULL && s->tick_ms > 0 && a->tick_screen == s &&
	    now_ms() >= a->tick_at) {
		a->tick_at = now_ms() + s->tick_ms;
		ev.kind = EV_TICK;
		ev.showtime_id = 0;
		app_event(a, &ev);
		a->active_at = now_ms();
		a->db_idle = false;
	}
	if (!a->quit && a->depth > 0) {
		bool	was = a->retry_at != 0;

		app_retry(a);
		if (was || a->retry_at != 0)
			app_draw(a);
	}
}

#define APP_RETRY_MS	2000
#define APP_UNAVAILABLE	"service unavailable"

/*
 * The status bar says the service is unavailable (the database went away):
 * say that we retry, try again every APP_RETRY_MS, and once the database
 * answers clear the message and let the top screen reload, so an open
 * session recovers on its own. A key clears the message and the retry.
 */
static void
app_retry(struct app *a)
{
	struct app_event ev = { EV_RESUMED, 0 };
	struct cnt_error err;
	size_t		 len;

	if (!a->message_error || strncmp(a->message, APP_UNAVAILABLE,
	    strlen(APP_UNAVAILABLE)) != 0) {
		a->retry_at = 0;
		return;
	}
	if (a->retry_at == 0) {
		/* "service unavailable: why" -> "..., retrying: why" */
		len = strlen(APP_UNAVAILABLE);
		if (a->message[len] == ':' && strlen(a->message) + 11 <
		    sizeof a->message) {
			memmove(a->message + len + 10, a->message + len,
			    strlen(a->message + len) + 1);
			memcpy(a->message + len, ", retrying", 10);
		}
		a->retry_at = now_ms() + APP_RETRY_MS;
		return;
	}
	if (now_ms() < a->retry_at)
		return;
	if (cnt_db_ping(a->ctx, &err) != CNT_OK) {
		a->retry_at = now_ms() + APP_RETRY_MS;
		return;
	}
	a->retry_at = 0;
	a->message[0] = '\0';
	a->message_error = false;
	app_event(a, &ev);
	/* A reload that failed again put its own error up: keep it. */
	if (!a->message_error)
		app_message(a, "The service is back.");
}

/* Feed a script step's keys, one at a time, drawing after each. */
static void
app_feed(struct app *a, const struct script_step *st)
{
	int	i, key;

	for (i = 0; i < st->nkeys && !a->quit; i++) {
		term_feed(a->term, st->keys[i]);
		while (!a->quit && (key = term_key(a->term, &a->mouse)) != -1) {
			app_key(a, key);
			if (!a->quit && a->depth > 0)
				app_draw(a);
		}
	}
}

/* Run the script: returns 0 if every expect held, 1 otherwise. */
static int
app_run_script(struct app *a)
{
	struct script		*sc;
	struct script_step	 st;
	char			*cause = NULL, *text;
	int			 rc, status = 0;
	int64_t			 end;

	if ((sc = script_open(a->opts->script, &cause)) == NULL) {
		fprintf(stderr, "cinetty tui: %s\n", cause);
		free(cause);
		return 2;
	}
	app_draw(a);
	while (!a->quit && (rc = script_next(sc, &st, &cause)) == 1) {
		switch (st.kind) {
		case STEP_KEYS:
			app_feed(a, &st);
			break;
		case STEP_RESIZE:
			term_resize(a->term, st.x, st.y);
			app_key(a, K_RESIZE);
			app_draw(a);
			break;
		case STEP_CLICK:
			memset(&a->mouse, 0, sizeof a->mouse);
			a->mouse.x = st.x;
			a->mouse.y = st.y;
			a->mouse.click = true;
			app_key(a, K_MOUSE);
			app_draw(a);
			break;
		case STEP_SLEEP:
			end = now_ms() + st.x;
			while (!a->quit && now_ms() < end) {
				app_wait(a, end);
				if (!a->quit && a->depth > 0)
					app_draw(a);
			}
			break;
		case STEP_DUMP:
			app_draw(a);
			fprintf(stderr, "%s:%d: the screen:\n",
			    a->opts->script, script_line(sc));
			term_dump(a->term, stderr);
			break;
		case STEP_EXPECT:
		case STEP_REJECT:
			app_draw(a);
			text = term_text(a->term);
			if ((strstr(text, st.text) != NULL) !=
			    (st.kind == STEP_EXPECT)) {
				fprintf(stderr, "%s:%d: %s \"%s\"\n",
				    a->opts->script, script_line(sc),
				    st.kind == STEP_EXPECT ?
				    "the screen does not show" :
				    "the screen shows", st.text);
				status = 1;
			}
			free(text);
			break;
		}
		script_step_free(&st);
	}
	if (rc == -1) {
		fprintf(stderr, "cinetty tui: %s\n", cause);
		free(cause);
		status = 2;
	}
	script_close(sc);
	return status;
}

/* The first screen: sign-in for --user, films when signed in, else welcome. */
static bool
app_start(struct app *a)
{
	const struct tui_opts	*o = a->opts;
	struct cnt_account	 acc;
	struct cnt_error	 err;

	if (o->ask_password)
		return app_open(a, SCR_SIGNIN, (void *)o->username);
	if (o->account_id != 0 && o->account != NULL &&
	    o->account->id == o->account_id && !o->account->locked) {
		/* Signed in by the daemon, which just read the account: no
		 * database connection until the user does something. */
		acc = *o->account;
		acc.username = o->account->username != NULL ?
		    xstrdup(o->account->username) : NULL;
		acc.email = o->account->email != NULL ?
		    xstrdup(o->account->email) : NULL;
		acc.full_name = o->account->full_name != NULL ?
		    xstrdup(o->account->full_name) : NULL;
		app_signed_in(a, &acc);
	} else if (o->account_id != 0) {
		/* Signed in by the daemon (password or key). */
		memset(&acc, 0, sizeof acc);
		if (cnt_account_get(a->ctx, o->account_id, &acc, &err) !=
		    CNT_OK) {
			app_error(a, "%s", err.msg);
			cnt_account_free(&acc);
		} else if (acc.locked) {
			app_error(a, "This account is locked.");
			cnt_account_free(&acc);
		} else
			app_signed_in(a, &acc);
	}
	if (!app_open(a, SCR_WELCOME, NULL))
		return false;
	/* Staff and admins signed in by the daemon start at their menu. */
	if (a->actor.role >= CNT_ROLE_STAFF)
		app_open(a, a->actor.role == CNT_ROLE_ADMIN ? SCR_ADMIN :
		    SCR_STAFF, NULL);
	return true;
}

int
tui_run(const struct tui_opts *opts)
{
	struct app	 a;
	struct sigaction sa;
	char		*cause = NULL;
	int		 status = 0;

	memset(&a, 0, sizeof a);
	a.opts = opts;
	a.cfg = opts->cfg;
	a.actor.role = CNT_ROLE_GUEST;
	/* Times on screen are the cinema's, whoever connects from where. */
	if (opts->cfg->timezone != NULL && opts->cfg->timezone[0] != '\0') {
		setenv("TZ", opts->cfg->timezone, 1);
		tzset();
	}
	if ((a.term = term_open(opts, &cause)) == NULL) {
		fprintf(stderr, "cinetty: %s\n", cause);
		free(cause);
		return 1;
	}
	a.ctx = cnt_ctx_new(opts->cfg);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = app_notice_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(TUI_NOTICE_SIGNAL, &sa, NULL);	/* no SA_RESTART */
	a.active_at = now_ms();
	if (!app_start(&a))
		a.quit = true;
	if (opts->script != NULL) {
		status = app_run_script(&a);
		app_draw(&a);
		term_dump(a.term, opts->out != NULL ? opts->out : stdout);
	} else {
		app_draw(&a);
		while (!a.quit && a.depth > 0) {
			app_wait(&a, -1);
			if (!a.quit && a.depth > 0)
				app_draw(&a);
		}
	}
	while (a.depth > 0)
		app_close_top(&a);
	term_close(a.term);
	if (a.events != NULL)
		cnt_events_close(a.events);
	cnt_account_free(&a.account);
	cnt_ctx_free(a.ctx);
	return status;
}
