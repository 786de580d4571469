/*
 * cli-table.c - aligned tables and CSV for the `cinetty` commands.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cinetty.h"
#include "cli-catalog.h"

void
cli_table_init(struct cli_table *t, char *spec)
{
	char	       *p = spec, *bar;
	size_t		len;

	memset(t, 0, sizeof *t);
	while (p != NULL && t->ncols < CLI_TABLE_MAXCOLS) {
		if ((bar = strchr(p, '|')) != NULL)
			*bar = '\0';
		len = strlen(p);
		if (len > 0 && p[len - 1] == '>') {
			p[len - 1] = '\0';
			t->right[t->ncols] = true;
		}
		t->head[t->ncols++] = p;
		p = bar != NULL ? bar + 1 : NULL;
	}
}

void
cli_table_add(struct cli_table *t, const char *const *cells)
{
	char  **row = xcalloc((size_t)t->ncols, sizeof *row);
	int	i;

	for (i = 0; i < t->ncols; i++)
		row[i] = xstrdup(cells[i] != NULL ? cells[i] : "");
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	t->rows[t->nrows++] = row;
}

static void
csv_cell(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Display width of UTF-8 S: code points, not bytes (no wide glyphs). */
static int
width(const char *s)
{
	int	w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void
cli_table_print(const struct cli_table *t, FILE *f, bool csv)
{
	int		w[CLI_TABLE_MAXCOLS], i, pad;
	size_t		r;

	if (csv) {
		for (i = 0; i < t->ncols; i++) {
			if (i > 0)
				fputc(',', f);
			csv_cell(f, t->head[i]);
		}
		fputs("\r\n", f);
		for (r = 0; r < t->nrows; r++) {
			for (i = 0; i < t->ncols; i++) {
				if (i > 0)
					fputc(',', f);
				csv_cell(f, t->rows[r][i]);
			}
			fputs("\r\n", f);
		}
		return;
	}
	for (i = 0; i < t->ncols; i++) {
		w[i] = width(t->head[i]);
		for (r = 0; r < t->nrows; r++)
			if (width(t->rows[r][i]) > w[i])
				w[i] = width(t->rows[r][i]);
	}
	for (r = 0; r <= t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const char *s = r == 0 ? t->head[i] : t->rows[r - 1][i];

			pad = w[i] - width(s);
			if (t->right[i])
				fprintf(f, "%s%*s%s", i > 0 ? "  " : "", pad, "", s);
			else if (i + 1 < t->ncols)
				fprintf(f, "%s%s%*s", i > 0 ? "  " : "", s, pad, "");
			else
				fprintf(f, "%s%s", i > 0 ? "  " : "", s);
		}
		fputc('\n', f);
	}
}

void
cli_table_free(struct cli_table *t)
{
	size_t	r;
	int	i;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			free(t->rows[r][i]);
		free(t->rows[r]);
	}
	free(t->rows);
	memset(t, 0, sizeof *t);
}

const char *
cli_money(char buf[32], long long cents)
{
	unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents :
	    (unsigned long long)cents;

	snprintf(buf, 32, "%s%llu.%02llu", cents < 0 ? "-" : "", a / 100,
	    a % 100);
	return buf;
}

long long
cli_parse_money(const char *s)
{
	long long	units = 0, cents = 0;
	int		digits = 0, frac = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (++digits > 9)
			return -1;
		units = units * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++) {
			if (++frac > 2)
				return -1;
			cents = cents * 10 + (*s - '0');
		}
		if (frac == 0)
			return -1;
		if (frac == 1)
			cents *= 10;
	}
	if (*s != '\0')
		return -1;
	return units * 100 + cents;
}
