/*
 * listing.c - the programme of one day: films with their showtimes and
 * seats left, in one query (a row per showtime, grouped into films here).
 *
 * The day is a local day of the cinema: the session's TimeZone is the
 * config's `timezone` (db.c), so date -> timestamptz casts give local
 * midnights, daylight saving time included.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog-private.h"

static const char listing_sql[] =
    "SELECT to_char(d.day, 'YYYY-MM-DD'), m.id, m.title, m.rating,"
    " m.runtime_min, m.description, m.poster_url, COALESCE(g.names, ''),"
    " s.id, s.theatre_id, th.name,"
    " extract(epoch FROM s.starts_at)::bigint,"
    " extract(epoch FROM s.ends_at)::bigint,"
    " to_char(s.starts_at, 'HH24:MI'), to_char(s.ends_at, 'HH24:MI'),"
    " s.base_price_cents, s.capacity, c.left_, s.starts_at <= now()"
    " FROM (SELECT COALESCE($1::date, current_date) AS day) d"
    " JOIN showtimes s ON s.starts_at >= d.day::timestamptz"
    "  AND s.starts_at < (d.day + 1)::timestamptz"
    " JOIN movies m ON m.id = s.movie_id"
    " JOIN theatres th ON th.id = s.theatre_id"
    " LEFT JOIN LATERAL (SELECT string_agg(gn.name, E'\\n'"
    "  ORDER BY lower(gn.name)) AS names FROM movie_genres mg"
    "  JOIN genres gn ON gn.id = mg.genre_id WHERE mg.movie_id = m.id) g"
    "  ON true"
    " CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE ss.state = 'free'"
    "  OR (ss.state = 'held' AND ss.hold_expires <= now())) AS left_"
    "  FROM showtime_seats ss WHERE ss.showtime_id = s.id) c"
    " WHERE s.status <> 'canceled'"
    " ORDER BY lower(m.title), m.id, s.starts_at, th.name";

/* The date of an empty listing (no rows to read it from). */
static int
listing_date(struct cnt_ctx *ctx, const char *date, char buf[11],
    struct cnt_error *err)
{
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT to_char(COALESCE($1::date,"
	    " current_date), 'YYYY-MM-DD')", 1, &date);
	if (res == NULL)
		return CNT_ERR;
	cnt_strlcpy(buf, PQgetvalue(res, 0, 0), 11);
	PQclear(res);
	return CNT_OK;
}

/*
 * Fill L with the films showing on DATE (NULL or "" for today), each with
 * its showtimes of that day, from one statement. Free with
 * cnt_listing_free.
 */
int
cnt_listing_day(struct cnt_ctx *ctx, const char *date, struct cnt_listing *l,
    struct cnt_error *err)
{
	struct cnt_listing_film *f = NULL;
	struct cnt_listing_show *sh;
	PGresult       *res;
	char	       *genres;
	int		i, rows;

	memset(l, 0, sizeof *l);
	if (date != NULL && *date == '\0')
		date = NULL;
	if (date != NULL && !cnt_date_syntax(date))
		return cnt_error_field(err, CNT_E_INVALID, "date",
		    "\"%s\" is not a date (use YYYY-MM-DD)", date);
	res = cnt_db_exec(ctx, err, listing_sql, 1, &date);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	if (rows == 0) {
		PQclear(res);
		return listing_date(ctx, date, l->date, err);
	}
	cnt_strlcpy(l->date, PQgetvalue(res, 0, 0), sizeof l->date);
	/* at most one film per row: allocate for the worst case */
	l->films = xcalloc((size_t)rows, sizeof *l->films);
	for (i = 0; i < rows; i++) {
		int64_t	film = cnt_pg_i64(res, i, 1);

		if (f == NULL || f->film_id != film) {
			f = &l->films[l->nfilms++];
			f->film_id = film;
			f->title = cnt_pg_str(res, i, 2);
			f->rating = cnt_pg_str(res, i, 3);
			f->runtime_min = cnt_pg_int(res, i, 4);
			f->description = cnt_pg_str(res, i, 5);
			f->poster_url = cnt_pg_str(res, i, 6);
			genres = cnt_pg_str(res, i, 7);
			f->genres = cnt_strv_split(genres, &f->ngenres);
			free(genres);
		}
		f->shows = xreallocarray(f->shows, f->nshows + 1,
		    sizeof *f->shows);
		sh = &f->shows[f->nshows++];
		memset(sh, 0, sizeof *sh);
		sh->showtime_id = cnt_pg_i64(res, i, 8);
		sh->theatre_id = cnt_pg_i64(res, i, 9);
		sh->theatre_name = cnt_pg_str(res, i, 10);
		sh->starts_at = (time_t)cnt_pg_i64(res, i, 11);
		sh->ends_at = (time_t)cnt_pg_i64(res, i, 12);
		cnt_strlcpy(sh->local_start, PQgetvalue(res, i, 13),
		    sizeof sh->local_start);
		cnt_strlcpy(sh->local_end, PQgetvalue(res, i, 14),
		    sizeof sh->local_end);
		sh->base_price_cents = cnt_pg_int(res, i, 15);
		sh->capacity = cnt_pg_int(res, i, 16);
		sh->seats_left = cnt_pg_int(res, i, 17);
		sh->started = cnt_pg_bool(res, i, 18);
		sh->sold_out = sh->seats_left == 0;
	}
	PQclear(res);
	return CNT_OK;
}

void
cnt_listing_free(struct cnt_listing *l)
{
	size_t	i, j;

	if (l == NULL)
		return;
	for (i = 0; i < l->nfilms; i++) {
		struct cnt_listing_film *f = &l->films[i];

		free(f->title);
		free(f->rating);
		free(f->description);
		free(f->poster_url);
		cnt_strv_free(f->genres, f->ngenres);
		for (j = 0; j < f->nshows; j++)
			free(f->shows[j].theatre_name);
		free(f->shows);
	}
	free(l->films);
	memset(l, 0, sizeof *l);
}
