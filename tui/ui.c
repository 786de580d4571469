/*
 * ui.c - the widgets every screen draws with: sanitised text, boxes, big
 * letters, bars, the title and status bars, the help overlay, dialogs,
 * scrolling lists with type-to-search, forms, tables and bar charts.
 *
 * All text reaches the terminal through ui_text(): it decodes UTF-8 itself
 * (so the result does not depend on libc's locale tables), replaces control
 * characters and malformed bytes with '?', falls back to '?' for non-ASCII
 * on a non-UTF-8 terminal and clips to the width in cells. Data from the
 * database or another user can therefore never move the cursor or change
 * the terminal's state.
 */
#include <ctype.h>
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app.h"

/*
 * Decode one UTF-8 sequence at *S into *CP and advance. Returns 1 for a
 * code point, 0 at the end, -1 for a malformed byte (skipped, *CP = '?').
 */
static int
utf8_next(const char **s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t	c, min;
	int		n, i;

	if (*p == '\0')
		return 0;
	if (*p < 0x80) {
		*cp = *p;
		*s += 1;
		return 1;
	}
	if ((*p & 0xe0) == 0xc0)
		n = 1, c = *p & 0x1f, min = 0x80;
	else if ((*p & 0xf0) == 0xe0)
		n = 2, c = *p & 0x0f, min = 0x800;
	else if ((*p & 0xf8) == 0xf0)
		n = 3, c = *p & 0x07, min = 0x10000;
	else
		goto bad;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	*s += n + 1;
	return 1;
bad:
	*cp = '?';
	*s += 1;
	return -1;
}

/* The character drawn for CP, and its width in cells (0 to skip it). */
static wchar_t
safe_char(const struct app *a, uint32_t cp, int *w)
{
	int	cw;

	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
		*w = 1;
		return L'?';
	}
	if (cp < 0x80) {
		*w = 1;
		return (wchar_t)cp;
	}
	if (!term_utf8(a->term)) {
		*w = 1;
		return L'?';
	}
	cw = wcwidth((wchar_t)cp);
	if (cw < 0) {
		*w = 1;
		return L'?';
	}
	*w = cw;
	return (wchar_t)cp;
}

/* Draw TEXT at Y,X in at most WIDTH cells with ROLE; returns cells used. */
int
ui_text(struct app *a, int y, int x, int width, enum role role,
    const char *text)
{
	wchar_t		 buf[256];
	const char	*s = text != NULL ? text : "";
	uint32_t	 cp;
	int		 used = 0, n = 0, w;
	wchar_t		 wc;

	if (y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (width < 0 || x + width > COLS)
		width = COLS - x;
	attrset((attr_t)term_attr(a->term, role));
	move(y, x);
	while (utf8_next(&s, &cp) != 0) {
		wc = safe_char(a, cp, &w);
		if (w == 0)
			continue;
		if (used + w > width)
			break;
		buf[n++] = wc;
		used += w;
		if (n == (int)(sizeof buf / sizeof buf[0]) - 1) {
			buf[n] = L'\0';
			addwstr(buf);
			n = 0;
		}
	}
	buf[n] = L'\0';
	addwstr(buf);
	attrset(A_NORMAL);
	return used;
}

int
ui_textf(struct app *a, int y, int x, int width, enum role role,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	n = ui_text(a, y, x, width, role, s);
	free(s);
	return n;
}

/* Cells TEXT takes when drawn. */
int
ui_width(const struct app *a, const char *text)
{
	const char	*s = text != NULL ? text : "";
	uint32_t	 cp;
	int		 total = 0, w;

	while (utf8_next(&s, &cp) != 0) {
		safe_char(a, cp, &w);
		total += w;
	}
	return total;
}

void
ui_center(struct app *a, int y, enum role role, const char *text)
{
	int	w = ui_width(a, text);

	ui_text(a, y, w >= COLS ? 0 : (COLS - w) / 2, COLS, role, text);
}

void
ui_fill(struct app *a, int y, int x, int width, enum role role)
{
	int	i;

	if (y < 0 || y >= LINES)
		return;
	attrset((attr_t)term_attr(a->term, role));
	for (i = 0; i < width && x + i < COLS; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

/* A box of H x W cells at Y,X with TITLE in its top border. */
void
ui_box(struct app *a, int y, int x, int h, int w, enum role role,
    const char *title)
{
	int	i;

	for (i = 1; i < w - 1; i++) {
		ui_text(a, y, x + i, 1, role, term_glyph(a->term, G_H));
		ui_text(a, y + h - 1, x + i, 1, role, term_glyph(a->term, G_H));
	}
	for (i = 1; i < h - 1; i++) {
		ui_text(a, y + i, x, 1, role, term_glyph(a->term, G_V));
		ui_text(a, y + i, x + w - 1, 1, role, term_glyph(a->term, G_V));
	}
	ui_text(a, y, x, 1, role, term_glyph(a->term, G_TL));
	ui_text(a, y, x + w - 1, 1, role, term_glyph(a->term, G_TR));
	ui_text(a, y + h - 1, x, 1, role, term_glyph(a->term, G_BL));
	ui_text(a, y + h - 1, x + w - 1, 1, role, term_glyph(a->term, G_BR));
	if (title != NULL && *title != '\0') {
		ui_text(a, y, x + 2, 1, role, " ");
		i = ui_text(a, y, x + 3, w - 6, R_HEADING, title);
		ui_text(a, y, x + 3 + i, 1, role, " ");
	}
}

/* A 3x5 font for booking codes: digits and capital letters. */
static const char *const big_font[36][5] = {
	{ "###", "# #", "# #", "# #", "###" }, { " # ", "## ", " # ", " # ", "###" },
	{ "###", "  #", "###", "#  ", "###" }, { "###", "  #", " ##", "  #", "###" },
	{ "# #", "# #", "###", "  #", "  #" }, { "###", "#  ", "###", "  #", "###" },
	{ "###", "#  ", "###", "# #", "###" }, { "###", "  #", "  #", " # ", " # " },
	{ "###", "# #", "###", "# #", "###" }, { "###", "# #", "###", "  #", "###" },
	{ " # ", "# #", "###", "# #", "# #" }, { "## ", "# #", "## ", "# #", "## " },
	{ " ##", "#  ", "#  ", "#  ", " ##" }, { "## ", "# #", "# #", "# #", "## " },
	{ "###", "#  ", "## ", "#  ", "###" }, { "###", "#  ", "## ", "#  ", "#  " },
	{ " ##", "#  ", "# #", "# #", " ##" }, { "# #", "# #", "###", "# #", "# #" },
	{ "###", " # ", " # ", " # ", "###" }, { "  #", "  #", "  #", "# #", " # " },
	{ "# #", "# #", "## ", "# #", "# #" }, { "#  ", "#  ", "#  ", "#  ", "###" },
	{ "# #", "###", "###", "# #", "# #" }, { "## ", "# #", "# #", "# #", "# #" },
	{ " # ", "# #", "# #", "# #", " # " }, { "## ", "# #", "## ", "#  ", "#  " },
	{ " # ", "# #", "# #", " ##", "  #" }, { "## ", "# #", "## ", "# #", "# #" },
	{ " ##", "#  ", " # ", "  #", "## " }, { "###", " # ", " # ", " # ", " # " },
	{ "# #", "# #", "# #", "# #", "###" }, { "# #", "# #", "# #", "# #", " # " },
	{ "# #", "# #", "###", "###", "# #" }, { "# #", "# #", " # ", "# #", "# #" },
	{ "# #", "# #", " # ", " # ", " # " }, { "###", "  #", " # ", "#  ", "###" },
};

static int
big_index(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)toupper((unsigned char)c);
	if (c >= 'A' && c <= 'Z')
		return 10 + c - 'A';
	return -1;
}

int
ui_big_width(const char *text)
{
	return (int)strlen(text) * 4;
}

/* TEXT in 5-row block letters at Y,X (other characters become gaps). */
int
ui_big(struct app *a, int y, int x, const char *text)
{
	return ui_big_role(a, y, x, text, R_BIG);
}

/* The same in ROLE (check-in answers in green or red). */
int
ui_big_role(struct app *a, int y, int x, const char *text, enum role role)
{
	const char	*block = term_glyph(a->term, G_BLOCK);
	int		 i, r, c, g;

	for (i = 0; text[i] != '\0'; i++) {
		g = big_index(text[i]);
		if (g < 0)
			continue;
		for (r = 0; r < 5; r++)
			for (c = 0; c < 3; c++)
				if (big_font[g][r][c] == '#')
					ui_text(a, y + r, x + i * 4 + c, 1,
					    role, block);
	}
	return ui_big_width(text);
}

void
ui_bar(struct app *a, int y, int x, int width, double value, double max,
    enum role role)
{
	int	n, i;

	if (max <= 0 || value <= 0)
		return;
	n = (int)(value / max * width + 0.5);
	if (n > width)
		n = width;
	if (n == 0)
		n = 1;		/* something above zero shows */
	for (i = 0; i < n; i++)
		ui_text(a, y, x + i, 1, role, term_glyph(a->term, G_BLOCK));
}

const char *
ui_time(time_t t, char buf[32])
{
	struct tm	tm;

	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

const char *
ui_money(int64_t cents, char buf[32])
{
	snprintf(buf, 32, "%s%lld.%02lld", cents < 0 ? "-" : "",
	    (long long)(cents < 0 ? -cents : cents) / 100,
	    (long long)(cents < 0 ? -cents : cents) % 100);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Frame, help, dialogs.                                                */

bool
ui_too_small(struct app *a)
{
	(void)a;
	return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

/* Title bar on row 0, status bar (message or keys) on the last row. */
void
ui_frame(struct app *a, const struct screen *s)
{
	const struct help *h;
	char	 right[128];
	int	 x, w;

	ui_fill(a, 0, 0, COLS, R_TITLE);
	x = 1 + ui_text(a, 0, 1, COLS / 2, R_TITLE, a->cfg->cinema_name);
	if (s != NULL && s->title != NULL) {
		x += ui_text(a, 0, x, 3, R_TITLE, " - ");
		ui_text(a, 0, x, COLS / 2 - x, R_TITLE, s->title);
	}
	if (app_is_guest(a))
		snprintf(right, sizeof right, "guest");
	else
		snprintf(right, sizeof right, "%s (%s)", a->account.username,
		    cnt_role_name(a->account.role));
	w = ui_width(a, right);
	ui_text(a, 0, COLS - w - 1, w, R_TITLE, right);

	ui_fill(a, LINES - 1, 0, COLS, R_STATUS);
	if (a->message[0] != '\0') {
		ui_text(a, LINES - 1, 1, COLS - 2,
		    a->message_error ? R_ERROR : R_STATUS, a->message);
		return;
	}
	x = 1;
	for (h = s != NULL ? s->help : NULL; h != NULL && h->key != NULL; h++) {
		if (!h->bar)
			continue;
		if (x + ui_width(a, h->key) + ui_width(a, h->what) + 3 >= COLS)
			break;
		x += ui_text(a, LINES - 1, x, COLS - x, R_STATUS_KEY, h->key);
		x += ui_text(a, LINES - 1, x + 1, COLS - x, R_STATUS, h->what);
		x += 3;
	}
	if (x + 7 < COLS) {
		x += ui_text(a, LINES - 1, x, COLS - x, R_STATUS_KEY, "?");
		ui_text(a, LINES - 1, x + 1, COLS - x, R_STATUS, "Help");
	}
}

/* The help overlay: every key of screen S plus the global ones. */
void
ui_help(struct app *a, const struct screen *s)
{
	static const struct help global[] = {
		{ "?, F1", "this help", false },
		{ "Esc, q", "back", false },
		{ "Ctrl-L", "redraw the screen", false },
		{ "Ctrl-C", "quit", false },
		{ NULL, NULL, false }
	};
	const struct help *h;
	int	 n = 0, y, x, w = 60, ht;

	for (h = s != NULL ? s->help : NULL; h != NULL && h->key; h++)
		n++;
	n += 4;
	ht = n + 4;
	if (ht > LINES - 2)
		ht = LINES - 2;
	y = (LINES - ht) / 2;
	x = (COLS - w) / 2;
	for (int i = 0; i < ht; i++)
		ui_fill(a, y + i, x, w, R_NORMAL);
	ui_box(a, y, x, ht, w, R_BORDER, "Help");
	n = 0;
	for (h = s != NULL ? s->help : NULL; h != NULL && h->key; h++, n++) {
		ui_text(a, y + 1 + n, x + 2, 14, R_STATUS_KEY, h->key);
		ui_text(a, y + 1 + n, x + 17, w - 19, R_NORMAL, h->what);
	}
	n++;
	for (h = global; h->key != NULL && n < ht - 2; h++, n++) {
		ui_text(a, y + 1 + n, x + 2, 14, R_STATUS_KEY, h->key);
		ui_text(a, y + 1 + n, x + 17, w - 19, R_NORMAL, h->what);
	}
	ui_text(a, y + ht - 1, x + 2, w - 4, R_DIM, " any key closes ");
}

/* The modal dialog: title, wrapped text, and its keys. */
void
ui_dialog(struct app *a)
{
	const char	*p = a->dialog_text;
	char		 line[128];
	int		 w = 60, h, y, x, row = 0, i, n;

	h = 7 + ui_width(a, a->dialog_text) / (w - 4);
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (i = 0; i < h; i++)
		ui_fill(a, y + i, x, w, R_NORMAL);
	ui_box(a, y, x, h, w, a->dialog_done != NULL ? R_BORDER : R_ERROR,
	    a->dialog_title);
	/* Wrap at spaces to w - 4 bytes (close enough for messages). */
	while (*p != '\0' && row < h - 4) {
		n = (int)strlen(p);
		if (n > w - 4) {
			n = w - 4;
			while (n > 0 && p[n] != ' ')
				n--;
			if (n == 0)
				n = w - 4;
		}
		snprintf(line, sizeof line, "%.*s", n, p);
		ui_text(a, y + 2 + row++, x + 2, w - 4, R_NORMAL, line);
		p += n;
		while (*p == ' ')
			p++;
	}
	ui_text(a, y + h - 2, x + 2, w - 4, R_STATUS_KEY,
	    a->dialog_done != NULL ? "y Yes   n No" : "Enter OK");
}

/* ------------------------------------------------------------------ */
/* Lists.                                                                */

void
ui_list_scroll(struct ui_list *l, int height)
{
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (height < 1)
		height = 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + height)
		l->top = l->sel - height + 1;
	if (l->top < 0)
		l->top = 0;
}

/* Case-insensitive prefix test on ASCII letters. */
static bool
prefix_match(const char *text, const char *prefix)
{
	for (; *prefix != '\0'; text++, prefix++)
		if (tolower((unsigned char)*text) !=
		    tolower((unsigned char)*prefix))
			return false;
	return true;
}

/*
 * Move the selection of L (HEIGHT rows shown) by KEY: arrows, j/k, page
 * keys, Home/End, the mouse wheel; letters search the rows' text when the
 * list has a text function (typing within a second extends the search).
 */
bool
ui_list_key(struct app *a, struct ui_list *l, int height, int key)
{
	time_t	now;
	size_t	len;
	int	i, r;

	switch (key) {
	case K_UP:
		l->sel--;
		break;
	case K_DOWN:
		l->sel++;
		break;
	case K_PPAGE:
		l->sel -= height;
		break;
	case K_NPAGE:
		l->sel += height;
		break;
	case K_HOME:
		l->sel = 0;
		break;
	case K_END:
		l->sel = l->n - 1;
		break;
	case K_MOUSE:
		if (a->mouse.wheel_up)
			l->sel -= 3;
		else if (a->mouse.wheel_down)
			l->sel += 3;
		else
			return false;
		break;
	default:
		if (l->text == NULL || l->n == 0 || !key_is_text(key) ||
		    key > 127 ||
		    key == ' ' || key == '?' || key == 'q')
			return false;
		now = time(NULL);
		len = strlen(l->search);
		if (now - l->search_at > 1)
			len = 0;
		l->search_at = now;
		if (len + 1 >= sizeof l->search)
			len = 0;
		l->search[len] = (char)key;
		l->search[len + 1] = '\0';
		for (i = 0; i < l->n; i++) {
			r = (l->sel + (len > 0 ? 0 : 1) + i) % l->n;
			if (prefix_match(l->text(l->arg, r), l->search)) {
				l->sel = r;
				break;
			}
		}
		if (i == l->n) {
			app_message(a, "no row starts with \"%s\"", l->search);
			l->search[0] = '\0';
		}
		break;
	}
	ui_list_scroll(l, height);
	return true;
}

/* ------------------------------------------------------------------ */
/* Forms.                                                                */

void
ui_form_init(struct ui_form *f, struct ui_field *fields, int n)
{
	int	i;

	f->f = fields;
	f->n = n;
	f->focus = 0;
	f->msg[0] = '\0';
	f->msg_ok = false;
	for (i = 0; i < n; i++) {
		if (fields[i].max <= 0 ||
		    fields[i].max > (int)sizeof fields[i].value / 4 - 1)
			fields[i].max = (int)sizeof fields[i].value / 4 - 1;
		fields[i].len = 0;
		fields[i].cursor = 0;
		fields[i].value[0] = '\0';
		fields[i].msg[0] = '\0';
	}
}

/* Byte offset of code point IDX in S. */
static size_t
cp_offset(const char *s, int idx)
{
	const char	*p = s;
	uint32_t	 cp;

	while (idx-- > 0 && utf8_next(&p, &cp) != 0)
		;
	return (size_t)(p - s);
}

void
ui_field_set(struct ui_field *fl, const char *v)
{
	const char	*p = v;
	uint32_t	 cp;

	cnt_strlcpy(fl->value, v, sizeof fl->value);
	fl->len = 0;
	p = fl->value;
	while (utf8_next(&p, &cp) != 0)
		fl->len++;
	fl->cursor = fl->len;
	fl->msg[0] = '\0';
}

/* Insert code point CP at the cursor of FL; false (and a message) if not. */
static bool
field_insert(struct ui_field *fl, int cp)
{
	char	enc[4];
	size_t	n, off, blen;

	if (fl->type == F_BUTTON)
		return false;
	if (fl->len >= fl->max) {
		snprintf(fl->msg, sizeof fl->msg,
		    "too long: at most %d characters", fl->max);
		return false;
	}
	if (fl->type == F_NUMBER && (cp < '0' || cp > '9') && cp != ' ') {
		snprintf(fl->msg, sizeof fl->msg, "digits only here");
		return false;
	}
	if (fl->type == F_DATE && (cp < '0' || cp > '9') && cp != '-') {
		snprintf(fl->msg, sizeof fl->msg, "a date is YYYY-MM-DD");
		return false;
	}
	if (cp < 0x80)
		enc[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		enc[0] = (char)(0xc0 | (cp >> 6)),
		enc[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		enc[0] = (char)(0xe0 | (cp >> 12)),
		enc[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		enc[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		enc[0] = (char)(0xf0 | (cp >> 18)),
		enc[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		enc[2] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		enc[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	blen = strlen(fl->value);
	if (blen + n + 1 > sizeof fl->value) {
		snprintf(fl->msg, sizeof fl->msg, "too long");
		return false;
	}
	off = cp_offset(fl->value, fl->cursor);
	memmove(fl->value + off + n, fl->value + off, blen - off + 1);
	memcpy(fl->value + off, enc, n);
	fl->len++;
	fl->cursor++;
	if (strncmp(fl->msg, "too long", 8) != 0)
		fl->msg[0] = '\0';
	return true;
}

/* Delete the code point before (BEFORE) or at the cursor of FL. */
static void
field_delete(struct ui_field *fl, bool before)
{
	size_t	a, b;
	int	at = before ? fl->cursor - 1 : fl->cursor;

	if (at < 0 || at >= fl->len)
		return;
	a = cp_offset(fl->value, at);
	b = cp_offset(fl->value, at + 1);
	memmove(fl->value + a, fl->value + b, strlen(fl->value + b) + 1);
	fl->len--;
	if (before)
		fl->cursor--;
	fl->msg[0] = '\0';
}

/* Check FL's value for its type; on failure set its message. */
bool
ui_field_valid(struct ui_field *fl)
{
	int	y, m, d;
	char	c;

	if (fl->type == F_DATE && fl->value[0] != '\0' &&
	    (sscanf(fl->value, "%4d-%2d-%2d%c", &y, &m, &d, &c) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31 || y < 1900)) {
		snprintf(fl->msg, sizeof fl->msg, "a date is YYYY-MM-DD");
		return false;
	}
	return true;
}

/*
 * Handle KEY for form F: Tab / arrows move between fields, text edits
 * the focused field, Enter on the last field (or a button) submits, Esc
 * cancels. Bad input (control characters, invalid UTF-8, a letter in a
 * number field, too much text) is refused with a message on the field.
 */
int
ui_form_key(struct app *a, struct ui_form *f, int key)
{
	struct ui_field *fl = &f->f[f->focus];
	int	i;

	(void)a;
	switch (key) {
	case K_ESC:
		return FORM_CANCEL;
	case K_TAB:
	case K_DOWN:
		f->focus = (f->focus + 1) % f->n;
		return FORM_USED;
	case K_BTAB:
	case K_UP:
		f->focus = (f->focus + f->n - 1) % f->n;
		return FORM_USED;
	case K_ENTER:
	case '\n':
		if (fl->type != F_BUTTON && f->focus < f->n - 1 &&
		    f->f[f->focus + 1].type != F_BUTTON) {
			f->focus++;
			return FORM_USED;
		}
		for (i = 0; i < f->n; i++)
			if (!ui_field_valid(&f->f[i])) {
				f->focus = i;
				return FORM_USED;
			}
		return FORM_SUBMIT;
	case K_LEFT:
		if (fl->cursor > 0)
			fl->cursor--;
		return FORM_USED;
	case K_RIGHT:
		if (fl->cursor < fl->len)
			fl->cursor++;
		return FORM_USED;
	case K_HOME:
	case K_CTRL('a'):
		fl->cursor = 0;
		return FORM_USED;
	case K_END:
	case K_CTRL('e'):
		fl->cursor = fl->len;
		return FORM_USED;
	case K_BACKSPACE:
	case K_DEL:
	case K_CTRL('h'):
		field_delete(fl, true);
		return FORM_USED;
	case K_DC:
		field_delete(fl, false);
		return FORM_USED;
	case K_CTRL('u'):
		ui_field_set(fl, "");
		return FORM_USED;
	case K_INVALID:
		snprintf(fl->msg, sizeof fl->msg,
		    "invalid UTF-8 input was rejected");
		return FORM_USED;
	case K_RESIZE:
	case K_MOUSE:
		return FORM_NONE;
	}
	if (key >= K_BASE)
		return FORM_NONE;
	if (!key_is_text(key)) {
		snprintf(fl->msg, sizeof fl->msg,
		    "control characters are not allowed");
		return FORM_USED;
	}
	field_insert(fl, key);
	return FORM_USED;
}

/* Cells taken by code points FROM..TO of S. */
static int
span_width(const struct app *a, const char *s, int from, int to)
{
	size_t	o = cp_offset(s, from), e = cp_offset(s, to);
	char	buf[sizeof ((struct ui_field *)0)->value];

	snprintf(buf, sizeof buf, "%.*s", (int)(e - o), s + o);
	return ui_width(a, buf);
}

void
ui_form_draw(struct app *a, struct ui_form *f, int y, int x, int labelw,
    int fieldw)
{
	struct ui_field	*fl;
	char		 shown[sizeof fl->value];
	const char	*v;
	int		 i, row = y, skip = 0, len = 0;

	for (i = 0; i < f->n; i++) {
		fl = &f->f[i];
		if (fl->type == F_BUTTON) {
			row++;
			ui_textf(a, row, x + labelw, fieldw,
			    i == f->focus ? R_SELECTED : R_HEADING, "[ %s ]",
			    fl->label);
			row += 2;
			continue;
		}
		ui_text(a, row, x, labelw - 1, i == f->focus ? R_HEADING :
		    R_NORMAL, fl->label);
		ui_fill(a, row, x + labelw, fieldw,
		    i == f->focus ? R_FIELD_FOCUS : R_FIELD);
		if (fl->type == F_PASSWORD) {
			len = fl->len < fieldw - 1 ? fl->len : fieldw - 1;
			memset(shown, '*', (size_t)len);
			shown[len] = '\0';
			v = shown;
		} else {
			/* Scroll so the cursor stays in view (in cells). */
			skip = 0;
			while (skip < fl->cursor && span_width(a, fl->value,
			    skip, fl->cursor) > fieldw - 3)
				skip++;
			v = fl->value + cp_offset(fl->value, skip);
		}
		ui_text(a, row, x + labelw, fieldw - 1,
		    i == f->focus ? R_FIELD_FOCUS : R_FIELD, v);
		if (i == f->focus) {
			int cx = fl->type == F_PASSWORD ? len :
			    span_width(a, fl->value, skip, fl->cursor);

			ui_text(a, row, x + labelw + cx, 1, R_CURSOR, " ");
			if (fl->cursor < fl->len && fl->type != F_PASSWORD) {
				char one[8];
				size_t o = cp_offset(fl->value, fl->cursor);
				size_t e = cp_offset(fl->value, fl->cursor + 1);
				snprintf(one, sizeof one, "%.*s",
				    (int)(e - o), fl->value + o);
				ui_text(a, row, x + labelw + cx, 1, R_CURSOR,
				    one);
			}
		}
		if (fl->msg[0] != '\0') {
			int mx = x + labelw;

			/* A long message starts further left to fit. */
			if (mx + ui_width(a, fl->msg) >= COLS)
				mx = COLS - 1 - ui_width(a, fl->msg);
			if (mx < 1)
				mx = 1;
			ui_text(a, row + 1, mx, COLS - mx - 1, R_ERROR,
			    fl->msg);
		}
		row += 2;
	}
	if (f->msg[0] != '\0')
		ui_text(a, row + 1, x, COLS - x - 1, f->msg_ok ? R_GOOD : R_ERROR,
		    f->msg);
}

void
ui_form_clear_msgs(struct ui_form *f)
{
	int	i;

	for (i = 0; i < f->n; i++)
		f->f[i].msg[0] = '\0';
	f->msg[0] = '\0';
	f->msg_ok = false;
}

struct ui_field *
ui_form_field(struct ui_form *f, const char *name)
{
	int	i;

	for (i = 0; i < f->n; i++)
		if (f->f[i].name != NULL && strcmp(f->f[i].name, name) == 0)
			return &f->f[i];
	return NULL;
}

const char *
ui_form_value(struct ui_form *f, const char *name)
{
	struct ui_field *fl = ui_form_field(f, name);

	return fl != NULL ? fl->value : "";
}

/* Show core's error on the field it names, else under the form. */
void
ui_form_error(struct ui_form *f, const struct cnt_error *err)
{
	struct ui_field *fl = NULL;
	int	i;

	if (err->field[0] != '\0')
		fl = ui_form_field(f, err->field);
	if (fl != NULL) {
		cnt_strlcpy(fl->msg, err->msg, sizeof fl->msg);
		for (i = 0; i < f->n; i++)
			if (&f->f[i] == fl)
				f->focus = i;
	} else {
		cnt_strlcpy(f->msg, err->msg, sizeof f->msg);
		f->msg_ok = false;
	}
}

/* ------------------------------------------------------------------ */
/* Tables.                                                               */

static struct ui_table *sort_table;	/* qsort has no context argument */

static int
table_sort_cmp(const void *pa, const void *pb)
{
	int	a = *(const int *)pa, b = *(const int *)pb, c;

	c = sort_table->cmp(sort_table->arg, a, b, sort_table->sort_col);
	if (c == 0)
		c = a - b;
	return sort_table->sort_desc ? -c : c;
}

static void
table_sort(struct ui_table *t)
{
	int	keep = ui_table_row(t), i;

	if (t->cmp != NULL && t->list.n > 1) {
		sort_table = t;
		qsort(t->order, (size_t)t->list.n, sizeof *t->order,
		    table_sort_cmp);
		sort_table = NULL;
	}
	for (i = 0; i < t->list.n; i++)
		if (t->order[i] == keep)
			t->list.sel = i;
}

/* Give table T NROWS rows (the screen's data changed). */
void
ui_table_set(struct ui_table *t, int nrows)
{
	int	i;

	free(t->order);
	t->order = xcalloc(nrows > 0 ? (size_t)nrows : 1, sizeof *t->order);
	for (i = 0; i < nrows; i++)
		t->order[i] = i;
	t->list.n = nrows;
	if (t->list.sel >= nrows)
		t->list.sel = nrows > 0 ? nrows - 1 : 0;
	table_sort(t);
}

void
ui_table_free(struct ui_table *t)
{
	free(t->order);
	t->order = NULL;
}

int
ui_table_row(const struct ui_table *t)
{
	if (t->order == NULL || t->list.n == 0 || t->list.sel < 0 ||
	    t->list.sel >= t->list.n)
		return -1;
	return t->order[t->list.sel];
}

/* Header row at Y, then H - 1 data rows. */
void
ui_table_draw(struct app *a, struct ui_table *t, int y, int x, int h)
{
	char	 buf[128], title[80];
	int	 c, r, cx, row, w;

	cx = x;
	for (c = 0; c < t->ncols; c++) {
		snprintf(title, sizeof title, "%s%s", t->cols[c].title,
		    c == t->sort_col && t->cmp != NULL ?
		    (t->sort_desc ? " v" : " ^") : "");
		ui_text(a, y, cx, t->cols[c].width, R_HEADING, title);
		cx += t->cols[c].width + 1;
	}
	ui_list_scroll(&t->list, h - 1);
	for (r = 0; r < h - 1 && t->list.top + r < t->list.n; r++) {
		row = t->order[t->list.top + r];
		cx = x;
		if (t->list.top + r == t->list.sel)
			ui_fill(a, y + 1 + r, x, COLS - x - 1, R_SELECTED);
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cell(t->arg, row, c, buf);

			w = ui_width(a, s);
			ui_text(a, y + 1 + r, t->cols[c].right && w <
			    t->cols[c].width ? cx + t->cols[c].width - w : cx,
			    t->cols[c].width, t->list.top + r == t->list.sel ?
			    R_SELECTED : R_NORMAL, s);
			cx += t->cols[c].width + 1;
		}
	}
	if (t->list.n == 0)
		ui_text(a, y + 1, x, COLS - x - 1, R_DIM, "(nothing here)");
}

/* Keys of a table: the list's, plus s / S to sort by the next column. */
bool
ui_table_key(struct app *a, struct ui_table *t, int h, int key)
{
	if (key == 's' && t->cmp != NULL) {
		t->sort_col = (t->sort_col + 1) % t->ncols;
		table_sort(t);
		return true;
	}
	if (key == 'S' && t->cmp != NULL) {
		t->sort_desc = !t->sort_desc;
		table_sort(t);
		return true;
	}
	return ui_list_key(a, &t->list, h - 1, key);
}

/* ------------------------------------------------------------------ */
/* Bar chart.                                                            */

/* One labelled bar a row, scaled to the largest value, FMT for values. */
void
ui_barchart(struct app *a, int y, int x, int h, int w,
    const char *const *labels, const double *values, int n,
    const char *(*fmt)(double, char buf[32]))
{
	char	 buf[32];
	double	 max = 0;
	int	 i, lw = 0, vw = 0, bw;

	for (i = 0; i < n; i++) {
		if (values[i] > max)
			max = values[i];
		if (ui_width(a, labels[i]) > lw)
			lw = ui_width(a, labels[i]);
		if ((int)strlen(fmt(values[i], buf)) > vw)
			vw = (int)strlen(buf);
	}
	if (lw > w / 3)
		lw = w / 3;
	bw = w - lw - vw - 2;
	for (i = 0; i < n && i < h; i++) {
		ui_text(a, y + i, x, lw, R_NORMAL, labels[i]);
		ui_bar(a, y + i, x + lw + 1, bw, values[i], max, R_BAR);
		fmt(values[i], buf);
		ui_text(a, y + i, x + w - (int)strlen(buf), vw, R_NORMAL, buf);
	}
}
