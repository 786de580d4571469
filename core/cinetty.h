/*
 * cinetty.h - the public API of libcinetty.
 *
 * The TUI, the daemon and the command-line program include this header and
 * nothing else from core/. No SQL, curses or libssh type appears here.
 *
 * Conventions (everywhere in core/):
 *  - functions return CNT_OK (0) or CNT_ERR (-1); on CNT_ERR they fill the
 *    caller's struct cnt_error with a kind and a message fit to show a person;
 *  - no function prints, no function exits;
 *  - every call that changes data takes a const struct cnt_actor * and checks
 *    permission itself;
 *  - money is integer cents, times are time_t (UTC seconds);
 *  - strings returned in structs are owned by the struct and freed by its
 *    _free function.
 */
#ifndef CINETTY_H
#define CINETTY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define CNT_VERSION "0.1.0"

#define CNT_OK	0
#define CNT_ERR	-1

#ifdef __GNUC__
#define CNT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CNT_PRINTF(a, b)
#endif

/* ------------------------------------------------------------------ */
/* Errors (error.c)                                                    */

enum cnt_errkind {
	CNT_E_NONE = 0,
	CNT_E_INVALID,		/* bad input: the user can fix it */
	CNT_E_NOTFOUND,
	CNT_E_CONFLICT,		/* seat taken, duplicate title, overlap ... */
	CNT_E_FORBIDDEN,	/* the actor may not do this */
	CNT_E_UNAVAILABLE,	/* database or Redis down, timeout: retry later */
	CNT_E_INTERNAL		/* a bug or an unexpected server answer */
};

struct cnt_error {
	enum cnt_errkind kind;
	char	field[32];	/* form field the message is about, or "" */
	char	sqlstate[6];	/* SQLSTATE when it came from PostgreSQL */
	char	msg[512];	/* a sentence fit to show a person */
};

void		cnt_error_clear(struct cnt_error *);
int		cnt_error_set(struct cnt_error *, enum cnt_errkind,
		    const char *, ...) CNT_PRINTF(3, 4);
int		cnt_error_field(struct cnt_error *, enum cnt_errkind,
		    const char *field, const char *, ...) CNT_PRINTF(4, 5);
const char     *cnt_errkind_name(enum cnt_errkind);

/* ------------------------------------------------------------------ */
/* Memory helpers that never return NULL (xmalloc.c). They abort the   */
/* process on exhaustion, like tmux's and Redis's.                     */

void	       *xmalloc(size_t);
void	       *xcalloc(size_t, size_t);
void	       *xrealloc(void *, size_t);
void	       *xreallocarray(void *, size_t, size_t);
char	       *xstrdup(const char *);
char	       *xstrndup(const char *, size_t);
char	       *xasprintf(const char *, ...) CNT_PRINTF(1, 2);
char	       *xvasprintf(const char *, va_list) CNT_PRINTF(1, 0);
size_t		cnt_strlcpy(char *, const char *, size_t);

/* ------------------------------------------------------------------ */
/* Logging (log.c): one line per event, "key=value" fields.            */

enum cnt_loglevel {
	CNT_LOG_DEBUG = 0,
	CNT_LOG_INFO,
	CNT_LOG_WARN,
	CNT_LOG_ERROR
};

void	cnt_log_init(enum cnt_loglevel, FILE *);
int	cnt_log_parse_level(const char *, enum cnt_loglevel *);
void	cnt_log(enum cnt_loglevel, const char *, ...) CNT_PRINTF(2, 3);
#define log_debug(...)	cnt_log(CNT_LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	cnt_log(CNT_LOG_INFO, __VA_ARGS__)
#define log_warn(...)	cnt_log(CNT_LOG_WARN, __VA_ARGS__)
#define log_error(...)	cnt_log(CNT_LOG_ERROR, __VA_ARGS__)

/* ------------------------------------------------------------------ */
/* Configuration (config.c): defaults, then a cinetty.conf file         */
/* ("key = value", # comments), then CINETTY_<KEY> environment         */
/* variables, then command-line "key=value" overrides.                  */

#define CNT_CONFIG_MAXLIST	8

struct cnt_config {
	/* general */
	char   *cinema_name;
	char   *timezone;		/* the cinema's zone for "today" */
	char   *log_level;
	char   *share_dir;		/* where db/ and seed/ live */

	/* storage */
	char   *database;		/* libpq conninfo; "" = PG* env */
	char   *redis;			/* unix:/path or host:port */
	char   *redis_password;
	int	redis_db;
	int	redis_timeout_ms;
	int	db_idle_seconds;
	int	statement_timeout_ms;

	/* booking rules */
	int	hold_minutes;
	int	max_seats_per_booking;
	int	cancel_cutoff_minutes;
	int	complete_after_minutes;
	int	trailer_minutes;
	int	cleaning_minutes;
	int	checkin_open_minutes;

	/* passwords and sign-in throttling */
	int	argon2_t_cost;
	int	argon2_m_kib;
	int	argon2_parallelism;
	int	login_max_failures;
	int	login_window_seconds;
	int	login_lockout_seconds;

	/* jobs and mail */
	int	job_max_attempts;
	int	job_lease_seconds;
	int	sweep_seconds;
	char   *mail_command;
	char   *mail_from;

	/* daemon */
	char   *listen[CNT_CONFIG_MAXLIST];
	int	nlisten;
	char   *host_key[CNT_CONFIG_MAXLIST];
	int	nhost_key;
	char   *guest_user;
	char   *user;
	bool	worker;
	int	login_grace_seconds;
	int	idle_minutes;
	int	max_sessions;
	int	max_sessions_per_address;
	int	max_startups;
	int	max_auth_tries;
	int	shutdown_grace_seconds;
};

/* One known key: the table in config.c lists every key once. */
struct cnt_config_key {
	const char     *name;
	const char     *type;		/* "int", "bool", "string", "list" */
	const char     *def;		/* default, as text */
	const char     *help;		/* one line */
};

void	cnt_config_init(struct cnt_config *);	/* defaults */
void	cnt_config_free(struct cnt_config *);
void	cnt_config_copy(struct cnt_config *dst, const struct cnt_config *src);
/* Read FILE; errors say "FILE:LINE: message". A missing file is an error. */
int	cnt_config_load_file(struct cnt_config *, const char *,
	    struct cnt_error *);
int	cnt_config_load_stream(struct cnt_config *, FILE *, const char *name,
	    struct cnt_error *);
/* Apply CINETTY_<KEY> variables (CINETTY_REDIS, CINETTY_HOLD_MINUTES...). */
int	cnt_config_load_env(struct cnt_config *, struct cnt_error *);
/* Set one key from text; ORIGIN names where it came from for messages. */
int	cnt_config_set(struct cnt_config *, const char *key,
	    const char *value, const char *origin, struct cnt_error *);
/* "key=value" as given with -o on a command line. */
int	cnt_config_set_arg(struct cnt_config *, const char *,
	    struct cnt_error *);
const struct cnt_config_key *cnt_config_keys(size_t *count);
/* KEY's value as text (lists joined with ", "); NULL for an unknown key. */
char   *cnt_config_get(const struct cnt_config *, const char *key);

/* ------------------------------------------------------------------ */
/* Roles and actors.                                                    */

enum cnt_role {
	CNT_ROLE_GUEST = 0,	/* not signed in */
	CNT_ROLE_CUSTOMER,
	CNT_ROLE_STAFF,
	CNT_ROLE_ADMIN
};

/* Who is calling. Guests have account_id 0. The CLI run by an operator on
 * the server acts as CNT_ACTOR_SYSTEM (role admin, id 0). */
struct cnt_actor {
	int64_t		account_id;
	enum cnt_role	role;
};

const char     *cnt_role_name(enum cnt_role);
int		cnt_role_parse(const char *, enum cnt_role *);

/* ------------------------------------------------------------------ */
/* The context: configuration plus lazily opened PostgreSQL and Redis  */
/* connections (context.c, db.c, redis.c). One per process; not shared */
/* between threads.                                                     */

struct cnt_ctx;

/* Takes no connection yet: the database is reached on first use. */
struct cnt_ctx *cnt_ctx_new(const struct cnt_config *);
void		cnt_ctx_free(struct cnt_ctx *);
const struct cnt_config *cnt_ctx_config(const struct cnt_ctx *);
/* Connect now (or check the connection); CNT_E_UNAVAILABLE if not. */
int		cnt_db_ping(struct cnt_ctx *, struct cnt_error *);
/* Close the PostgreSQL connection if unused for db_idle_seconds. */
void		cnt_db_idle(struct cnt_ctx *);
/* Where the connection goes, for messages: "socket /run/x port 5432". */
char	       *cnt_db_target(struct cnt_ctx *);

/* ------------------------------------------------------------------ */
/* Migrations (migrate.c) and demo data (seed.c).                       */

/* Apply pending DIR/NNN_*.sql files in order, each in a transaction,
 * under an advisory lock. *APPLIED gets the number applied. Refuses when a
 * recorded file has changed. */
int	cnt_migrate(struct cnt_ctx *, const char *dir, int *applied,
	    struct cnt_error *);

struct cnt_seed_report {
	int	accounts;	/* created by this run */
	int	films;
	int	theatres;
	int	showtimes;
	int	bookings;
	char   *admin_password;	/* set when generated this run; free() it */
};

/* Load the demo data from DIR (seed/); safe to run again. */
int	cnt_seed(struct cnt_ctx *, const char *dir, struct cnt_seed_report *,
	    struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Passwords (password.c): argon2id, encoded form.                      */

/* Hash PW with the configured cost; returns an allocated encoded string. */
char   *cnt_password_hash(const struct cnt_config *, const char *pw,
	    struct cnt_error *);
/* 1 if PW matches ENCODED, 0 if not (or ENCODED is malformed). */
int	cnt_password_verify(const char *encoded, const char *pw);
/* true if ENCODED was made with other costs than the configured ones. */
bool	cnt_password_needs_rehash(const struct cnt_config *, const char *);

/* ------------------------------------------------------------------ */
/* Seat layouts (layout.c): the text format of DESIGN.md.               */

enum cnt_seat_type {
	CNT_SEAT_STANDARD = 0,
	CNT_SEAT_PREMIUM,
	CNT_SEAT_VIP,
	CNT_SEAT_WHEELCHAIR,
	CNT_SEAT_COMPANION,
	CNT_SEAT_NTYPES
};

struct cnt_layout_seat {
	char		row[4];		/* "A", "B", ... "Z", "AA" */
	int		number;		/* 1.. left to right within the row */
	enum cnt_seat_type type;
	int		x, y;		/* column and line in the layout text */
};

struct cnt_layout {
	struct cnt_layout_seat *seats;
	size_t		nseats;
	int		width;		/* columns of the widest line */
	int		height;		/* lines (rows) */
	int		count[CNT_SEAT_NTYPES];
};

#define CNT_LAYOUT_MAX_ROWS	52
#define CNT_LAYOUT_MAX_WIDTH	200
#define CNT_LAYOUT_MAX_LINES	100	/* rows plus cross aisles */

/* Parse layout TEXT; errors say "line L, column C: ...". */
int	cnt_layout_parse(const char *text, struct cnt_layout *,
	    struct cnt_error *);
void	cnt_layout_free(struct cnt_layout *);
const char *cnt_seat_type_name(enum cnt_seat_type);
int	cnt_seat_type_parse(const char *, enum cnt_seat_type *);
char	cnt_seat_type_letter(enum cnt_seat_type);

/*
 * Domain modules add their part of the API below, one section each, in the
 * order of DESIGN.md: auth, catalog, venue, schedule, pricing, booking,
 * report, jobs, events.
 */
#include "cinetty-auth.h"
#include "cinetty-catalog.h"
#include "cinetty-booking.h"
#include "cinetty-report.h"
#include "cinetty-jobs.h"
#include "cinetty-shift.h"
#include "cinetty-status.h"

#endif /* CINETTY_H */
