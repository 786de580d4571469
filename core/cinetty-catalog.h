/* cinetty-catalog.h - films, genres, theatres, showtimes, listings.
 * Part of the public API: include "cinetty.h", not this. (catalog.c,
 * venue.c, schedule.c, listing.c)
 *
 * Reads are open to everyone (guests browse the programme); every call that
 * changes something takes an actor and is admin only (CNT_E_FORBIDDEN
 * otherwise, nothing changed). Dates are "YYYY-MM-DD" and wall-clock times
 * "YYYY-MM-DD HH:MM", both in the cinema's time zone (config `timezone`);
 * time_t values are UTC seconds as everywhere in the API.
 */
#ifndef CINETTY_CATALOG_H
#define CINETTY_CATALOG_H

/* ------------------------------------------------------------------ */
/* Genres and films (catalog.c)                                        */

struct cnt_genre {
	int64_t		id;
	char	       *name;
	int		films;		/* films tagged with it */
};

void	cnt_genres_free(struct cnt_genre *, size_t);
/* Every genre, by name. */
int	cnt_genre_list(struct cnt_ctx *, struct cnt_genre **out, size_t *n,
	    struct cnt_error *);

/* The ratings a film may have, in order: "G" "PG" "PG-13" "R" "NC-17" "NR". */
extern const char *const cnt_ratings[];
#define CNT_NRATINGS	6
bool	cnt_rating_valid(const char *);

struct cnt_film {
	int64_t		id;
	char	       *title;
	char	       *description;
	int		runtime_min;
	char	       *rating;		/* one of cnt_ratings */
	char	       *poster_url;
	char	      **genres;		/* names, sorted */
	size_t		ngenres;
	int		upcoming;	/* scheduled showtimes not yet started */
	time_t		created_at;
};

void	cnt_film_free(struct cnt_film *);	/* the insides, not the struct */
void	cnt_films_free(struct cnt_film *, size_t);	/* an array */

/* What a form gives to create or update a film. NULL strings mean "" (and
 * rating NULL means "NR"). Genres are names; missing ones are created,
 * duplicates (case-insensitive) ignored. */
struct cnt_film_input {
	const char	       *title;		/* 1-200 chars, unique ignoring case */
	const char	       *description;	/* up to 4000 chars */
	int			runtime_min;	/* 1-600 */
	const char	       *rating;
	const char	       *poster_url;	/* "" or http(s)://... */
	const char *const      *genres;
	size_t			ngenres;	/* up to 10, 1-40 chars each */
};

/* Admin only. Errors name the field ("title", "runtime", "rating",
 * "poster_url", "genres", "description"); a duplicate title is
 * CNT_E_CONFLICT naming the title. *ID gets the new film's id. */
int	cnt_film_create(struct cnt_ctx *, const struct cnt_actor *,
	    const struct cnt_film_input *, int64_t *id, struct cnt_error *);
/* Admin only. Replaces every field and the genre set of film ID. The
 * runtime of a film with upcoming showtimes cannot change (their end
 * times were computed from it): CNT_E_CONFLICT. */
int	cnt_film_update(struct cnt_ctx *, const struct cnt_actor *, int64_t id,
	    const struct cnt_film_input *, struct cnt_error *);
/* Admin only. Deletes the film and its showtimes that have no bookings
 * and no live holds. Refused (CNT_E_CONFLICT, the message says why) if an
 * upcoming showtime has sales or holds, or if past showtimes have bookings
 * (kept for the reports). */
int	cnt_film_delete(struct cnt_ctx *, const struct cnt_actor *, int64_t id,
	    struct cnt_error *);
int	cnt_film_get(struct cnt_ctx *, int64_t id, struct cnt_film *,
	    struct cnt_error *);
/* By title, ignoring case; CNT_E_NOTFOUND if none. */
int	cnt_film_by_title(struct cnt_ctx *, const char *title,
	    struct cnt_film *, struct cnt_error *);
/* Films whose title or a genre contains SEARCH ignoring case (NULL or ""
 * for all), by title; description is "" in list results (use get). */
int	cnt_film_list(struct cnt_ctx *, const char *search,
	    struct cnt_film **out, size_t *n, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Theatres (venue.c)                                                  */

struct cnt_theatre {
	int64_t		id;
	char	       *name;
	char	       *layout;		/* the layout text; "" in list results */
	int		capacity;	/* seats */
	int		count[CNT_SEAT_NTYPES];	/* seats by type */
	int		upcoming;	/* scheduled showtimes not yet started */
};

void	cnt_theatre_free(struct cnt_theatre *);	/* the insides */
void	cnt_theatres_free(struct cnt_theatre *, size_t);

/* Create theatre NAME from layout TEXT (DESIGN.md "Seat layout text"): the
 * theatre and its seats in one transaction. Admin only. Layout errors are
 * CNT_E_INVALID with field "layout" and "line L, column C: ..."; a
 * duplicate name is CNT_E_CONFLICT. *ID gets the new theatre's id. */
int	cnt_theatre_create(struct cnt_ctx *, const struct cnt_actor *,
	    const char *name, const char *layout_text, int64_t *id,
	    struct cnt_error *);
/* Every theatre by name, with capacity by seat type (layout ""). */
int	cnt_theatre_list(struct cnt_ctx *, struct cnt_theatre **out,
	    size_t *n, struct cnt_error *);
int	cnt_theatre_get(struct cnt_ctx *, int64_t id, struct cnt_theatre *,
	    struct cnt_error *);
/* By name, ignoring case; CNT_E_NOTFOUND if none. */
int	cnt_theatre_by_name(struct cnt_ctx *, const char *name,
	    struct cnt_theatre *, struct cnt_error *);
/* Admin only. Replace the seat layout. Refused (CNT_E_CONFLICT) when an
 * upcoming showtime in the theatre has sold or held seats; upcoming
 * showtimes without sales get the new seats. Past showtimes keep theirs. */
int	cnt_theatre_set_layout(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t id, const char *layout_text, struct cnt_error *);
/* Admin only. Rename; duplicate names are CNT_E_CONFLICT. */
int	cnt_theatre_rename(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t id, const char *name, struct cnt_error *);
/* Admin only. Refused (CNT_E_CONFLICT) if any showtime ever used it. */
int	cnt_theatre_delete(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t id, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Showtimes (schedule.c). Cancelling one refunds its bookings and so   */
/* lives in booking.c (cnt_showtime_cancel).                           */

struct cnt_showtime {
	int64_t		id;
	int64_t		film_id;
	int64_t		theatre_id;
	char	       *film_title;
	char	       *rating;
	int		runtime_min;
	char	       *theatre_name;
	time_t		starts_at;
	time_t		ends_at;	/* start + runtime + trailer_minutes */
	time_t		blocked_until;	/* ends_at + cleaning_minutes */
	char		local_start[17];	/* "YYYY-MM-DD HH:MM", cinema zone */
	char		local_end[17];
	int		base_price_cents;
	char	       *status;		/* "scheduled" "canceled" "completed" */
	bool		started;	/* starts_at <= now */
	int		sold;		/* seats sold */
	int		held;		/* seats under a live hold */
	int		capacity;	/* seats */
};

void	cnt_showtime_free(struct cnt_showtime *);	/* the insides */
void	cnt_showtimes_free(struct cnt_showtime *, size_t);

struct cnt_showtime_input {
	int64_t		film_id;
	int64_t		theatre_id;
	time_t		starts_at;	/* see cnt_local_time to parse one */
	int		base_price_cents;	/* 0 - 1000000 */
};

/* Admin only. Never in the past (CNT_E_INVALID, field "starts_at"). An
 * overlap with another showtime of the theatre, cleaning buffer included,
 * is CNT_E_CONFLICT naming it: "Hall 2 is busy 18:00-20:40 with Dune
 * (cleaning until 20:55)". The database decides, so of two concurrent
 * clashing inserts exactly one wins. *ID gets the new id. */
int	cnt_showtime_create(struct cnt_ctx *, const struct cnt_actor *,
	    const struct cnt_showtime_input *, int64_t *id, struct cnt_error *);
/* Admin only. The same showtime at the same wall-clock time on DAYS
 * consecutive days (1-60) from IN->starts_at, all or none: a clash on any
 * day refuses the lot, the message names the day. IDS (may be NULL) gets
 * DAYS ids. */
int	cnt_showtime_repeat(struct cnt_ctx *, const struct cnt_actor *,
	    const struct cnt_showtime_input *, int days, int64_t *ids,
	    struct cnt_error *);
/* Admin only. Move a showtime (film, theatre, start) or change its base
 * price. Moving one that has sold or held seats, or that has started, is
 * refused (CNT_E_CONFLICT); the price may change until it starts (seats
 * already held keep the price they were shown). */
int	cnt_showtime_update(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t id, const struct cnt_showtime_input *, struct cnt_error *);
int	cnt_showtime_get(struct cnt_ctx *, int64_t id, struct cnt_showtime *,
	    struct cnt_error *);

/* Which showtimes to list: zero/NULL fields do not filter. DATE (a local
 * day) wins over FROM/TO. Ordered by start, then theatre. */
struct cnt_showtime_filter {
	const char     *date;		/* "YYYY-MM-DD" in the cinema's zone */
	time_t		from, to;	/* starts_at in [from, to) */
	int64_t		theatre_id;
	int64_t		film_id;
	bool		include_canceled;
};

int	cnt_showtime_list(struct cnt_ctx *, const struct cnt_showtime_filter *,
	    struct cnt_showtime **out, size_t *n, struct cnt_error *);

/* Parse "YYYY-MM-DD HH:MM" (or any PostgreSQL timestamp text) as a
 * wall-clock time in the cinema's zone. CNT_E_INVALID if it is not one. */
int	cnt_local_time(struct cnt_ctx *, const char *text, time_t *out,
	    struct cnt_error *);
/* Today's date in the cinema's zone, "YYYY-MM-DD", into BUF. */
int	cnt_local_today(struct cnt_ctx *, char buf[11], struct cnt_error *);
/* T as "YYYY-MM-DD HH:MM" in the cinema's zone, into BUF. */
int	cnt_local_format(struct cnt_ctx *, time_t t, char buf[17],
	    struct cnt_error *);

/* ------------------------------------------------------------------ */
/* The programme of a day (listing.c): one query.                       */

struct cnt_listing_show {
	int64_t		showtime_id;
	int64_t		theatre_id;
	char	       *theatre_name;
	time_t		starts_at;
	time_t		ends_at;
	char		local_start[6];	/* "HH:MM" */
	char		local_end[6];
	int		base_price_cents;
	int		capacity;
	int		seats_left;	/* free seats, expired holds count free */
	bool		started;
	bool		sold_out;
};

struct cnt_listing_film {
	int64_t		film_id;
	char	       *title;
	char	       *rating;
	int		runtime_min;
	char	       *description;
	char	       *poster_url;
	char	      **genres;
	size_t		ngenres;
	struct cnt_listing_show *shows;	/* by start */
	size_t		nshows;
};

struct cnt_listing {
	char		date[11];	/* the day listed */
	struct cnt_listing_film *films;	/* by title */
	size_t		nfilms;
};

/* Films with scheduled showtimes on DATE ("YYYY-MM-DD" in the cinema's
 * zone; NULL or "" for today), each with its showtimes of the day. Shows
 * that started are included with started set (a screen may grey them). */
int	cnt_listing_day(struct cnt_ctx *, const char *date,
	    struct cnt_listing *, struct cnt_error *);
void	cnt_listing_free(struct cnt_listing *);

#endif
