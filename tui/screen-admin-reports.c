/*
 * screen-admin-reports.c - revenue and occupancy over a range of days, per
 * film, theatre, day or showtime (report.c computes; this screen draws).
 *
 * Revenue rows are horizontal bars, realized (solid) then potential
 * (shaded) on one scale; by day the series is also drawn as a column
 * chart. Occupancy rows are bars of the percentage. Totals (tickets,
 * average ticket price, occupancy) sit on top. The range is edited in two
 * date fields (f), b cycles the grouping, m switches revenue / occupancy,
 * w writes the report as CSV to a new file (the same columns as
 * `cinetty report ... --csv`) - in the local app only (cinetty tui); over
 * SSH the file would land on the server, so the CLI is the way there. An
 * existing file or link is never overwritten.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "office.h"

enum { RF_FROM, RF_TO, RF_N };

struct reports {
	struct cnt_report	 r;
	bool			 have;
	enum cnt_report_by	 by;
	bool			 occupancy;	/* else revenue */
	struct ui_field		 fields[RF_N];
	struct ui_form		 form;
	bool			 editing;	/* the range fields */
	bool			 asking_path;
	char			 path[256];
	struct ui_list		 list;		/* scrolling the rows */
};

static const struct help reports_help[] = {
	{ "f", "from / to dates", true },
	{ "b", "by film, theatre, day, showtime", true },
	{ "m", "revenue / occupancy", true },
	{ "w", "write CSV to a file", true },
	{ "Up/Down", "scroll", false },
	{ "q", "back", true },
	{ NULL, NULL, false }
};

static int
reports_load(struct app *a, struct reports *s)
{
	struct cnt_report	r;
	struct cnt_error	err;

	memset(&r, 0, sizeof r);
	if (cnt_report_run(a->ctx, &a->actor, s->by,
	    s->fields[RF_FROM].value, s->fields[RF_TO].value, &r, &err) !=
	    CNT_OK) {
		cnt_report_free(&r);
		ui_form_error(&s->form, &err);
		office_fail(a, &err);
		return -1;
	}
	if (s->have)
		cnt_report_free(&s->r);
	s->r = r;
	s->have = true;
	s->list.n = (int)r.nrows;
	s->list.sel = s->list.top = 0;
	return 0;
}

static void *
reports_enter(struct app *a, void *arg)
{
	struct reports	*s;
	struct cnt_error err;
	char		 today[11], from[11];

	(void)arg;
	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	if (cnt_local_today(a->ctx, today, &err) != CNT_OK) {
		office_fail(a, &err);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->fields[RF_FROM] = (struct ui_field){ .name = "from",
	    .label = "From", .type = F_DATE, .max = 10 };
	s->fields[RF_TO] = (struct ui_field){ .name = "to",
	    .label = "To", .type = F_DATE, .max = 10 };
	ui_form_init(&s->form, s->fields, RF_N);
	if (office_date_add(today, -6, from) != 0)
		memcpy(from, today, sizeof from);
	ui_field_set(&s->fields[RF_FROM], from);
	ui_field_set(&s->fields[RF_TO], today);
	s->by = CNT_REPORT_BY_FILM;
	if (reports_load(a, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static const char *
reports_money(double v, char buf[32])
{
	return ui_money((int64_t)v, buf);
}

/* A column chart of the daily revenue in H rows from Y. */
static void
reports_columns(struct app *a, struct reports *s, int y, int x, int h,
    int w)
{
	const char	*block = term_glyph(a->term, G_BLOCK);
	int64_t		 max = 0, v;
	size_t		 i, n = s->r.nrows;
	int		 cw, r, lvl;

	for (i = 0; i < n; i++) {
		v = s->r.rows[i].realized_cents + s->r.rows[i].potential_cents;
		if (v > max)
			max = v;
	}
	if (n == 0 || max == 0)
		return;
	cw = w / (int)n;
	if (cw < 1)
		cw = 1;
	if (cw > 4)
		cw = 4;
	for (i = 0; i < n && (int)i * cw < w; i++) {
		v = s->r.rows[i].realized_cents + s->r.rows[i].potential_cents;
		lvl = (int)((v * h + max - 1) / max);
		for (r = 0; r < lvl; r++)
			for (int c = 0; c < cw - (cw > 1); c++)
				ui_text(a, y + h - 1 - r, x + (int)i * cw + c, 1,
				    R_BAR, block);
	}
	ui_textf(a, y + h, x, w, R_DIM, "%s%*s", s->r.from,
	    (int)n * cw - 10 > 10 ? (int)n * cw - 10 : 11, s->r.to);
}

static void
reports_draw(struct app *a, void *p)
{
	struct reports		*s = p;
	struct cnt_report_row	*t = &s->r.total, *row;
	char			 m1[32], m2[32], m3[32];
	double			 max = 0, v;
	int			 y, lw = 30, bw, i, h, top;

	ui_textf(a, 1, 1, COLS - 2, R_HEADING, "%s by %s, %s to %s",
	    s->occupancy ? "Occupancy" : "Revenue", cnt_report_by_name(s->by),
	    s->r.from, s->r.to);
	if (s->editing)
		ui_form_draw(a, &s->form, 2, 50, 6, 12);
	ui_textf(a, 3, 1, 48, R_NORMAL, "Realized %s  potential %s",
	    ui_money(t->realized_cents, m1), ui_money(t->potential_cents, m2));
	ui_textf(a, 4, 1, 48, R_NORMAL, "Tickets %lld  avg price %s  "
	    "occupancy %.1f%%", (long long)t->tickets,
	    ui_money(t->avg_price_cents, m3), t->occupancy);
	if (s->asking_path) {
		ui_text(a, 6, 1, 12, R_HEADING, "CSV file:");
		ui_fill(a, 6, 12, COLS - 14, R_FIELD_FOCUS);
		ui_text(a, 6, 12, COLS - 14, R_FIELD_FOCUS, s->path);
	}
	y = 7;
	if (s->by == CNT_REPORT_BY_DAY && !s->occupancy) {
		reports_columns(a, s, y, 2, 5, COLS - 4);
		y += 7;
	}
	for (i = 0; i < (int)s->r.nrows; i++) {
		row = &s->r.rows[i];
		v = s->occupancy ? 100 : (double)(row->realized_cents +
		    row->potential_cents);
		if (v > max)
			max = v;
	}
	h = LINES - y - 2;
	ui_list_scroll(&s->list, h);
	top = s->list.top;
	bw = COLS - lw - 30;
	for (i = 0; i < h && top + i < (int)s->r.nrows; i++) {
		row = &s->r.rows[top + i];
		ui_text(a, y + i, 1, lw - 1, top + i == s->list.sel ?
		    R_SELECTED : R_NORMAL, row->label);
		if (s->occupancy) {
			ui_bar(a, y + i, lw + 1, bw, row->occupancy, max, R_BAR);
			ui_textf(a, y + i, lw + bw + 2, 26, R_NORMAL,
			    "%5.1f%%  %lld/%lld", row->occupancy,
			    (long long)row->tickets, (long long)row->capacity);
			continue;
		}
		/* Realized and potential on one scale, end to end. */
		ui_bar(a, y + i, lw + 1, bw, (double)(row->realized_cents +
		    row->potential_cents), max, R_DIM);
		ui_bar(a, y + i, lw + 1, bw, (double)row->realized_cents, max,
		    R_BAR);
		ui_textf(a, y + i, lw + bw + 2, 26, R_NORMAL, "%10s %10s",
		    reports_money((double)row->realized_cents, m1),
		    reports_money((double)row->potential_cents, m2));
	}
	if (s->r.nrows == 0)
		ui_text(a, y, 1, COLS - 2, R_DIM, "(no showtimes in the range)");
	else if (!s->occupancy)
		ui_textf(a, y - 1, lw + bw + 2, 26, R_DIM, "%10s %10s",
		    "realized", "potential");
}

/* One CSV cell: quoted when it holds a comma, quote or line break. */
static void
csv_cell(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, f);
	else {
		fputc('"', f);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputs(last ? "\r\n" : ",", f);
}

/* Write the report as CSV to PATH, a file that must not exist yet; -1 with
 * errno on failure (EEXIST when it does). */
static int
reports_write(struct reports *s, const char *path)
{
	struct cnt_report_row	*r;
	FILE			*f;
	char			 head[16], b[5][32];
	size_t			 i;
	int			 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd == -1)
		return -1;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return -1;
	}
	for (i = 0; cnt_report_by_name(s->by)[i] != '\0' &&
	    i + 1 < sizeof head; i++)
		head[i] = (char)(cnt_report_by_name(s->by)[i] - 'a' + 'A');
	head[i] = '\0';
	csv_cell(f, head, false);
	fputs(s->occupancy ? "SHOWS,SOLD,SEATS,OCCUPANCY %\r\n" :
	    "SHOWS,TICKETS,REALIZED,POTENTIAL,TOTAL,AVG PRICE\r\n", f);
	for (i = 0; i < s->r.nrows; i++) {
		r = &s->r.rows[i];
		csv_cell(f, r->label, false);
		if (s->occupancy)
			fprintf(f, "%d,%lld,%lld,%.1f\r\n", r->showtimes,
			    (long long)r->tickets, (long long)r->capacity,
			    r->occupancy);
		else
			fprintf(f, "%d,%lld,%s,%s,%s,%s\r\n", r->showtimes,
			    (long long)r->tickets,
			    ui_money(r->realized_cents, b[0]),
			    ui_money(r->potential_cents, b[1]),
			    ui_money(r->realized_cents + r->potential_cents,
			    b[2]), ui_money(r->avg_price_cents, b[3]));
	}
	if (fclose(f) != 0)
		return -1;
	return 0;
}

static int
reports_key_path(struct app *a, struct reports *s, int key)
{
	size_t	len = strlen(s->path);

	if (key == K_ESC) {
		s->asking_path = false;
		return ACT_REDRAW;
	}
	if (key_is_enter(key)) {
		s->asking_path = false;
		if (s->path[0] == '\0')
			return ACT_REDRAW;
		if (reports_write(s, s->path) == 0)
			app_message(a, "Wrote %zu rows to %s.", s->r.nrows,
			    s->path);
		else if (errno == EEXIST)
			app_error(a, "%s exists; give a new file name.",
			    s->path);
		else
			app_error(a, "Cannot write %s: %s", s->path,
			    strerror(errno));
		return ACT_REDRAW;
	}
	if (key_is_backspace(key)) {
		if (len > 0)
			s->path[len - 1] = '\0';
		return ACT_REDRAW;
	}
	if (key_is_text(key) && key < 128 && len + 1 < sizeof s->path) {
		s->path[len] = (char)key;
		s->path[len + 1] = '\0';
	}
	return ACT_REDRAW;
}

static int
reports_key(struct app *a, void *p, int key)
{
	struct reports	*s = p;

	if (s->asking_path)
		return reports_key_path(a, s, key);
	if (s->editing) {
		switch (ui_form_key(a, &s->form, key)) {
		case FORM_SUBMIT:
			ui_form_clear_msgs(&s->form);
			if (reports_load(a, s) == 0)
				s->editing = false;
			return ACT_REDRAW;
		case FORM_CANCEL:
			s->editing = false;
			return ACT_REDRAW;
		case FORM_USED:
			return ACT_REDRAW;
		}
		return ACT_PASS;
	}
	switch (key) {
	case 'f':
		s->editing = true;
		s->form.focus = RF_FROM;
		return ACT_REDRAW;
	case 'b':
		s->by = (enum cnt_report_by)((s->by + 1) % 4);
		reports_load(a, s);
		return ACT_REDRAW;
	case 'm':
		s->occupancy = !s->occupancy;
		return ACT_REDRAW;
	case 'w':
		/* A file on the server is written only for the local app:
		 * over SSH the CLI (`cinetty report ... --csv`) does it. */
		if (!a->opts->local) {
			app_error(a, "CSV files are written by the local app; "
			    "on the server run cinetty report ... --csv.");
			return ACT_REDRAW;
		}
		s->asking_path = true;
		if (s->path[0] == '\0')
			snprintf(s->path, sizeof s->path, "report-%s-%s.csv",
			    s->occupancy ? "occupancy" : "revenue",
			    cnt_report_by_name(s->by));
		return ACT_REDRAW;
	}
	if (ui_list_key(a, &s->list, LINES - 9, key))
		return ACT_REDRAW;
	return ACT_PASS;
}

static void
reports_leave(struct app *a, void *p)
{
	struct reports *s = p;

	(void)a;
	if (s->have)
		cnt_report_free(&s->r);
	free(s);
}

const struct screen screen_admin_reports = {
	"admin-reports", "Reports", reports_help, 0,
	reports_enter, reports_draw, reports_key, NULL, reports_leave
};
