/*
 * layout.c - the seat layout text of DESIGN.md.
 *
 * One line a row, the first nearest the screen. A letter per seat (S
 * standard, P premium, V vip, W wheelchair, C companion), a space or '.'
 * for an aisle or gap. Rows are lettered A, B, ... Z, AA, AB, ... from the
 * screen back; seats are numbered 1.. from the left in each row. Blank
 * lines are rows without seats (a cross aisle) and take no letter; leading
 * and trailing blank lines are ignored, as is a trailing '\r'.
 */
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"

static const struct {
	char			letter;
	const char	       *name;
} seat_types[CNT_SEAT_NTYPES] = {
	[CNT_SEAT_STANDARD]	= { 'S', "standard" },
	[CNT_SEAT_PREMIUM]	= { 'P', "premium" },
	[CNT_SEAT_VIP]		= { 'V', "vip" },
	[CNT_SEAT_WHEELCHAIR]	= { 'W', "wheelchair" },
	[CNT_SEAT_COMPANION]	= { 'C', "companion" },
};

const char *
cnt_seat_type_name(enum cnt_seat_type t)
{
	return t < CNT_SEAT_NTYPES ? seat_types[t].name : "unknown";
}

char
cnt_seat_type_letter(enum cnt_seat_type t)
{
	return t < CNT_SEAT_NTYPES ? seat_types[t].letter : '?';
}

int
cnt_seat_type_parse(const char *s, enum cnt_seat_type *t)
{
	int	i;

	for (i = 0; i < CNT_SEAT_NTYPES; i++) {
		if (strcmp(s, seat_types[i].name) == 0) {
			*t = (enum cnt_seat_type)i;
			return CNT_OK;
		}
	}
	return CNT_ERR;
}

static void
row_label(int index, char out[4])
{
	if (index < 26) {
		out[0] = (char)('A' + index);
		out[1] = '\0';
	} else {
		out[0] = (char)('A' + index / 26 - 1);
		out[1] = (char)('A' + index % 26);
		out[2] = '\0';
	}
}

int
cnt_layout_parse(const char *text, struct cnt_layout *lay,
    struct cnt_error *err)
{
	const char     *p = text, *eol;
	size_t		cap = 0;
	int		line = 0, rows = 0, y = -1, first = -1, last = -1, i;

	memset(lay, 0, sizeof *lay);
	/* Find the first and last lines with a seat, to drop blank edges. */
	for (line = 1; *p != '\0'; line++) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		for (const char *c = p; c < eol; c++) {
			if (*c != ' ' && *c != '.' && *c != '\r' && *c != '\t') {
				if (first < 0)
					first = line;
				last = line;
				break;
			}
		}
		p = *eol == '\n' ? eol + 1 : eol;
	}
	if (first < 0)
		return cnt_error_set(err, CNT_E_INVALID,
		    "the layout has no seats: use S, P, V, W or C for seats");

	p = text;
	for (line = 1; *p != '\0'; line++) {
		int	col, number = 0, len;
		bool	any = false;
		char	label[4];

		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		len = (int)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (line < first || line > last) {
			p = *eol == '\n' ? eol + 1 : eol;
			continue;
		}
		if (++y >= CNT_LAYOUT_MAX_LINES) {
			cnt_layout_free(lay);
			return cnt_error_set(err, CNT_E_INVALID,
			    "line %d: a layout may be at most %d lines tall, "
			    "cross aisles included", line, CNT_LAYOUT_MAX_LINES);
		}
		for (col = 0; col < len; col++) {
			char	c = p[col];

			if (c == ' ' || c == '.')
				continue;
			if (c == '\t') {
				cnt_layout_free(lay);
				return cnt_error_set(err, CNT_E_INVALID,
				    "line %d, column %d: a tab; use spaces or "
				    "'.' for aisles", line, col + 1);
			}
			for (i = 0; i < CNT_SEAT_NTYPES; i++)
				if (seat_types[i].letter == c)
					break;
			if (i == CNT_SEAT_NTYPES) {
				cnt_layout_free(lay);
				if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
					return cnt_error_set(err, CNT_E_INVALID,
					    "line %d, column %d: unknown seat "
					    "byte 0x%02x (seats are S, P, V, W, "
					    "C; aisles are spaces or '.')", line,
					    col + 1, (unsigned char)c);
				return cnt_error_set(err, CNT_E_INVALID,
				    "line %d, column %d: unknown seat letter "
				    "'%c' (seats are S, P, V, W, C; aisles are "
				    "spaces or '.')", line, col + 1, c);
			}
			if (col >= CNT_LAYOUT_MAX_WIDTH) {
				cnt_layout_free(lay);
				return cnt_error_set(err, CNT_E_INVALID,
				    "line %d, column %d: rows may be at most %d "
				    "columns wide", line, col + 1,
				    CNT_LAYOUT_MAX_WIDTH);
			}
			if (!any) {
				if (rows >= CNT_LAYOUT_MAX_ROWS) {
					cnt_layout_free(lay);
					return cnt_error_set(err, CNT_E_INVALID,
					    "line %d: more than %d rows", line,
					    CNT_LAYOUT_MAX_ROWS);
				}
				row_label(rows++, label);
				any = true;
			}
			if (lay->nseats == cap) {
				cap = cap ? cap * 2 : 64;
				lay->seats = xreallocarray(lay->seats, cap,
				    sizeof *lay->seats);
			}
			struct cnt_layout_seat *s = &lay->seats[lay->nseats++];
			memcpy(s->row, label, sizeof s->row);
			s->number = ++number;
			s->type = (enum cnt_seat_type)i;
			s->x = col;
			s->y = y;
			lay->count[i]++;
			if (col + 1 > lay->width)
				lay->width = col + 1;
		}
		p = *eol == '\n' ? eol + 1 : eol;
	}
	lay->height = y + 1;
	return CNT_OK;
}

void
cnt_layout_free(struct cnt_layout *lay)
{
	free(lay->seats);
	memset(lay, 0, sizeof *lay);
}
