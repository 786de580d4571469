/*
 * term.c - the terminal: the one module that sets ncurses up and tears it
 * down, reads keys, and knows colours and line-drawing glyphs.
 *
 * The app runs on whatever streams it is given (a pty slave under
 * cinettyd, the console under `cinetty tui`) through newterm(), so several
 * apps never share a process-wide terminal. Colours are semantic roles
 * (enum role) with a monochrome fallback; NO_COLOR turns colour off; the
 * glyphs are UTF-8 box drawing when the locale is UTF-8 and ASCII
 * otherwise. Keys arrive as bytes from ncurses and are decoded from UTF-8
 * here, so invalid input becomes K_INVALID instead of garbage.
 *
 * Headless mode (tests, sanitizers): output goes to /dev/null at a fixed
 * size and keys are fed with term_feed(); curscr still holds what a
 * terminal would show, which term_dump() prints.
 */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <wchar.h>

#include "app.h"

#define TERM_QUEUE	4096

struct term {
	SCREEN	       *scr;
	FILE	       *in, *out;
	bool		own_streams;	/* headless: we opened /dev/null */
	bool		headless;
	bool		utf8;
	bool		colour;
	char		name[64];
	int		attr[R_NROLES];
	/* keys fed by term_feed (headless) before ncurses' own input */
	int		queue[TERM_QUEUE];
	int		qhead, qlen;
	/* UTF-8 decoding of the byte stream */
	uint32_t	cp;
	int		need;		/* continuation bytes still expected */
	int		have;
	uint32_t	min;		/* smallest code point for this length */
	int		pending;	/* a byte to reprocess after K_INVALID */
};

static const char *const glyph_utf8[G_NGLYPHS] = {
	"\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518",
	"\u2588", "\u2580", "\u2584", "\u25a0", "\u00b7", "\u2026"
};
static const char *const glyph_ascii[G_NGLYPHS] = {
	"-", "|", "+", "+", "+", "+", "#", "\"", ",", "#", ".", "..."
};

/* Colour pairs: one a role, foreground and background (-1 = default). */
static const struct {
	short	fg, bg;
	int	attr;		/* added in colour mode */
	int	mono;		/* used without colour */
} role_style[R_NROLES] = {
	[R_NORMAL]	 = { -1, -1, 0, 0 },
	[R_TITLE]	 = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[R_STATUS]	 = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[R_STATUS_KEY]	 = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD },
	[R_HEADING]	 = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[R_SELECTED]	 = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[R_DIM]		 = { COLOR_WHITE, -1, A_DIM, A_DIM },
	[R_ERROR]	 = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[R_GOOD]		 = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[R_FIELD]	 = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[R_FIELD_FOCUS]	 = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[R_BORDER]	 = { COLOR_BLUE, -1, 0, 0 },
	[R_SEAT_FREE]	 = { COLOR_GREEN, -1, 0, 0 },
	[R_SEAT_PREMIUM] = { COLOR_CYAN, -1, 0, 0 },
	[R_SEAT_VIP]	 = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[R_SEAT_ACCESS]	 = { COLOR_BLUE, -1, A_BOLD, 0 },
	[R_SEAT_HELD]	 = { COLOR_YELLOW, -1, 0, A_DIM },
	[R_SEAT_SOLD]	 = { COLOR_RED, -1, 0, A_DIM },
	[R_SEAT_MINE]	 = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_BOLD | A_REVERSE },
	[R_CURSOR]	 = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BLINK },
	[R_BAR]		 = { COLOR_CYAN, -1, 0, 0 },
	[R_BIG]		 = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[R_QR]		 = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
};

/* Try to start ncurses as terminal type NAME; NULL if unknown or unfit. */
static SCREEN *
try_newterm(const char *name, FILE *out, FILE *in)
{
	SCREEN	*scr;
	char	*cup;

	if (name == NULL || *name == '\0')
		return NULL;
	scr = newterm(name, out, in);
	if (scr == NULL)
		return NULL;
	set_term(scr);
	/* A terminal that cannot address the cursor cannot show the app. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		return NULL;
	}
	return scr;
}

/*
 * Set up ncurses on OPTS's streams, or headless on /dev/null at the
 * script's size. Returns the terminal, or NULL with *CAUSE allocated.
 */
struct term *
term_open(const struct tui_opts *opts, char **cause)
{
	static const char *const fallback[] = { "xterm-256color", "vt100" };
	struct term	*t;
	const char	*want, *nc;
	size_t		 i;
	int		 r;

	setlocale(LC_ALL, "");
	t = xcalloc(1, sizeof *t);
	t->pending = -1;
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	t->headless = opts->script != NULL;
	if (t->headless) {
		t->out = fopen("/dev/null", "w");
		t->in = fopen("/dev/null", "r");
		if (t->out == NULL || t->in == NULL) {
			*cause = xstrdup("cannot open /dev/null");
			goto fail;
		}
		t->own_streams = true;
		want = "xterm-256color";
	} else {
		t->in = opts->in != NULL ? opts->in : stdin;
		t->out = opts->out != NULL ? opts->out : stdout;
		want = opts->term != NULL ? opts->term : getenv("TERM");
	}

	/* An unknown TERM falls back to xterm-256color, then vt100. */
	if ((t->scr = try_newterm(want, t->out, t->in)) != NULL)
		cnt_strlcpy(t->name, want, sizeof t->name);
	for (i = 0; t->scr == NULL && i < 2; i++) {
		if ((t->scr = try_newterm(fallback[i], t->out, t->in)) != NULL)
			cnt_strlcpy(t->name, fallback[i], sizeof t->name);
	}
	if (t->scr == NULL) {
		*cause = xasprintf("no usable terminal type (TERM=%s)",
		    want != NULL ? want : "");
		goto fail;
	}
	if (t->headless)
		resize_term(opts->script_rows > 0 ? opts->script_rows : 30,
		    opts->script_cols > 0 ? opts->script_cols : 100);

	raw();			/* Ctrl-C and Ctrl-Z reach the app as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (!t->headless) {
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
		    BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}

	nc = getenv("NO_COLOR");
	t->colour = has_colors() && (nc == NULL || *nc == '\0');
	if (t->colour && start_color() == OK) {
		use_default_colors();
		for (r = 1; r < R_NROLES; r++) {
			init_pair((short)r, role_style[r].fg, role_style[r].bg);
			t->attr[r] = (int)COLOR_PAIR(r) | role_style[r].attr;
		}
	} else {
		t->colour = false;
		for (r = 1; r < R_NROLES; r++)
			t->attr[r] = role_style[r].mono;
	}
	log_debug("event=term_open term=%s utf8=%d colour=%d", t->name,
	    t->utf8, t->colour);
	return t;

fail:
	if (t->own_streams) {
		if (t->out != NULL)
			fclose(t->out);
		if (t->in != NULL)
			fclose(t->in);
	}
	free(t);
	return NULL;
}

/* Restore the terminal and free everything. */
void
term_close(struct term *t)
{
	if (t == NULL)
		return;
	endwin();
	delscreen(t->scr);
	if (t->own_streams) {
		fclose(t->out);
		fclose(t->in);
	} else
		fflush(t->out);
	free(t);
}

int
term_fd(const struct term *t)
{
	return t->headless ? -1 : fileno(t->in);
}

bool
term_utf8(const struct term *t)
{
	return t->utf8;
}

bool
term_colour(const struct term *t)
{
	return t->colour;
}

const char *
term_name(const struct term *t)
{
	return t->name;
}

int
term_attr(const struct term *t, enum role r)
{
	return r >= 0 && r < R_NROLES ? t->attr[r] : 0;
}

const char *
term_glyph(const struct term *t, enum glyph g)
{
	return t->utf8 ? glyph_utf8[g] : glyph_ascii[g];
}

/* Queue a raw byte or K_* key as if typed (headless scripts). */
void
term_feed(struct term *t, int key)
{
	if (t->qlen == TERM_QUEUE)
		return;
	t->queue[(t->qhead + t->qlen) % TERM_QUEUE] = key;
	t->qlen++;
}

/* The next raw input: a byte, or K_* for an ncurses key; -1 if none. */
static int
raw_key(struct term *t, struct mouse *m)
{
	MEVENT	ev;
	int	c;

	if (t->pending != -1) {
		c = t->pending;
		t->pending = -1;
		return c;
	}
	if (t->qlen > 0) {
		c = t->queue[t->qhead];
		t->qhead = (t->qhead + 1) % TERM_QUEUE;
		t->qlen--;
		return c;
	}
	if (t->headless)
		return -1;
	c = wgetch(stdscr);
	if (c == ERR)
		return -1;
	if (c < 256)
		return c;
	if (c == KEY_MOUSE) {
		memset(m, 0, sizeof *m);
		if (getmouse(&ev) != OK)
			return -2;	/* ignore */
		m->x = ev.x;
		m->y = ev.y;
		m->click = (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0;
		m->wheel_up = (ev.bstate & BUTTON4_PRESSED) != 0;
		m->wheel_down = (ev.bstate & BUTTON5_PRESSED) != 0;
	}
	if (c == KEY_ENTER)
		return K_ENTER;
	return K_CURSES(c);
}

/*
 * The next key: a code point, a control character or a K_* code; -1 when
 * nothing is waiting. UTF-8 is decoded here; a malformed sequence (stray
 * continuation byte, truncated sequence, overlong form, surrogate, beyond
 * U+10FFFF) gives one K_INVALID.
 */
int
term_key(struct term *t, struct mouse *m)
{
	int	c;

	for (;;) {
		c = raw_key(t, m);
		if (c == -2)
			continue;
		if (c == -1)
			return -1;	/* a partial sequence waits for more */
		if (c >= 256) {
			if (t->need > 0) {	/* sequence cut by a key */
				t->need = 0;
				t->pending = c;
				return K_INVALID;
			}
			return c;
		}
		if (t->need > 0) {
			if ((c & 0xc0) != 0x80) {
				t->need = 0;
				t->pending = c;
				return K_INVALID;
			}
			t->cp = (t->cp << 6) | (uint32_t)(c & 0x3f);
			if (--t->need > 0)
				continue;
			if (t->cp < t->min || t->cp > 0x10ffff ||
			    (t->cp >= 0xd800 && t->cp <= 0xdfff))
				return K_INVALID;
			return (int)t->cp;
		}
		if (c < 0x80)
			return c;
		if ((c & 0xe0) == 0xc0) {
			t->cp = (uint32_t)(c & 0x1f);
			t->need = 1;
			t->min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			t->cp = (uint32_t)(c & 0x0f);
			t->need = 2;
			t->min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			t->cp = (uint32_t)(c & 0x07);
			t->need = 3;
			t->min = 0x10000;
		} else
			return K_INVALID;	/* continuation or 0xf8.. */
	}
}

/* Headless resize; a real terminal's resize arrives as KEY_RESIZE. */
void
term_resize(struct term *t, int cols, int rows)
{
	(void)t;
	resize_term(rows, cols);
}

/* Append the screen's row Y as UTF-8 (or ASCII) to BUF. */
static void
row_text(struct term *t, int y, char **buf, size_t *len, size_t *size)
{
	cchar_t	 cc;
	wchar_t	 wch[CCHARW_MAX + 1];
	attr_t	 attrs;
	short	 pair;
	char	 mb[MB_LEN_MAX * (CCHARW_MAX + 1)];
	size_t	 keep, n;
	int	 x, w;
	mbstate_t ps;

	keep = *len;
	for (x = 0; x < COLS; x++) {
		if (mvwin_wch(curscr, y, x, &cc) == ERR)
			break;
		if (getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
			continue;
		if (wch[0] == L'\0')
			wch[0] = L' ', wch[1] = L'\0';
		memset(&ps, 0, sizeof ps);
		if (t->utf8) {
			const wchar_t *src = wch;

			n = wcsrtombs(mb, &src, sizeof mb - 1, &ps);
			if (n == (size_t)-1)
				n = 0;
		} else {
			mb[0] = wch[0] < 128 ? (char)wch[0] : '?';
			n = 1;
		}
		if (*len + n + 2 > *size) {
			*size = (*size + n + 2) * 2;
			*buf = xrealloc(*buf, *size);
		}
		memcpy(*buf + *len, mb, n);
		*len += n;
		if (wch[0] != L' ')
			keep = *len;
		w = wcwidth(wch[0]);
		if (w > 1)
			x += w - 1;
	}
	*len = keep;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
}

/* The whole screen as text, trailing blanks cut; the caller frees it. */
char *
term_text(struct term *t)
{
	char	*buf;
	size_t	 len = 0, size = 256;
	int	 y;

	buf = xmalloc(size);
	buf[0] = '\0';
	for (y = 0; y < LINES; y++)
		row_text(t, y, &buf, &len, &size);
	return buf;
}

void
term_dump(struct term *t, FILE *f)
{
	char	*s = term_text(t);

	fputs(s, f);
	fflush(f);
	free(s);
}
