/*
 * catalog-private.h - what catalog.c, venue.c, schedule.c, listing.c and
 * report.c share and nobody else needs.
 */
#ifndef CNT_CATALOG_PRIVATE_H
#define CNT_CATALOG_PRIVATE_H

#include "internal.h"

/* Split TEXT at '\n' into an allocated array of owned strings; *N gets the
 * count ("" gives none). Free with cnt_strv_free. */
char	      **cnt_strv_split(const char *text, size_t *n);
void		cnt_strv_free(char **, size_t);

/* true if S is a valid "YYYY-MM-DD" (syntax only; PostgreSQL checks the
 * calendar). */
bool		cnt_date_syntax(const char *s);

/* Refuse (CNT_E_FORBIDDEN) unless ACTOR is an admin; WHAT completes
 * "only an admin can ...". */
int		cnt_need_admin(const struct cnt_actor *, const char *what,
		    struct cnt_error *);

#endif
