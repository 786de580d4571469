/*
 * catalog.c - films and genres.
 *
 * A film's genres are names; creating or updating a film creates the
 * missing genres (case-insensitively unique). Titles are unique ignoring
 * case (the movies_title_key index decides, so two concurrent creates of
 * one title cannot both win).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog-private.h"
#include "text.h"

const char *const cnt_ratings[CNT_NRATINGS] = {
	"G", "PG", "PG-13", "R", "NC-17", "NR"
};

bool
cnt_rating_valid(const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < CNT_NRATINGS; i++)
		if (strcmp(s, cnt_ratings[i]) == 0)
			return true;
	return false;
}

char **
cnt_strv_split(const char *text, size_t *n)
{
	char	      **v = NULL;
	const char     *p = text, *nl;
	size_t		count = 0;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		v = xreallocarray(v, count + 1, sizeof *v);
		if (nl == NULL) {
			v[count++] = xstrdup(p);
			break;
		}
		v[count++] = xstrndup(p, (size_t)(nl - p));
		p = nl + 1;
	}
	*n = count;
	return v;
}

void
cnt_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool
cnt_date_syntax(const char *s)
{
	static const char pat[] = "dddd-dd-dd";
	size_t	i;

	if (s == NULL || strlen(s) != sizeof pat - 1)
		return false;
	for (i = 0; i < sizeof pat - 1; i++) {
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return false;
	}
	return true;
}

int
cnt_need_admin(const struct cnt_actor *actor, const char *what,
    struct cnt_error *err)
{
	if (actor == NULL || actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "only an admin can %s", what);
	return CNT_OK;
}

void
cnt_genres_free(struct cnt_genre *g, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(g[i].name);
	free(g);
}

int
cnt_genre_list(struct cnt_ctx *ctx, struct cnt_genre **out, size_t *n,
    struct cnt_error *err)
{
	PGresult       *res;
	int		i, rows;

	*out = NULL;
	*n = 0;
	res = cnt_db_exec(ctx, err, "SELECT g.id, g.name, (SELECT count(*)"
	    " FROM movie_genres mg WHERE mg.genre_id = g.id)"
	    " FROM genres g ORDER BY lower(g.name)", 0, NULL);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (i = 0; i < rows; i++) {
		(*out)[i].id = cnt_pg_i64(res, i, 0);
		(*out)[i].name = cnt_pg_str(res, i, 1);
		(*out)[i].films = cnt_pg_int(res, i, 2);
	}
	*n = (size_t)rows;
	PQclear(res);
	return CNT_OK;
}

void
cnt_film_free(struct cnt_film *f)
{
	if (f == NULL)
		return;
	free(f->title);
	free(f->description);
	free(f->rating);
	free(f->poster_url);
	cnt_strv_free(f->genres, f->ngenres);
	memset(f, 0, sizeof *f);
}

void
cnt_films_free(struct cnt_film *f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		cnt_film_free(&f[i]);
	free(f);
}

static bool
blank_edges(const char *s)
{
	size_t	len = strlen(s);

	return len > 0 && (isspace((unsigned char)s[0]) ||
	    isspace((unsigned char)s[len - 1]));
}

/*
 * Check IN field by field; on success *GENRES gets the genre names joined
 * with '\n' (allocated) for the SQL that stores them.
 */
static int
film_validate(const struct cnt_film_input *in, char **genres,
    struct cnt_error *err)
{
	const char     *title = in->title != NULL ? in->title : "";
	const char     *desc = in->description != NULL ? in->description : "";
	const char     *url = in->poster_url != NULL ? in->poster_url : "";
	const char     *rating = in->rating != NULL ? in->rating : "NR";
	size_t		i, len = 0;
	char	       *p;

	*genres = NULL;
	if (*title == '\0' || strlen(title) > 200)
		return cnt_error_field(err, CNT_E_INVALID, "title",
		    "a film needs a title of 1 to 200 characters");
	if (cnt_text_field(title, 0, "title", "the title", err) != CNT_OK)
		return CNT_ERR;
	if (blank_edges(title))
		return cnt_error_field(err, CNT_E_INVALID, "title",
		    "the title may not start or end with spaces or contain "
		    "control characters");
	if (strlen(desc) > 4000)
		return cnt_error_field(err, CNT_E_INVALID, "description",
		    "the description may be at most 4000 characters");
	if (cnt_text_field(desc, CNT_TEXT_LINES, "description",
	    "the description", err) != CNT_OK)
		return CNT_ERR;
	if (in->runtime_min < 1 || in->runtime_min > 600)
		return cnt_error_field(err, CNT_E_INVALID, "runtime",
		    "the runtime must be 1 to 600 minutes (got %d)",
		    in->runtime_min);
	if (!cnt_rating_valid(rating))
		return cnt_error_field(err, CNT_E_INVALID, "rating",
		    "unknown rating \"%s\": use G, PG, PG-13, R, NC-17 or NR",
		    rating);
	if (*url != '\0' && (strlen(url) > 500 || strchr(url, ' ') != NULL ||
	    cnt_text_check(url, 0) != CNT_TEXT_OK || (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)))
		return cnt_error_field(err, CNT_E_INVALID, "poster_url",
		    "the poster URL must start with http:// or https:// and "
		    "have no spaces (at most 500 characters)");
	if (in->ngenres > 10)
		return cnt_error_field(err, CNT_E_INVALID, "genres",
		    "at most 10 genres per film");
	for (i = 0; i < in->ngenres; i++) {
		const char *g = in->genres[i];

		if (g == NULL || *g == '\0' || strlen(g) > 40 ||
		    cnt_text_check(g, 0) != CNT_TEXT_OK || blank_edges(g))
			return cnt_error_field(err, CNT_E_INVALID, "genres",
			    "a genre is 1 to 40 characters without leading or "
			    "trailing spaces");
		len += strlen(g) + 1;
	}
	*genres = p = xmalloc(len + 1);
	*p = '\0';
	for (i = 0; i < in->ngenres; i++) {
		if (i > 0)
			*p++ = '\n';
		strcpy(p, in->genres[i]);
		p += strlen(p);
	}
	return CNT_OK;
}

/* Give film FID exactly the genres in GENRES ('\n'-joined), creating
 * missing ones. Inside the caller's transaction. */
static int
film_set_genres(struct cnt_ctx *ctx, const char *fid, const char *genres,
    struct cnt_error *err)
{
	const char     *p[2] = { fid, genres };
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "DELETE FROM movie_genres WHERE"
	    " movie_id = $1", 1, p);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	if (*genres == '\0')
		return CNT_OK;
	res = cnt_db_exec(ctx, err, "INSERT INTO genres (name)"
	    " SELECT DISTINCT ON (lower(x)) x"
	    " FROM unnest(string_to_array($1, E'\\n')) x"
	    " ON CONFLICT DO NOTHING", 1, p + 1);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	res = cnt_db_exec(ctx, err, "INSERT INTO movie_genres (movie_id,"
	    " genre_id) SELECT $1, g.id FROM genres g WHERE lower(g.name) IN"
	    " (SELECT lower(x) FROM unnest(string_to_array($2, E'\\n')) x)",
	    2, p);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}

static void
title_conflict(struct cnt_error *err, const char *title)
{
	cnt_error_field(err, CNT_E_CONFLICT, "title",
	    "a film titled \"%s\" already exists", title);
}

/*
 * Create a film from IN with its genres, in one transaction. Admin only.
 */
int
cnt_film_create(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_film_input *in, int64_t *id, struct cnt_error *err)
{
	char	       *genres;
	char		rt[CNT_I64BUF], fid[CNT_I64BUF];
	PGresult       *res;

	if (cnt_need_admin(actor, "add a film", err) != CNT_OK)
		return CNT_ERR;
	if (film_validate(in, &genres, err) != CNT_OK)
		return CNT_ERR;
	if (cnt_db_begin(ctx, err) != CNT_OK)
		goto fail;
	{
		const char *p[5] = { in->title,
		    in->description != NULL ? in->description : "",
		    cnt_i64(rt, in->runtime_min),
		    in->rating != NULL ? in->rating : "NR",
		    in->poster_url != NULL ? in->poster_url : "" };

		res = cnt_db_exec(ctx, err, "INSERT INTO movies (title,"
		    " description, runtime_min, rating, poster_url) VALUES"
		    " ($1, $2, $3, $4, $5) RETURNING id", 5, p);
	}
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23505") == 0)
			title_conflict(err, in->title);
		goto rollback;
	}
	*id = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	cnt_i64(fid, *id);
	if (film_set_genres(ctx, fid, genres, err) != CNT_OK ||
	    cnt_audit(ctx, actor, "film.create", "film", *id, in->title,
	    err) != CNT_OK)
		goto rollback;
	if (cnt_db_commit(ctx, err) != CNT_OK)
		goto fail;
	free(genres);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
fail:
	free(genres);
	return CNT_ERR;
}

/*
 * Replace film ID's fields and genres. Admin only. The runtime of a film
 * with upcoming showtimes is fixed (their ends were computed from it).
 */
int
cnt_film_update(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const struct cnt_film_input *in, struct cnt_error *err)
{
	char	       *genres;
	char		rt[CNT_I64BUF], fid[CNT_I64BUF];
	PGresult       *res;

	if (cnt_need_admin(actor, "change a film", err) != CNT_OK)
		return CNT_ERR;
	if (film_validate(in, &genres, err) != CNT_OK)
		return CNT_ERR;
	cnt_i64(fid, id);
	if (cnt_db_begin(ctx, err) != CNT_OK)
		goto fail;
	{
		const char *p[1] = { fid };

		res = cnt_db_exec(ctx, err, "SELECT m.runtime_min, (SELECT"
		    " count(*) FROM showtimes s WHERE s.movie_id = m.id AND"
		    " s.status = 'scheduled' AND s.starts_at > now())"
		    " FROM movies m WHERE m.id = $1 FOR UPDATE", 1, p);
	}
	if (res == NULL)
		goto rollback;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "no film with id %s", fid);
		goto rollback;
	}
	if (cnt_pg_int(res, 0, 0) != in->runtime_min &&
	    cnt_pg_int(res, 0, 1) > 0) {
		cnt_error_field(err, CNT_E_CONFLICT, "runtime",
		    "the runtime cannot change while the film has %d upcoming "
		    "showtime%s (their end times depend on it)",
		    cnt_pg_int(res, 0, 1), cnt_pg_int(res, 0, 1) == 1 ? "" : "s");
		PQclear(res);
		goto rollback;
	}
	PQclear(res);
	{
		const char *p[6] = { fid, in->title,
		    in->description != NULL ? in->description : "",
		    cnt_i64(rt, in->runtime_min),
		    in->rating != NULL ? in->rating : "NR",
		    in->poster_url != NULL ? in->poster_url : "" };

		res = cnt_db_exec(ctx, err, "UPDATE movies SET title = $2,"
		    " description = $3, runtime_min = $4, rating = $5,"
		    " poster_url = $6 WHERE id = $1", 6, p);
	}
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23505") == 0)
			title_conflict(err, in->title);
		goto rollback;
	}
	PQclear(res);
	if (film_set_genres(ctx, fid, genres, err) != CNT_OK ||
	    cnt_audit(ctx, actor, "film.update", "film", id, in->title,
	    err) != CNT_OK)
		goto rollback;
	if (cnt_db_commit(ctx, err) != CNT_OK)
		goto fail;
	free(genres);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
fail:
	free(genres);
	return CNT_ERR;
}

/*
 * Delete film ID and its showtimes without bookings. Admin only. Refused
 * when an upcoming showtime has sold or held seats, or any showtime of the
 * film has bookings (history the reports need).
 */
int
cnt_film_delete(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, struct cnt_error *err)
{
	char		fid[CNT_I64BUF];
	const char     *p[1] = { cnt_i64(fid, id) };
	PGresult       *res;
	char	       *title;
	int		upcoming, booked;

	if (cnt_need_admin(actor, "delete a film", err) != CNT_OK)
		return CNT_ERR;
	if (cnt_db_begin(ctx, err) != CNT_OK)
		return CNT_ERR;
	res = cnt_db_exec(ctx, err, "SELECT title FROM movies WHERE id = $1"
	    " FOR UPDATE", 1, p);
	if (res == NULL)
		goto rollback;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "no film with id %s", fid);
		goto rollback;
	}
	title = cnt_pg_str(res, 0, 0);
	PQclear(res);
	/* Lock the showtimes so no booking can refer to one meanwhile. */
	res = cnt_db_exec(ctx, err, "WITH s AS (SELECT id, starts_at, status"
	    " FROM showtimes WHERE movie_id = $1 FOR UPDATE)"
	    " SELECT count(*) FILTER (WHERE s.status = 'scheduled' AND"
	    "  s.starts_at > now() AND EXISTS (SELECT 1 FROM showtime_seats ss"
	    "  WHERE ss.showtime_id = s.id AND (ss.state = 'sold' OR"
	    "  (ss.state = 'held' AND ss.hold_expires > now())))),"
	    " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bookings b"
	    "  WHERE b.showtime_id = s.id))"
	    " FROM s", 1, p);
	if (res == NULL) {
		free(title);
		goto rollback;
	}
	upcoming = cnt_pg_int(res, 0, 0);
	booked = cnt_pg_int(res, 0, 1);
	PQclear(res);
	if (upcoming > 0) {
		cnt_error_set(err, CNT_E_CONFLICT, "\"%s\" cannot be deleted: "
		    "%d upcoming showtime%s %s tickets sold or held; cancel "
		    "%s first", title, upcoming, upcoming == 1 ? "" : "s",
		    upcoming == 1 ? "has" : "have",
		    upcoming == 1 ? "it" : "them");
		free(title);
		goto rollback;
	}
	if (booked > 0) {
		cnt_error_set(err, CNT_E_CONFLICT, "\"%s\" cannot be deleted: "
		    "%d of its showtimes %s bookings, kept for the reports",
		    title, booked, booked == 1 ? "has" : "have");
		free(title);
		goto rollback;
	}
	res = cnt_db_exec(ctx, err, "DELETE FROM showtimes WHERE"
	    " movie_id = $1", 1, p);
	if (res != NULL) {
		PQclear(res);
		res = cnt_db_exec(ctx, err, "DELETE FROM movies WHERE id = $1",
		    1, p);
	}
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23503") == 0)
			cnt_error_set(err, CNT_E_CONFLICT, "\"%s\" cannot be "
			    "deleted: it has bookings", title);
		free(title);
		goto rollback;
	}
	PQclear(res);
	if (cnt_audit(ctx, actor, "film.delete", "film", id, title,
	    err) != CNT_OK) {
		free(title);
		goto rollback;
	}
	free(title);
	return cnt_db_commit(ctx, err);
rollback:
	cnt_db_rollback(ctx);
	return CNT_ERR;
}

/* The columns film_row reads, after FROM movies m. */
#define FILM_COLUMNS							\
	"SELECT m.id, m.title, %s, m.runtime_min, m.rating, m.poster_url,"	\
	" COALESCE((SELECT string_agg(g.name, E'\\n' ORDER BY lower(g.name))"	\
	"  FROM movie_genres mg JOIN genres g ON g.id = mg.genre_id"	\
	"  WHERE mg.movie_id = m.id), ''),"				\
	" (SELECT count(*) FROM showtimes s WHERE s.movie_id = m.id AND"	\
	"  s.status = 'scheduled' AND s.starts_at > now()),"		\
	" extract(epoch FROM m.created_at)::bigint FROM movies m "

static void
film_row(const PGresult *res, int i, struct cnt_film *f)
{
	char	       *genres;

	f->id = cnt_pg_i64(res, i, 0);
	f->title = cnt_pg_str(res, i, 1);
	f->description = cnt_pg_str(res, i, 2);
	f->runtime_min = cnt_pg_int(res, i, 3);
	f->rating = cnt_pg_str(res, i, 4);
	f->poster_url = cnt_pg_str(res, i, 5);
	genres = cnt_pg_str(res, i, 6);
	f->genres = cnt_strv_split(genres, &f->ngenres);
	free(genres);
	f->upcoming = cnt_pg_int(res, i, 7);
	f->created_at = (time_t)cnt_pg_i64(res, i, 8);
}

/* One film by the query SQL with parameter P. */
static int
film_one(struct cnt_ctx *ctx, const char *sql, const char *p,
    struct cnt_film *f, struct cnt_error *err)
{
	PGresult       *res;

	memset(f, 0, sizeof *f);
	res = cnt_db_exec(ctx, err, sql, 1, &p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "no such film: %s", p);
	}
	film_row(res, 0, f);
	PQclear(res);
	return CNT_OK;
}

int
cnt_film_get(struct cnt_ctx *ctx, int64_t id, struct cnt_film *f,
    struct cnt_error *err)
{
	char	buf[CNT_I64BUF];
	char	sql[2048];

	snprintf(sql, sizeof sql, FILM_COLUMNS "WHERE m.id = $1",
	    "m.description");
	return film_one(ctx, sql, cnt_i64(buf, id), f, err);
}

int
cnt_film_by_title(struct cnt_ctx *ctx, const char *title, struct cnt_film *f,
    struct cnt_error *err)
{
	char	sql[2048];

	if (cnt_text_field(title, 0, "film", "a film's title", err) != CNT_OK)
		return CNT_ERR;
	snprintf(sql, sizeof sql, FILM_COLUMNS "WHERE lower(m.title) ="
	    " lower($1)", "m.description");
	return film_one(ctx, sql, title != NULL ? title : "", f, err);
}

/*
 * Films whose title or one of whose genres contains SEARCH, ignoring case;
 * all films for NULL or "". *OUT is an array of *N films (free with
 * cnt_films_free).
 */
int
cnt_film_list(struct cnt_ctx *ctx, const char *search, struct cnt_film **out,
    size_t *n, struct cnt_error *err)
{
	const char     *p[1] = { search != NULL ? search : "" };
	char		sql[2048];
	PGresult       *res;
	int		i, rows;

	*out = NULL;
	*n = 0;
	if (cnt_text_field(p[0], 0, "search", "the search", err) != CNT_OK)
		return CNT_ERR;
	snprintf(sql, sizeof sql, FILM_COLUMNS "WHERE $1 = '' OR"
	    " strpos(lower(m.title), lower($1)) > 0 OR EXISTS (SELECT 1"
	    " FROM movie_genres mg JOIN genres g ON g.id = mg.genre_id"
	    " WHERE mg.movie_id = m.id AND strpos(lower(g.name), lower($1)) > 0)"
	    " ORDER BY lower(m.title)", "''");
	res = cnt_db_exec(ctx, err, sql, 1, p);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (i = 0; i < rows; i++)
		film_row(res, i, &(*out)[i]);
	*n = (size_t)rows;
	PQclear(res);
	return CNT_OK;
}
