/*
 * office.c - helpers of the staff and admin screens: role gates, the menu
 * both menus draw, money input and local dates.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "office.h"

bool
office_allowed(struct app *a, enum cnt_role role)
{
	if (!app_is_guest(a) && a->actor.role >= role)
		return true;
	app_error(a, "That screen is for %s accounts only.",
	    role == CNT_ROLE_ADMIN ? "admin" : "staff");
	return false;
}

/* Fill M with the entries of ITEMS the signed-in account may see. */
void
office_menu_init(struct app *a, struct office_menu *m, const char *heading,
    const struct office_item *items, int n)
{
	int	i;

	memset(m, 0, sizeof *m);
	m->heading = heading;
	m->items = items;
	m->nitems = n;
	for (i = 0; i < n && m->list.n < 24; i++)
		if (a->actor.role >= items[i].role)
			m->shown[m->list.n++] = &items[i];
}

void
office_menu_draw(struct app *a, struct office_menu *m)
{
	char	line[128];
	int	i, y = 3, x = (COLS - 50) / 2;

	ui_center(a, y, R_HEADING, m->heading);
	for (i = 0; i < m->list.n; i++) {
		enum role r = i == m->list.sel ? R_SELECTED : R_NORMAL;

		ui_fill(a, y + 2 + i, x, 50, r);
		snprintf(line, sizeof line, " %c  %s", m->shown[i]->key,
		    m->shown[i]->label);
		ui_text(a, y + 2 + i, x, 50, r, line);
	}
}

/* Enter opens the selected entry, a shortcut letter opens its entry. */
int
office_menu_key(struct app *a, struct office_menu *m, int key)
{
	int	i;

	if (key_is_enter(key) && m->list.n > 0)
		return app_push(a, m->shown[m->list.sel]->screen, NULL);
	if (key == K_MOUSE && a->mouse.click) {
		i = a->mouse.y - 5;
		if (i >= 0 && i < m->list.n) {
			m->list.sel = i;
			return app_push(a, m->shown[i]->screen, NULL);
		}
		return ACT_NONE;
	}
	for (i = 0; i < m->list.n; i++)
		if (key == m->shown[i]->key) {
			m->list.sel = i;
			return app_push(a, m->shown[i]->screen, NULL);
		}
	switch (key) {
	case K_UP: case K_DOWN: case K_HOME: case K_END:
		ui_list_key(a, &m->list, m->list.n, key);
		return ACT_REDRAW;
	}
	return ACT_PASS;
}

int
office_parse_money(const char *s, int64_t *cents)
{
	int64_t	 units = 0;
	int	 frac = 0, nfrac = 0, ndig = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, ndig++) {
		if (ndig >= 9)
			return -1;
		units = units * 10 + (*s - '0');
	}
	if (*s == '.' || *s == ',') {
		for (s++; *s >= '0' && *s <= '9'; s++, nfrac++) {
			if (nfrac >= 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (nfrac == 1)
			frac *= 10;
	}
	while (*s == ' ')
		s++;
	if (*s != '\0' || (ndig == 0 && nfrac == 0))
		return -1;
	*cents = units * 100 + frac;
	return 0;
}

const char *
office_hhmm(time_t t, char buf[8])
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, 8, "%H:%M", &tm);
	return buf;
}

const char *
office_when(time_t t, char buf[32])
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, 32, "%a %d %b %H:%M", &tm);
	return buf;
}

const char *
office_date(time_t t, char buf[11])
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return buf;
}

int
office_date_add(const char *date, int days, char out[11])
{
	struct tm	tm;
	int		y, m, d;
	char		c;

	if (sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &c) != 3)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_hour = 12;	/* away from DST edges */
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return -1;
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 0;
}

void
office_fail(struct app *a, const struct cnt_error *err)
{
	app_error(a, "%s", err->msg[0] != '\0' ? err->msg :
	    "That did not work.");
}

/*
 * Handle KEY for the search line S: any character goes in as UTF-8 (so
 * "Amélie" can be searched), Backspace takes a whole character off,
 * Ctrl-U clears; the message stays until the text changes.
 */
int
office_search_key(struct office_search *s, int key)
{
	size_t	len = strlen(s->typed), n;
	char	enc[4];

	if (!s->open) {
		if (key != '/')
			return -1;
		s->open = true;
		s->msg[0] = '\0';
		cnt_strlcpy(s->typed, s->text, sizeof s->typed);
		return 0;
	}
	if (key_is_enter(key)) {
		s->open = false;
		cnt_strlcpy(s->text, s->typed, sizeof s->text);
		return 1;
	}
	if (key == K_ESC) {
		s->open = false;
		return 0;
	}
	if (key == K_TAB || key == K_BTAB)	/* nowhere to go */
		return 0;
	if (key == K_CTRL('u')) {
		s->typed[0] = s->msg[0] = '\0';
		return 0;
	}
	if (key_is_backspace(key)) {
		while (len > 0 && ((unsigned char)s->typed[len - 1] & 0xc0) ==
		    0x80)
			len--;
		if (len > 0) {
			s->typed[len - 1] = '\0';
			s->msg[0] = '\0';
		}
		return 0;
	}
	if (key == K_INVALID) {
		cnt_strlcpy(s->msg, "invalid UTF-8 input was rejected",
		    sizeof s->msg);
		return 0;
	}
	if (key >= K_BASE)
		return 0;
	if (!key_is_text(key)) {
		cnt_strlcpy(s->msg, "control characters are not allowed",
		    sizeof s->msg);
		return 0;
	}
	if (key < 0x80)
		enc[0] = (char)key, n = 1;
	else if (key < 0x800)
		enc[0] = (char)(0xc0 | (key >> 6)),
		enc[1] = (char)(0x80 | (key & 0x3f)), n = 2;
	else if (key < 0x10000)
		enc[0] = (char)(0xe0 | (key >> 12)),
		enc[1] = (char)(0x80 | ((key >> 6) & 0x3f)),
		enc[2] = (char)(0x80 | (key & 0x3f)), n = 3;
	else
		enc[0] = (char)(0xf0 | (key >> 18)),
		enc[1] = (char)(0x80 | ((key >> 12) & 0x3f)),
		enc[2] = (char)(0x80 | ((key >> 6) & 0x3f)),
		enc[3] = (char)(0x80 | (key & 0x3f)), n = 4;
	if (len + n >= sizeof s->typed) {
		cnt_strlcpy(s->msg, "too long for a search", sizeof s->msg);
		return 0;
	}
	memcpy(s->typed + len, enc, n);
	s->typed[len + n] = '\0';
	if (strncmp(s->msg, "too long", 8) != 0)
		s->msg[0] = '\0';
	return 0;
}

void
office_search_draw(struct app *a, struct office_search *s, int y, int x,
    int w)
{
	if (s->open) {
		ui_text(a, y, x, 8, R_HEADING, "Search:");
		ui_fill(a, y, x + 8, w - 8, R_FIELD_FOCUS);
		ui_text(a, y, x + 8, w - 9, R_FIELD_FOCUS, s->typed);
		ui_text(a, y, x + 8 + ui_width(a, s->typed), 1, R_CURSOR, " ");
		if (s->msg[0] != '\0')
			ui_text(a, y + 1, x + 8, w - 9, R_ERROR, s->msg);
	} else if (s->text[0] != '\0')
		ui_textf(a, y, x, w, R_DIM, "Search: %s   (/ to change)",
		    s->text);
	else
		ui_text(a, y, x, w, R_DIM, "/ to search");
}
