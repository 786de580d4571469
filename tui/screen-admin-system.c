/*
 * screen-admin-system.c - the system's state: PostgreSQL (where, up or
 * not), Redis and the job queue (due, scheduled, in flight, dead letters,
 * unsent mail, the mailer), and the dead letters themselves, each of which
 * can be retried (r) or dropped (x). Re-read every 5 seconds.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

struct sys {
	bool			 db_ok;
	char			 db_msg[256];
	char			*db_target;
	bool			 jobs_ok;
	char			 jobs_msg[256];
	struct cnt_jobs_status	 st;
	struct cnt_job		*dead;
	size_t			 ndead;
	struct ui_table		 table;
};

static const struct ui_column sys_cols[] = {
	{ "Dead job", 30, false },
	{ "Tries", 5, true },
	{ "Last error", 60, false },
};

static const struct help sys_help[] = {
	{ "r", "retry the dead job", true },
	{ "x", "drop the dead job", true },
	{ "Ctrl-R", "reload", false },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static const char *
sys_cell(void *arg, int row, int col, char buf[128])
{
	struct sys	*s = arg;
	struct cnt_job	*j = &s->dead[row];

	if (col == 0)
		return j->id;
	if (col == 1) {
		snprintf(buf, 128, "%d", j->attempts);
		return buf;
	}
	return j->last_error != NULL ? j->last_error : "";
}

static void
sys_load(struct app *a, struct sys *s)
{
	struct cnt_error err;
	struct cnt_job	*dead = NULL;
	size_t		 n = 0;

	s->db_ok = cnt_db_ping(a->ctx, &err) == CNT_OK;
	cnt_strlcpy(s->db_msg, s->db_ok ? "up" : err.msg, sizeof s->db_msg);
	free(s->db_target);
	s->db_target = cnt_db_target(a->ctx);
	memset(&s->st, 0, sizeof s->st);
	s->jobs_ok = cnt_jobs_status(a->ctx, &a->actor, &s->st, &err) ==
	    CNT_OK;
	cnt_strlcpy(s->jobs_msg, s->jobs_ok ? "up" : err.msg,
	    sizeof s->jobs_msg);
	if (s->jobs_ok && cnt_jobs_list(a->ctx, &a->actor, CNT_JOB_DEAD, 200,
	    &dead, &n, &err) != CNT_OK) {
		dead = NULL;
		n = 0;
	}
	cnt_jobs_free(s->dead, s->ndead);
	s->dead = dead;
	s->ndead = n;
	ui_table_set(&s->table, (int)n);
}

static void *
sys_enter(struct app *a, void *arg)
{
	struct sys *s;

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->table.cols = sys_cols;
	s->table.ncols = (int)(sizeof sys_cols / sizeof sys_cols[0]);
	s->table.cell = sys_cell;
	s->table.arg = s;
	sys_load(a, s);
	return s;
}

static void
sys_draw(struct app *a, void *p)
{
	struct sys	*s = p;
	int		 y = 2;

	ui_textf(a, y++, 2, COLS - 4, s->db_ok ? R_GOOD : R_ERROR,
	    "PostgreSQL  %s  (%s)", s->db_msg,
	    s->db_target != NULL ? s->db_target : "?");
	ui_textf(a, y++, 2, COLS - 4, s->jobs_ok ? R_GOOD : R_ERROR,
	    "Redis       %s", s->jobs_msg);
	y++;
	if (s->jobs_ok) {
		ui_textf(a, y++, 2, COLS - 4, R_NORMAL, "Jobs        %ld due, "
		    "%ld scheduled, %ld in flight, %ld dead", s->st.due,
		    s->st.scheduled, s->st.inflight, s->st.dead);
		ui_textf(a, y++, 2, COLS - 4, s->st.mailer_ok ? R_NORMAL :
		    R_ERROR, "Mail        %ld unsent; %s", s->st.mail_unsent,
		    s->st.mailer);
	} else
		ui_text(a, y++, 2, COLS - 4, R_DIM, "Jobs        unknown while "
		    "Redis is down (the worker's sweep catches up later)");
	ui_textf(a, y++, 2, COLS - 4, R_DIM, "Sessions    at most %d, %d per "
	    "address (cinettyd's limits)", a->cfg->max_sessions,
	    a->cfg->max_sessions_per_address);
	y++;
	ui_table_draw(a, &s->table, y, 1, LINES - y - 2);
}

static int
sys_drop_done(struct app *a, void *p, bool yes)
{
	struct sys	*s = p;
	struct cnt_error err;
	int		 r = ui_table_row(&s->table);

	if (!yes || r < 0)
		return ACT_REDRAW;
	if (cnt_jobs_drop(a->ctx, &a->actor, s->dead[r].id, &err) != CNT_OK)
		office_fail(a, &err);
	else
		app_message(a, "Dropped %s.", s->dead[r].id);
	sys_load(a, s);
	return ACT_REDRAW;
}

static int
sys_key(struct app *a, void *p, int key)
{
	struct sys	*s = p;
	struct cnt_error err;
	char		 text[200];
	int		 r = ui_table_row(&s->table);

	switch (key) {
	case 'r':
		if (r < 0)
			return ACT_NONE;
		if (cnt_jobs_retry(a->ctx, &a->actor, s->dead[r].id, &err) !=
		    CNT_OK)
			office_fail(a, &err);
		else
			app_message(a, "%s is queued again.", s->dead[r].id);
		sys_load(a, s);
		return ACT_REDRAW;
	case 'x':
		if (r < 0)
			return ACT_NONE;
		snprintf(text, sizeof text, "Forget the dead job %s?",
		    s->dead[r].id);
		return app_confirm(a, "Drop job", text, sys_drop_done, s);
	case K_CTRL('r'):
		sys_load(a, s);
		return ACT_REDRAW;
	}
	if (key != 'q' && ui_table_key(a, &s->table, LINES - 10, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static int
sys_event(struct app *a, void *p, const struct app_event *ev)
{
	(void)ev;
	sys_load(a, p);
	return ACT_REDRAW;
}

static void
sys_leave(struct app *a, void *p)
{
	struct sys *s = p;

	(void)a;
	free(s->db_target);
	cnt_jobs_free(s->dead, s->ndead);
	ui_table_free(&s->table);
	free(s);
}

const struct screen screen_admin_system = {
	"admin-system", "System", sys_help, 5000,
	sys_enter, sys_draw, sys_key, sys_event, sys_leave
};
