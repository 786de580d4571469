/*
 * tui.h - how the app is started: by `cinetty tui` on a local terminal, and
 * by cinettyd in the forked child that owns the session's pty slave.
 * The app knows nothing of SSH; it only gets streams and who is signed in.
 */
#ifndef TUI_H
#define TUI_H

#include "cinetty.h"

struct tui_opts {
	const struct cnt_config *cfg;
	FILE	       *in;		/* the terminal (a pty slave under cinettyd) */
	FILE	       *out;
	const char     *term;		/* TERM; NULL: from the environment */
	const char     *peer;		/* source address, "local" on a console */
	/* On this machine's own terminal (cinetty tui), not over SSH: only
	 * then may the app write files (report CSV) where it runs. */
	bool		local;
	/*
	 * Who is signed in: account_id 0 is a guest (the welcome screen).
	 * With ask_password set, the app asks for USERNAME's password
	 * first (cinetty tui --user NAME, for box-office counters).
	 */
	int64_t		account_id;
	const char     *username;
	/* The account as the caller found it at sign-in (cinettyd): the
	 * app starts without reading it again. NULL: the app reads it. */
	const struct cnt_account *account;
	bool		ask_password;
	/* Headless: read keys from this script file, dump the final screen
	 * as text to OUT, no terminal needed (tests, sanitizers). */
	const char     *script;
	int		script_cols, script_rows;
};

/*
 * Run the app until the user quits. Returns an exit status (0 = normal).
 * The app logs with cnt_log like everything else: point the log away from
 * the terminal first (cinettyd passes its log fd; `cinetty tui` drops log
 * lines while the app has the screen).
 */
int	tui_run(const struct tui_opts *);

/* Ask a running app (from a signal handler's point of view: async) to show
 * a notice, e.g. "server is shutting down". Set by SIGUSR1 in the app. */
#define TUI_NOTICE_SIGNAL SIGUSR1

/* In the app's process under cinettyd, before tui_run: from now on no
 * program can be started (execve fails with EPERM). -1 and WHY if the
 * kernel or architecture cannot do it (sandbox.c). */
int	tui_sandbox(const char **why);

#endif
