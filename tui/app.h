/*
 * app.h - what the screens of the app share: keys, colour roles, the
 * terminal (term.c), the screen stack and event loop (app.c), the widgets
 * (ui.c). Nothing here knows about SQL or SSH; screens call core/ through
 * cinetty.h and draw with ui_* functions.
 */
#ifndef APP_H
#define APP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cinetty.h"
#include "tui.h"

/* ------------------------------------------------------------------ */
/* Keys. A key is an int: a Unicode code point (control characters are  */
/* 1..31 and 127), or one of the K_* codes below, which lie beyond the   */
/* last code point so they never collide with text.                      */

#define K_BASE		0x110000
#define K_CURSES(k)	(K_BASE + (k))	/* an ncurses KEY_* code */
#define K_UP		K_CURSES(0403)
#define K_DOWN		K_CURSES(0402)
#define K_LEFT		K_CURSES(0404)
#define K_RIGHT		K_CURSES(0405)
#define K_HOME		K_CURSES(0406)
#define K_BACKSPACE	K_CURSES(0407)
#define K_F(n)		K_CURSES(0410 + (n))
#define K_DC		K_CURSES(0512)
#define K_NPAGE		K_CURSES(0522)
#define K_PPAGE		K_CURSES(0523)
#define K_ENTER_KP	K_CURSES(0527)
#define K_BTAB		K_CURSES(0541)
#define K_END		K_CURSES(0550)
#define K_MOUSE		K_CURSES(0631)
#define K_RESIZE	K_CURSES(0632)
#define K_INVALID	(K_BASE + 0x10000)	/* bytes that were not UTF-8 */

#define K_CTRL(c)	((c) & 0x1f)
#define K_ESC		27
#define K_TAB		9
#define K_ENTER		13
#define K_DEL		127

bool	key_is_enter(int);
bool	key_is_backspace(int);
bool	key_is_text(int);		/* printable code point */
/* A name for KEY in help texts and scripts: "Enter", "Up", "x". */
const char *key_label(int, char buf[16]);

/* Where the last mouse event was (K_MOUSE): screen cell and buttons. */
struct mouse {
	int	x, y;
	bool	click;		/* button 1 pressed or clicked */
	bool	wheel_up, wheel_down;
};

/* ------------------------------------------------------------------ */
/* The terminal (term.c): the one module that talks to ncurses set-up.  */

enum role {
	R_NORMAL = 0,
	R_TITLE,		/* top bar */
	R_STATUS,		/* bottom bar */
	R_STATUS_KEY,		/* a key name in the bottom bar */
	R_HEADING,
	R_SELECTED,		/* the highlighted list row */
	R_DIM,			/* sold out, started, hints */
	R_ERROR,
	R_GOOD,
	R_FIELD,
	R_FIELD_FOCUS,
	R_BORDER,
	R_SEAT_FREE,
	R_SEAT_PREMIUM,
	R_SEAT_VIP,
	R_SEAT_ACCESS,		/* wheelchair and companion */
	R_SEAT_HELD,		/* held by someone else */
	R_SEAT_SOLD,
	R_SEAT_MINE,
	R_CURSOR,
	R_BAR,
	R_BIG,			/* booking codes */
	R_QR,			/* dark modules on light */
	R_NROLES
};

/* Line-drawing glyphs: UTF-8 box characters or ASCII. */
enum glyph {
	G_H = 0, G_V, G_TL, G_TR, G_BL, G_BR, G_BLOCK, G_HALF_UP,
	G_HALF_DOWN, G_SEAT, G_DOT, G_ELLIPSIS, G_NGLYPHS
};

struct term;

/* Open the terminal on OPTS's streams (or headless). NULL and *CAUSE. */
struct term    *term_open(const struct tui_opts *, char **cause);
void		term_close(struct term *);
int		term_fd(const struct term *);	/* -1 when headless */
bool		term_utf8(const struct term *);
bool		term_colour(const struct term *);
const char     *term_name(const struct term *);	/* the TERM in use */
int		term_attr(const struct term *, enum role);
const char     *term_glyph(const struct term *, enum glyph);
/* Next key typed, or -1 when none is waiting. Fills *M for K_MOUSE. */
int		term_key(struct term *, struct mouse *);
/* Queue a raw byte or K_* code as if typed (headless scripts). */
void		term_feed(struct term *, int key);
/* Headless: resize to COLS x ROWS. */
void		term_resize(struct term *, int cols, int rows);
/* Write the screen as text, one line a row, trailing blanks cut. */
void		term_dump(struct term *, FILE *);
/* The screen as text in an allocated string (for script `expect`). */
char	       *term_text(struct term *);

/* ------------------------------------------------------------------ */
/* Screens and the stack (app.c).                                        */

enum act {
	ACT_PASS = -1,	/* key not used: the app's defaults apply */
	ACT_NONE = 0,	/* nothing changed */
	ACT_REDRAW,	/* draw again */
	ACT_PUSH,	/* open app->next on top (set by app_push) */
	ACT_REPLACE,	/* replace the top with app->next */
	ACT_POP,	/* close the top screen */
	ACT_HOME,	/* close everything above the first screen */
	ACT_QUIT
};

enum ev_kind {
	EV_TICK,	/* the screen's tick_ms timer */
	EV_SEATS,	/* seats of a showtime changed (live events) */
	EV_RESUMED	/* a screen above was closed: reload if needed */
};

struct app_event {
	enum ev_kind	kind;
	int64_t		showtime_id;	/* EV_SEATS; 0 = unknown: re-read all */
};

/* A line of help: the key as shown and what it does. */
struct help {
	const char     *key;
	const char     *what;
	bool		bar;		/* also show in the status bar */
};

struct app;

/*
 * A screen. ENTER makes its state from ARG (NULL on failure: it called
 * app_error first); DRAW renders the whole screen area (rows 1..LINES-2);
 * KEY and EVENT return an act; LEAVE frees the state. Only DRAW and LEAVE
 * are required.
 */
struct screen {
	const char     *name;
	const char     *title;
	const struct help *help;	/* ends with a NULL key */
	int		tick_ms;	/* EV_TICK interval while on top, 0 none */
	void	       *(*enter)(struct app *, void *arg);
	void		(*draw)(struct app *, void *);
	int		(*key)(struct app *, void *, int key);
	int		(*event)(struct app *, void *, const struct app_event *);
	void		(*leave)(struct app *, void *);
};

enum screen_id {
	SCR_WELCOME = 0,
	SCR_SIGNIN,
	SCR_SIGNUP,
	SCR_ACCOUNT,
	SCR_PASSWORD,
	SCR_KEYS,
	SCR_FILMS,
	SCR_SEATS,
	SCR_CHECKOUT,
	SCR_TICKET,
	SCR_TICKETS,
	/* box office (screen-staff-*.c) and back office (screen-admin-*.c) */
	SCR_STAFF, SCR_STAFF_TODAY, SCR_STAFF_SALE, SCR_STAFF_FIND,
	SCR_STAFF_BOOKING, SCR_STAFF_CHECKIN, SCR_STAFF_SHIFT,
	SCR_ADMIN, SCR_ADMIN_FILMS, SCR_ADMIN_FILM, SCR_ADMIN_THEATRES,
	SCR_ADMIN_LAYOUT, SCR_ADMIN_SCHEDULE, SCR_ADMIN_SHOWTIME,
	SCR_ADMIN_USERS, SCR_ADMIN_RESERVATIONS, SCR_ADMIN_REPORTS,
	SCR_ADMIN_PRICES, SCR_ADMIN_SYSTEM,
	SCR_NSCREENS
};

extern const struct screen screen_welcome, screen_signin, screen_signup,
    screen_account, screen_password, screen_keys, screen_films,
    screen_seats, screen_checkout, screen_ticket, screen_tickets;
extern const struct screen screen_staff, screen_staff_today,
    screen_staff_sale, screen_staff_find, screen_staff_booking,
    screen_staff_checkin, screen_staff_shift, screen_admin,
    screen_admin_films, screen_admin_film, screen_admin_theatres,
    screen_admin_layout, screen_admin_schedule, screen_admin_showtime,
    screen_admin_users, screen_admin_reservations, screen_admin_reports,
    screen_admin_prices, screen_admin_system;

/* What the seat map hands the checkout: the hold and what it is for.
 * The checkout owns and frees it. */
struct checkout_arg {
	struct cnt_hold	hold;
	char	       *title;
	char	       *theatre;
	time_t		starts_at;
};

/* What opens a ticket: a booking id, and whether it was just bought. */
struct ticket_arg {
	int64_t		booking_id;
	bool		fresh;
};

#define APP_MAXDEPTH	16

struct app {
	const struct tui_opts	*opts;
	const struct cnt_config	*cfg;
	struct cnt_ctx		*ctx;
	struct term		*term;

	/* Who is signed in; role GUEST and id 0 when nobody. */
	struct cnt_account	 account;
	struct cnt_actor	 actor;

	struct {
		const struct screen	*s;
		void			*state;
	}			 stack[APP_MAXDEPTH];
	int			 depth;
	struct {
		enum screen_id	 id;
		void		*arg;
	}			 next;		/* set by app_push */

	char			 message[256];	/* status-bar message */
	bool			 message_error;
	bool			 help_open;
	bool			 dialog_open;	/* a modal dialog is up */
	char			 dialog_title[64];
	char			 dialog_text[512];
	int			 dialog_answer;	/* 'y' / 'n' once answered */
	int			 (*dialog_done)(struct app *, void *, bool);
	void			*dialog_arg;
	struct mouse		 mouse;	/* of the last K_MOUSE */
	bool			 quit;
	int			 exit_status;
	/* Live events: which showtime the top screen watches. */
	int64_t			 watch_showtime;
	struct cnt_events	*events;	/* NULL until first watched */
	/* The showtime of the last booking paid here (the seat map then
	 * forgets its picks). */
	int64_t			 booked_showtime;
	/* When something last happened, to close an idle database
	 * connection (config db_idle_seconds) without a busy timer. */
	int64_t			 active_at;
	bool			 db_idle;
	/* While the status bar says "service unavailable": when to try the
	 * database again (0: not retrying). */
	int64_t			 retry_at;
	/* The top screen's timer. */
	const struct screen	*tick_screen;
	int64_t			 tick_at;
};

/* Record SCREEN with ARG as the next screen; returns ACT_PUSH. */
int	app_push(struct app *, enum screen_id, void *arg);
int	app_replace(struct app *, enum screen_id, void *arg);
/* Show a one-line message in the status bar until the next key. */
void	app_message(struct app *, const char *, ...) CNT_PRINTF(2, 3);
void	app_error(struct app *, const char *, ...) CNT_PRINTF(2, 3);
/* Ask yes/no in a dialog; DONE gets the answer and returns an act. */
int	app_confirm(struct app *, const char *title, const char *text,
	    int (*done)(struct app *, void *, bool), void *arg);
/* A modal error box that any key closes. */
int	app_alert(struct app *, const char *title, const char *text);
/* Sign in as ACCOUNT (moved into the app) / sign out. */
void	app_signed_in(struct app *, struct cnt_account *);
void	app_sign_out(struct app *);
bool	app_is_guest(const struct app *);
/* Watch SHOWTIME's seat changes (0 stops). */
void	app_watch(struct app *, int64_t showtime);

/* ------------------------------------------------------------------ */
/* Widgets (ui.c). Coordinates are screen cells; all text goes through   */
/* ui_text, which strips control characters and clips to the width.      */

/* Draw UTF-8 TEXT at Y,X in at most WIDTH cells; returns cells used. */
int	ui_text(struct app *, int y, int x, int width, enum role,
	    const char *text);
int	ui_textf(struct app *, int y, int x, int width, enum role,
	    const char *, ...) CNT_PRINTF(6, 7);
/* Cells TEXT takes on screen (after sanitising). */
int	ui_width(const struct app *, const char *text);
void	ui_center(struct app *, int y, enum role, const char *text);
void	ui_fill(struct app *, int y, int x, int width, enum role);
void	ui_box(struct app *, int y, int x, int h, int w, enum role,
	    const char *title);
/* Big block letters for booking codes (5 rows); returns width. */
int	ui_big(struct app *, int y, int x, const char *text);
int	ui_big_width(const char *text);
int	ui_big_role(struct app *, int y, int x, const char *, enum role);
/* A horizontal bar of VALUE out of MAX in WIDTH cells. */
void	ui_bar(struct app *, int y, int x, int width, double value,
	    double max, enum role);
/* T as "YYYY-MM-DD HH:MM" in the cinema's zone (TZ is set to it). */
const char *ui_time(time_t, char buf[32]);
/* Format cents as "12.50". */
const char *ui_money(int64_t cents, char buf[32]);

/* A scrolling list with type-to-search over its rows' text. */
struct ui_list {
	int	n;		/* rows */
	int	sel;		/* selected row */
	int	top;		/* first row shown */
	char	search[64];	/* typed so far */
	time_t	search_at;
	/* row text for search; the screen draws the rows itself */
	const char *(*text)(void *arg, int row);
	void	*arg;
};

/* Handle a key for LIST shown in HEIGHT rows; true if it used it. */
bool	ui_list_key(struct app *, struct ui_list *, int height, int key);
/* Keep SEL visible in HEIGHT rows. */
void	ui_list_scroll(struct ui_list *, int height);

/* A form: labelled fields, one focused, messages next to fields. */
enum field_type { F_TEXT, F_PASSWORD, F_NUMBER, F_DATE, F_BUTTON };

struct ui_field {
	const char     *name;		/* matches cnt_error.field */
	const char     *label;
	enum field_type	type;
	int		max;		/* most characters (code points) */
	char		value[512];	/* UTF-8 */
	int		len;		/* code points in value */
	int		cursor;		/* code point index */
	char		msg[160];	/* inline message, "" none */
};

struct ui_form {
	struct ui_field *f;
	int		n;
	int		focus;
	char		msg[256];	/* message for the whole form */
	bool		msg_ok;
};

enum form_result { FORM_NONE, FORM_USED, FORM_SUBMIT, FORM_CANCEL };

void	ui_form_init(struct ui_form *, struct ui_field *, int n);
/* Draw at Y,X with labels LABELW wide and values FIELDW wide. */
void	ui_form_draw(struct app *, struct ui_form *, int y, int x,
	    int labelw, int fieldw);
int	ui_form_key(struct app *, struct ui_form *, int key);
/* Put core's ERR on its field (or the form when no field matches). */
void	ui_form_error(struct ui_form *, const struct cnt_error *);
void	ui_form_clear_msgs(struct ui_form *);
struct ui_field *ui_form_field(struct ui_form *, const char *name);
const char *ui_form_value(struct ui_form *, const char *name);
void	ui_field_set(struct ui_field *, const char *);
/* Check a date "YYYY-MM-DD" / number field; sets msg, returns ok. */
bool	ui_field_valid(struct ui_field *);

/* A table with columns, sortable by a column. */
struct ui_column {
	const char     *title;
	int		width;
	bool		right;		/* align right (numbers) */
};

struct ui_table {
	const struct ui_column *cols;
	int		ncols;
	struct ui_list	list;
	int		sort_col;
	bool		sort_desc;
	/* cell text for ROW, COL (the screen owns the data) */
	const char     *(*cell)(void *arg, int row, int col, char buf[128]);
	/* compare rows A and B by COL, for sorting */
	int		(*cmp)(void *arg, int a, int b, int col);
	void	       *arg;
	int	       *order;		/* display order -> row */
};

void	ui_table_set(struct ui_table *, int nrows);
void	ui_table_free(struct ui_table *);
void	ui_table_draw(struct app *, struct ui_table *, int y, int x, int h);
bool	ui_table_key(struct app *, struct ui_table *, int h, int key);
int	ui_table_row(const struct ui_table *);	/* selected data row, -1 */

/* A bar chart: labels and values, one bar a line. */
void	ui_barchart(struct app *, int y, int x, int h, int w,
	    const char *const *labels, const double *values, int n,
	    const char *(*fmt)(double, char buf[32]));

/* Frame: title bar, status bar with the top screen's keys, help, dialog. */
void	ui_frame(struct app *, const struct screen *);
void	ui_help(struct app *, const struct screen *);
void	ui_dialog(struct app *);
bool	ui_too_small(struct app *);

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	24

#endif
