/*
 * screen-admin-layout.c - create a theatre or replace its seat layout by
 * typing or pasting layout text (DESIGN.md "Seat layout text"). The text
 * is parsed on every change: the right half previews the map with the
 * seat map widget and the counts by seat type, or shows the parser's
 * "line L, column C" error with the place marked in the text. Ctrl-S or
 * F2 saves through core, which parses again and decides.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"
#include "seatmap.h"

#define LAYOUT_CAP	(CNT_LAYOUT_MAX_LINES * (CNT_LAYOUT_MAX_WIDTH + 1))

struct layout_ed {
	int64_t			 id;		/* 0: a new theatre */
	char			*old_name;
	struct ui_field		 fields[1];
	struct ui_form		 form;
	bool			 in_text;	/* focus on the text */
	char			*text;
	size_t			 len, cur;	/* bytes, cursor offset */
	int			 top;		/* first line shown */
	/* The parse of the current text. */
	bool			 ok;
	char			 msg[512];
	int			 eline, ecol;	/* 1-based, 0 none */
	struct cnt_layout	 lay;
	struct cnt_seatmap	 map;
	struct seatmap_view	 view;
};

static const struct help layout_help[] = {
	{ "Ctrl-S, F2", "save", true },
	{ "Tab", "name / layout", true },
	{ "Ctrl-U", "clear the layout", true },
	{ "S P V W C", "seat types; space or . a gap", false },
	{ "Esc", "back without saving", true },
	{ NULL, NULL, false }
};

/* Parse the text again and rebuild the preview. */
static void
layout_parse(struct layout_ed *e)
{
	struct cnt_error err;
	size_t		 i;

	cnt_layout_free(&e->lay);
	free(e->map.seats);
	memset(&e->lay, 0, sizeof e->lay);
	memset(&e->map, 0, sizeof e->map);
	e->eline = e->ecol = 0;
	e->msg[0] = '\0';
	e->ok = cnt_layout_parse(e->text, &e->lay, &err) == CNT_OK;
	if (!e->ok) {
		cnt_strlcpy(e->msg, err.msg, sizeof e->msg);
		if (sscanf(err.msg, "line %d, column %d", &e->eline,
		    &e->ecol) < 1)
			e->eline = e->ecol = 0;
		cnt_layout_free(&e->lay);
		memset(&e->lay, 0, sizeof e->lay);
		return;
	}
	e->map.seats = xcalloc(e->lay.nseats + 1, sizeof *e->map.seats);
	for (i = 0; i < e->lay.nseats; i++) {
		struct cnt_seat		*s = &e->map.seats[i];
		struct cnt_layout_seat	*l = &e->lay.seats[i];

		s->seat_id = (int64_t)i + 1;
		cnt_strlcpy(s->row, l->row, sizeof s->row);
		s->number = l->number;
		s->type = l->type;
		s->x = l->x;
		s->y = l->y;
		s->state = CNT_SEAT_FREE;
	}
	e->map.nseats = e->lay.nseats;
	e->map.width = e->lay.width;
	e->map.height = e->lay.height;
	e->map.nfree = (int)e->lay.nseats;
	e->view.map = &e->map;
	e->view.cursor = -1;
}

static void
layout_set_text(struct layout_ed *e, const char *text)
{
	e->len = strlen(text);
	if (e->len >= LAYOUT_CAP)
		e->len = LAYOUT_CAP - 1;
	memcpy(e->text, text, e->len);
	e->text[e->len] = '\0';
	e->cur = e->len;
	layout_parse(e);
}

static void *
layout_enter(struct app *a, void *arg)
{
	struct layout_ed	*e;
	struct cnt_theatre	 t;
	struct cnt_error	 err;

	if (!office_allowed(a, CNT_ROLE_ADMIN))
		return NULL;
	e = xcalloc(1, sizeof *e);
	e->id = OFFICE_ID(arg);
	e->text = xcalloc(1, LAYOUT_CAP);
	e->fields[0] = (struct ui_field){ .name = "name",
	    .label = "Theatre", .type = F_TEXT, .max = 60 };
	ui_form_init(&e->form, e->fields, 1);
	if (e->id != 0) {
		memset(&t, 0, sizeof t);
		if (cnt_theatre_get(a->ctx, e->id, &t, &err) != CNT_OK) {
			office_fail(a, &err);
			cnt_theatre_free(&t);
			free(e->text);
			free(e);
			return NULL;
		}
		ui_field_set(&e->fields[0], t.name);
		e->old_name = xstrdup(t.name);
		layout_set_text(e, t.layout);
		e->in_text = true;
		cnt_theatre_free(&t);
	} else
		layout_parse(e);
	return e;
}

/* Line and column (0-based) of byte offset OFF. */
static void
layout_pos(const struct layout_ed *e, size_t off, int *line, int *col)
{
	size_t	i;

	*line = *col = 0;
	for (i = 0; i < off && i < e->len; i++) {
		if (e->text[i] == '\n') {
			(*line)++;
			*col = 0;
		} else
			(*col)++;
	}
}

/* Byte offset of LINE, COL (clamped to the line's end). */
static size_t
layout_offset(const struct layout_ed *e, int line, int col)
{
	size_t	i = 0;
	int	l = 0, c = 0;

	while (i < e->len && l < line) {
		if (e->text[i++] == '\n')
			l++;
	}
	while (i < e->len && e->text[i] != '\n' && c < col) {
		i++;
		c++;
	}
	return i;
}

static void
layout_draw(struct app *a, void *p)
{
	struct layout_ed *e = p;
	const char	*s, *nl;
	char		 line[CNT_LAYOUT_MAX_WIDTH + 2];
	int		 w = COLS / 2 - 2, h = LINES - 9, y0 = 5, cl, cc;
	int		 ln, n, i, px;

	ui_text(a, 1, 2, COLS - 4, R_HEADING, e->id == 0 ? "New theatre" :
	    "Replace a seat layout");
	ui_form_draw(a, &e->form, 2, 2, 10, 30);
	ui_text(a, 2, 44, COLS - 46, R_DIM,
	    "S std  P premium  V vip  W wheelchair  C companion");
	ui_box(a, y0 - 1, 1, h + 2, w + 2, e->in_text ? R_HEADING : R_BORDER,
	    "Layout text (type or paste)");
	layout_pos(e, e->cur, &cl, &cc);
	if (cl < e->top)
		e->top = cl;
	if (cl >= e->top + h)
		e->top = cl - h + 1;
	for (s = e->text, ln = 0; ln < e->top + h; ln++) {
		nl = strchr(s, '\n');
		n = nl != NULL ? (int)(nl - s) : (int)strlen(s);
		if (ln >= e->top) {
			snprintf(line, sizeof line, "%.*s",
			    n < (int)sizeof line - 1 ? n : (int)sizeof line - 1,
			    s);
			/* Show blanks as dots' cousins so gaps are visible. */
			ui_text(a, y0 + ln - e->top, 2, w, R_NORMAL, line);
			if (e->eline == ln + 1)
				ui_text(a, y0 + ln - e->top, 0, 1, R_ERROR,
				    ">");
			if (e->eline == ln + 1 && e->ecol > 0 &&
			    e->ecol - 1 < w)
				ui_text(a, y0 + ln - e->top, 2 + e->ecol - 1,
				    1, R_ERROR, e->ecol - 1 < n ?
				    (char[2]){ s[e->ecol - 1] == ' ' ? '_' :
				    s[e->ecol - 1], '\0' } : "_");
		}
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	if (e->in_text && cc < w)
		ui_text(a, y0 + cl - e->top, 2 + cc, 1, R_CURSOR,
		    e->cur < e->len && e->text[e->cur] != '\n' ?
		    (char[2]){ e->text[e->cur], '\0' } : " ");
	ui_textf(a, y0 + h + 1, 2, w, R_DIM, "line %d, column %d", cl + 1,
	    cc + 1);

	px = w + 4;
	if (!e->ok) {
		ui_text(a, y0, px, COLS - px - 1, R_ERROR, "Not a valid layout:");
		/* Wrap the message at spaces into the pane. */
		for (s = e->msg, i = 1; *s != '\0' && i < h; i++) {
			n = (int)strlen(s);
			if (n > COLS - px - 1) {
				n = COLS - px - 1;
				while (n > 0 && s[n] != ' ')
					n--;
				if (n == 0)
					n = COLS - px - 1;
			}
			ui_textf(a, y0 + i, px, COLS - px - 1, R_ERROR, "%.*s",
			    n, s);
			s += n;
			while (*s == ' ')
				s++;
		}
		return;
	}
	ui_textf(a, y0 - 1, px, COLS - px - 1, R_HEADING,
	    "Preview: %zu seats", e->lay.nseats);
	for (i = 0; i < CNT_SEAT_NTYPES; i++)
		ui_textf(a, y0 + i, px, 24, R_NORMAL, "%-11s %4d",
		    cnt_seat_type_name((enum cnt_seat_type)i), e->lay.count[i]);
	if (e->lay.nseats > 0)
		seatmap_draw(a, &e->view, y0 + CNT_SEAT_NTYPES + 1, px,
		    LINES - (y0 + CNT_SEAT_NTYPES + 1) - 2, COLS - px - 1);
}

static void
layout_insert(struct layout_ed *e, char c)
{
	if (e->len + 1 >= LAYOUT_CAP)
		return;
	memmove(e->text + e->cur + 1, e->text + e->cur, e->len - e->cur + 1);
	e->text[e->cur++] = c;
	e->len++;
}

static int
layout_save(struct app *a, struct layout_ed *e)
{
	struct cnt_error err;
	const char	*name = e->fields[0].value;
	int64_t		 id;
	int		 rc;

	ui_form_clear_msgs(&e->form);
	if (e->id == 0)
		rc = cnt_theatre_create(a->ctx, &a->actor, name, e->text, &id,
		    &err);
	else {
		rc = CNT_OK;
		if (strcmp(name, e->old_name) != 0)
			rc = cnt_theatre_rename(a->ctx, &a->actor, e->id, name,
			    &err);
		if (rc == CNT_OK)
			rc = cnt_theatre_set_layout(a->ctx, &a->actor, e->id,
			    e->text, &err);
	}
	if (rc != CNT_OK) {
		if (strcmp(err.field, "name") == 0) {
			ui_form_error(&e->form, &err);
			e->in_text = false;
		} else
			office_fail(a, &err);
		return ACT_REDRAW;
	}
	app_message(a, "Saved %s: %zu seats.", name, e->lay.nseats);
	return ACT_POP;
}

static int
layout_key(struct app *a, void *p, int key)
{
	struct layout_ed *e = p;
	int		 l, c, r;

	if (key == K_CTRL('s') || key == K_F(2))
		return layout_save(a, e);
	if (key == K_TAB || key == K_BTAB) {
		e->in_text = !e->in_text;
		return ACT_REDRAW;
	}
	if (key == K_ESC)
		return ACT_POP;
	if (!e->in_text) {
		if (key_is_enter(key)) {
			e->in_text = true;
			return ACT_REDRAW;
		}
		r = ui_form_key(a, &e->form, key);
		return r == FORM_NONE ? ACT_PASS : ACT_REDRAW;
	}
	layout_pos(e, e->cur, &l, &c);
	switch (key) {
	case K_LEFT:
		if (e->cur > 0)
			e->cur--;
		return ACT_REDRAW;
	case K_RIGHT:
		if (e->cur < e->len)
			e->cur++;
		return ACT_REDRAW;
	case K_UP:
		if (l > 0)
			e->cur = layout_offset(e, l - 1, c);
		return ACT_REDRAW;
	case K_DOWN:
		e->cur = layout_offset(e, l + 1, c);
		return ACT_REDRAW;
	case K_HOME:
		e->cur = layout_offset(e, l, 0);
		return ACT_REDRAW;
	case K_END:
		e->cur = layout_offset(e, l, CNT_LAYOUT_MAX_WIDTH * 2);
		return ACT_REDRAW;
	case K_CTRL('u'):
		layout_set_text(e, "");
		return ACT_REDRAW;
	case K_DC:
		if (e->cur < e->len) {
			memmove(e->text + e->cur, e->text + e->cur + 1,
			    e->len - e->cur);
			e->len--;
			layout_parse(e);
		}
		return ACT_REDRAW;
	}
	if (key_is_backspace(key)) {
		if (e->cur > 0) {
			memmove(e->text + e->cur - 1, e->text + e->cur,
			    e->len - e->cur + 1);
			e->cur--;
			e->len--;
			layout_parse(e);
		}
		return ACT_REDRAW;
	}
	if (key == K_ENTER || key == '\n') {
		layout_insert(e, '\n');
		layout_parse(e);
		return ACT_REDRAW;
	}
	if (key_is_text(key)) {
		/* Anything else goes in too: the parser names what is wrong. */
		layout_insert(e, key < 128 ? (char)key : '?');
		layout_parse(e);
		return ACT_REDRAW;
	}
	return ACT_NONE;
}

static void
layout_leave(struct app *a, void *p)
{
	struct layout_ed *e = p;

	(void)a;
	cnt_layout_free(&e->lay);
	free(e->map.seats);
	free(e->old_name);
	free(e->text);
	free(e);
}

const struct screen screen_admin_layout = {
	"admin-layout", "Seat layout", layout_help, 0,
	layout_enter, layout_draw, layout_key, NULL, layout_leave
};
