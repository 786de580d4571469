/* cinetty-catalog.h - films, genres, theatres, showtimes, listings.
 * Part of the public API: include "cinetty.h", not this. (catalog.c,
 * venue.c, schedule.c) */
#ifndef CINETTY_CATALOG_H
#define CINETTY_CATALOG_H

/* Theatres (venue.c) */
int	cnt_theatre_create(struct cnt_ctx *, const struct cnt_actor *,
	    const char *name, const char *layout_text, int64_t *id,
	    struct cnt_error *);

#endif
