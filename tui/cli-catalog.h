/*
 * cli-catalog.h - what the `cinetty film`, `showtime` and `report`
 * commands share: rows of text printed as an aligned table for people or
 * as CSV (RFC 4180 quoting) for programs (cli-table.c), money, and finding
 * a film or theatre by name or id.
 */
#ifndef CLI_CATALOG_H
#define CLI_CATALOG_H

#include <stdbool.h>
#include <stdio.h>

#include "cinetty.h"

#define CLI_TABLE_MAXCOLS	12

struct cli_table {
	int		ncols;
	const char     *head[CLI_TABLE_MAXCOLS];
	bool		right[CLI_TABLE_MAXCOLS];	/* right-aligned (numbers) */
	char	     ***rows;				/* owned copies */
	size_t		nrows;
};

/* Columns from SPEC: names separated by '|'; a name ending in '>' is
 * right-aligned (the '>' is not printed). SPEC must outlive the table. */
void	cli_table_init(struct cli_table *, char *spec);
/* Add a row of ncols strings (copied; NULL prints as ""). */
void	cli_table_add(struct cli_table *, const char *const *cells);
void	cli_table_print(const struct cli_table *, FILE *, bool csv);
void	cli_table_free(struct cli_table *);

/* CENTS as "1234.56" (with a '-' if negative) into BUF. */
const char *cli_money(char buf[32], long long cents);
/* Parse "12", "12.5" or "12.50" into cents; -1 if not money. */
long long cli_parse_money(const char *);

/* The film or theatre named by ARG: a number is an id, anything else a
 * title or name (ignoring case). cli-film.c, cli-showtime.c. */
int	cli_film_find(struct cnt_ctx *, const char *arg, struct cnt_film *,
	    struct cnt_error *);
int	cli_theatre_find(struct cnt_ctx *, const char *arg,
	    struct cnt_theatre *, struct cnt_error *);

#endif
