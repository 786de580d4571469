/*
 * seatmap.c - the seat map widget: a theatre drawn from its layout with
 * the screen at the top, row letters at both sides, aisles as gaps, each
 * seat two cells wide and coloured by its state (free by type, held by
 * others, sold, mine or picked). The glyphs differ by state as well, so
 * the map reads on a monochrome terminal and in ASCII. A map larger than
 * its area scrolls to keep the cursor in view.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "seatmap.h"

int
seatmap_width(const struct cnt_seatmap *m)
{
	return 2 * m->width + 8;
}

int
seatmap_height(const struct cnt_seatmap *m)
{
	return m->height + 3;
}

const char *
seatmap_name(const struct cnt_seat *s, char buf[16])
{
	snprintf(buf, 16, "%s%d", s->row, s->number);
	return buf;
}

bool
seatmap_is_selected(const struct seatmap_view *v, int64_t id)
{
	size_t	i;

	for (i = 0; i < v->nselected; i++)
		if (v->selected[i] == id)
			return true;
	return false;
}

int
seatmap_find(const struct cnt_seatmap *m, int64_t id)
{
	size_t	i;

	for (i = 0; i < m->nseats; i++)
		if (m->seats[i].seat_id == id)
			return (int)i;
	return -1;
}

/* The glyph and role of seat S as seen by the viewer. */
static const char *
seat_look(struct app *a, const struct seatmap_view *v,
    const struct cnt_seat *s, enum role *role)
{
	bool	utf8 = term_utf8(a->term);

	if (seatmap_is_selected(v, s->seat_id) || s->state == CNT_SEAT_MINE) {
		*role = R_SEAT_MINE;
		return utf8 ? "\u25cf" : "@";		/* ● */
	}
	switch (s->state) {
	case CNT_SEAT_HELD:
		*role = R_SEAT_HELD;
		return utf8 ? "\u25a8" : "x";		/* ▨ */
	case CNT_SEAT_SOLD:
		*role = R_SEAT_SOLD;
		return utf8 ? "\u25a0" : "#";		/* ■ */
	default:
		break;
	}
	switch (s->type) {
	case CNT_SEAT_PREMIUM:
		*role = R_SEAT_PREMIUM;
		return utf8 ? "\u25c7" : "p";		/* ◇ */
	case CNT_SEAT_VIP:
		*role = R_SEAT_VIP;
		return utf8 ? "\u25c6" : "v";		/* ◆ */
	case CNT_SEAT_WHEELCHAIR:
		*role = R_SEAT_ACCESS;
		return "w";
	case CNT_SEAT_COMPANION:
		*role = R_SEAT_ACCESS;
		return "c";
	default:
		*role = R_SEAT_FREE;
		return utf8 ? "\u25a1" : "o";		/* □ */
	}
}

/* The row label of layout line Y, or NULL for a line without seats. */
static const char *
line_label(const struct cnt_seatmap *m, int y)
{
	size_t	i;

	for (i = 0; i < m->nseats; i++)
		if (m->seats[i].y == y)
			return m->seats[i].row;
	return NULL;
}

void
seatmap_draw(struct app *a, struct seatmap_view *v, int y, int x, int h,
    int w)
{
	const struct cnt_seatmap *m = v->map;
	const struct cnt_seat	 *s, *cur = NULL;
	const char		 *g, *label;
	enum role		  role;
	int			  cols, rows, i, mapw, sx, ly;

	v->x = x, v->y = y, v->w = w, v->h = h;
	if (v->cursor >= 0 && (size_t)v->cursor < m->nseats)
		cur = &m->seats[v->cursor];
	cols = (w - 8) / 2;		/* layout columns that fit */
	rows = h - 3;
	if (cols < 1 || rows < 1)
		return;
	/* Scroll so the cursor's seat is inside. */
	if (m->width <= cols)
		v->col0 = 0;
	else if (cur != NULL) {
		if (cur->x < v->col0 + 2)
			v->col0 = cur->x - 2;
		if (cur->x >= v->col0 + cols - 2)
			v->col0 = cur->x - cols + 3;
		if (v->col0 > m->width - cols)
			v->col0 = m->width - cols;
		if (v->col0 < 0)
			v->col0 = 0;
	}
	if (m->height <= rows)
		v->row0 = 0;
	else if (cur != NULL) {
		if (cur->y < v->row0)
			v->row0 = cur->y;
		if (cur->y >= v->row0 + rows)
			v->row0 = cur->y - rows + 1;
	}
	mapw = 2 * (m->width < cols ? m->width : cols);
	v->ox = x + 4 + (w - 8 - mapw) / 2 - 2 * v->col0;
	v->oy = y + 3 - v->row0;

	/* The screen, centred over the seats. */
	sx = x + 4 + (w - 8 - mapw) / 2;
	for (i = 0; i < mapw; i++)
		ui_text(a, y + 1, sx + i, 1, R_DIM,
		    term_glyph(a->term, G_HALF_UP));
	ui_text(a, y, sx + (mapw - 6) / 2, 6, R_HEADING, "SCREEN");
	if (v->col0 > 0)
		ui_text(a, y + 1, x, 3, R_DIM, "<<");
	if (v->col0 + cols < m->width)
		ui_text(a, y + 1, x + w - 2, 2, R_DIM, ">>");

	for (ly = v->row0; ly < m->height && ly - v->row0 < rows; ly++) {
		if ((label = line_label(m, ly)) == NULL)
			continue;
		ui_text(a, v->oy + ly, x, 3, R_DIM, label);
		ui_text(a, v->oy + ly, x + w - 3, 3, R_DIM, label);
	}
	for (i = 0; i < (int)m->nseats; i++) {
		s = &m->seats[i];
		if (s->x < v->col0 || s->x >= v->col0 + cols ||
		    s->y < v->row0 || s->y >= v->row0 + rows)
			continue;
		g = seat_look(a, v, s, &role);
		if (s == cur) {
			ui_text(a, v->oy + s->y, v->ox + 2 * s->x, 2, R_CURSOR,
			    "  ");
			ui_text(a, v->oy + s->y, v->ox + 2 * s->x, 1, R_CURSOR,
			    g);
		} else
			ui_text(a, v->oy + s->y, v->ox + 2 * s->x, 1, role, g);
	}
}

void
seatmap_legend(struct app *a, int y, int x, int w)
{
	static const struct {
		const char     *utf8, *ascii, *what;
		enum role	role;
	} items[] = {
		{ "\u25a1", "o", "free", R_SEAT_FREE },
		{ "\u25c7", "p", "premium", R_SEAT_PREMIUM },
		{ "\u25c6", "v", "VIP", R_SEAT_VIP },
		{ "w", "w", "wheelchair", R_SEAT_ACCESS },
		{ "c", "c", "companion", R_SEAT_ACCESS },
		{ "\u25cf", "@", "yours", R_SEAT_MINE },
		{ "\u25a8", "x", "held", R_SEAT_HELD },
		{ "\u25a0", "#", "sold", R_SEAT_SOLD },
	};
	size_t	i;
	int	cx = x, n;

	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		n = (int)strlen(items[i].what) + 4;
		if (cx + n > x + w)
			break;
		ui_text(a, y, cx, 1, items[i].role, term_utf8(a->term) ?
		    items[i].utf8 : items[i].ascii);
		ui_text(a, y, cx + 2, n - 2, R_NORMAL, items[i].what);
		cx += n;
	}
}

/*
 * Move to the nearest seat in direction DX (left/right: same line, the
 * closest column) or DY (up/down: the closest line that has seats that
 * way, then the closest column).
 */
bool
seatmap_move(struct seatmap_view *v, int dx, int dy)
{
	const struct cnt_seatmap *m = v->map;
	const struct cnt_seat	 *c, *s;
	int			  best = -1, bd = 0, d, i;

	if (m->nseats == 0)
		return false;
	if (v->cursor < 0 || (size_t)v->cursor >= m->nseats) {
		v->cursor = 0;
		return true;
	}
	c = &m->seats[v->cursor];
	for (i = 0; i < (int)m->nseats; i++) {
		s = &m->seats[i];
		if (dx != 0) {
			if (s->y != c->y || (s->x - c->x) * dx <= 0)
				continue;
			d = abs(s->x - c->x);
		} else {
			if ((s->y - c->y) * dy <= 0)
				continue;
			d = abs(s->y - c->y) * 1000 + abs(s->x - c->x);
		}
		if (best == -1 || d < bd) {
			best = i;
			bd = d;
		}
	}
	if (best == -1)
		return false;
	v->cursor = best;
	return true;
}

int
seatmap_hit(const struct seatmap_view *v, int y, int x)
{
	const struct cnt_seat	*s;
	int			 i;

	for (i = 0; i < (int)v->map->nseats; i++) {
		s = &v->map->seats[i];
		if (v->oy + s->y == y && (x == v->ox + 2 * s->x ||
		    x == v->ox + 2 * s->x + 1) && y >= v->y + 3 &&
		    y < v->y + v->h && x >= v->x + 3 && x < v->x + v->w - 3)
			return i;
	}
	return -1;
}
