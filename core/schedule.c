/*
 * schedule.c - showtimes: create, repeat, move, list; local time helpers.
 *
 * A showtime ends runtime + trailer_minutes after its start and keeps its
 * theatre busy cleaning_minutes longer (blocked_until). Overlaps are
 * refused by the database's exclusion constraint showtimes_no_overlap over
 * [starts_at, blocked_until), so of two concurrent clashing inserts exactly
 * one commits; this file only turns SQLSTATE 23P01 into a sentence naming
 * the showtime in the way. Cancelling (which refunds) is in booking.c.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "catalog-private.h"

/* How often a transaction that lost a deadlock or serialization check is
 * run again (after a growing random pause) before the caller hears about
 * it. Two clashing inserts can deadlock inside the exclusion constraint. */
#define SCHEDULE_RETRIES	8

void
cnt_showtime_free(struct cnt_showtime *s)
{
	if (s == NULL)
		return;
	free(s->film_title);
	free(s->rating);
	free(s->theatre_name);
	free(s->status);
	memset(s, 0, sizeof *s);
}

void
cnt_showtimes_free(struct cnt_showtime *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		cnt_showtime_free(&s[i]);
	free(s);
}

static bool
retryable(const struct cnt_error *err)
{
	return strcmp(err->sqlstate, "40P01") == 0 ||
	    strcmp(err->sqlstate, "40001") == 0;
}

/*
 * After a 23P01 on theatre THEATRE for [START, START + LEN), say which
 * showtime (other than SELF) is in the way. Runs outside the failed
 * transaction. DAY, if not NULL, prefixes the message ("on 2026-12-03: ").
 */
static void
overlap_message(struct cnt_ctx *ctx, int64_t theatre, time_t start,
    int64_t runtime_min, int64_t self, const char *day, struct cnt_error *err)
{
	const struct cnt_config *cfg = &ctx->cfg;
	struct cnt_error e2;
	char		t[CNT_I64BUF], s[CNT_I64BUF], len[CNT_I64BUF];
	char		id[CNT_I64BUF];
	const char     *p[4] = { cnt_i64(t, theatre), cnt_i64(s, start),
	    cnt_i64(len, runtime_min + cfg->trailer_minutes +
	    cfg->cleaning_minutes), cnt_i64(id, self) };
	PGresult       *res;

	res = cnt_db_exec(ctx, &e2, "SELECT th.name,"
	    " to_char(s.starts_at, 'HH24:MI'), to_char(s.ends_at, 'HH24:MI'),"
	    " to_char(s.blocked_until, 'HH24:MI'), m.title,"
	    " to_char(s.starts_at, 'YYYY-MM-DD'), s.id"
	    " FROM showtimes s JOIN movies m ON m.id = s.movie_id"
	    " JOIN theatres th ON th.id = s.theatre_id"
	    " WHERE s.theatre_id = $1 AND s.status <> 'canceled' AND s.id <> $4"
	    " AND tstzrange(s.starts_at, s.blocked_until, '[)') &&"
	    " tstzrange(to_timestamp($2), to_timestamp($2) +"
	    " make_interval(mins => $3::int), '[)')"
	    " ORDER BY s.starts_at LIMIT 1", 4, p);
	if (res != NULL && PQntuples(res) == 1) {
		cnt_error_field(err, CNT_E_CONFLICT, "starts_at",
		    "%s is busy %s-%s with %s on %s (showtime %s; cleaning "
		    "until %s)", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 4),
		    PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 6),
		    PQgetvalue(res, 0, 3));
	} else {
		cnt_error_field(err, CNT_E_CONFLICT, "starts_at",
		    "%s%s%sthe theatre is busy then (another showtime or its "
		    "cleaning time)", day != NULL ? "on " : "",
		    day != NULL ? day : "", day != NULL ? ": " : "");
	}
	cnt_strlcpy(err->sqlstate, "23P01", sizeof err->sqlstate);
	if (res != NULL)
		PQclear(res);
}

/*
 * Why an insert of IN found no film or theatre, or starts in the past:
 * fill ERR. Outside a transaction.
 */
static void
explain_missing(struct cnt_ctx *ctx, const struct cnt_showtime_input *in,
    struct cnt_error *err)
{
	char		f[CNT_I64BUF], t[CNT_I64BUF];
	const char     *p[2] = { cnt_i64(f, in->film_id), cnt_i64(t, in->theatre_id) };
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT EXISTS (SELECT 1 FROM movies WHERE"
	    " id = $1), EXISTS (SELECT 1 FROM theatres WHERE id = $2)", 2, p);
	if (res == NULL)
		return;
	if (!cnt_pg_bool(res, 0, 0))
		cnt_error_field(err, CNT_E_NOTFOUND, "film", "no film with id %s",
		    f);
	else if (!cnt_pg_bool(res, 0, 1))
		cnt_error_field(err, CNT_E_NOTFOUND, "theatre",
		    "no theatre with id %s", t);
	else
		cnt_error_field(err, CNT_E_INVALID, "starts_at",
		    "a showtime cannot start in the past");
	PQclear(res);
}

static int
input_check(const struct cnt_showtime_input *in, struct cnt_error *err)
{
	if (in->base_price_cents < 0 || in->base_price_cents > 1000000)
		return cnt_error_field(err, CNT_E_INVALID, "price",
		    "the base price must be 0.00 to 10000.00");
	if (in->starts_at <= time(NULL))
		return cnt_error_field(err, CNT_E_INVALID, "starts_at",
		    "a showtime cannot start in the past");
	return CNT_OK;
}

/*
 * Insert the showtime IN moved by DAY whole days (same wall-clock time in
 * the cinema's zone), inside the caller's transaction. Returns 1 with *ID
 * set, 0 if film or theatre is missing or the start is past, -1 on a
 * database error (ERR set, *RUNTIME set for the overlap message).
 */
static int
showtime_insert(struct cnt_ctx *ctx, const struct cnt_showtime_input *in,
    int day, int64_t *id, int64_t *runtime, struct cnt_error *err)
{
	const struct cnt_config *cfg = &ctx->cfg;
	char		f[CNT_I64BUF], t[CNT_I64BUF], s[CNT_I64BUF];
	char		tr[CNT_I64BUF], cl[CNT_I64BUF], pr[CNT_I64BUF];
	char		d[CNT_I64BUF];
	const char     *p[7] = { cnt_i64(f, in->film_id),
	    cnt_i64(t, in->theatre_id), cnt_i64(s, in->starts_at),
	    cnt_i64(tr, cfg->trailer_minutes), cnt_i64(cl, cfg->cleaning_minutes),
	    cnt_i64(pr, in->base_price_cents), cnt_i64(d, day) };
	PGresult       *res;
	int		found;

	res = cnt_db_exec(ctx, err, "SELECT runtime_min FROM movies WHERE"
	    " id = $1", 1, p);
	if (res == NULL)
		return -1;
	*runtime = PQntuples(res) == 1 ? cnt_pg_i64(res, 0, 0) : 0;
	PQclear(res);
	res = cnt_db_exec(ctx, err, "INSERT INTO showtimes (movie_id,"
	    " theatre_id, starts_at, ends_at, blocked_until, base_price_cents)"
	    " SELECT m.id, th.id, st,"
	    "  st + make_interval(mins => m.runtime_min + $4::int),"
	    "  st + make_interval(mins => m.runtime_min + $4::int + $5::int), $6"
	    " FROM movies m, theatres th,"
	    "  LATERAL (SELECT to_timestamp($3) +"
	    "   make_interval(days => $7::int) AS st) x"
	    " WHERE m.id = $1 AND th.id = $2 AND st > now()"
	    " RETURNING id", 7, p);
	if (res == NULL)
		return -1;
	found = PQntuples(res);
	if (found == 1)
		*id = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	return found;
}

/* The local date of IN's start moved by DAY days, for messages. */
static char *
day_label(struct cnt_ctx *ctx, time_t start, int day)
{
	char		s[CNT_I64BUF], d[CNT_I64BUF];
	const char     *p[2] = { cnt_i64(s, start), cnt_i64(d, day) };
	PGresult       *res;
	char	       *label;

	res = cnt_db_exec(ctx, NULL, "SELECT to_char(to_timestamp($1) +"
	    " make_interval(days => $2::int), 'YYYY-MM-DD')", 2, p);
	if (res == NULL)
		return xstrdup("one of the days");
	label = cnt_pg_str(res, 0, 0);
	PQclear(res);
	return label;
}

/*
 * Create DAYS daily showtimes from IN, all or none, in one transaction
 * retried on deadlock. IDS (may be NULL) gets DAYS ids.
 */
int
cnt_showtime_repeat(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_showtime_input *in, int days, int64_t *ids,
    struct cnt_error *err)
{
	int64_t		id = 0, runtime = 0;
	int		attempt, day, found = -1;
	char	       *label;

	if (cnt_need_admin(actor, "schedule a showtime", err) != CNT_OK)
		return CNT_ERR;
	if (days < 1 || days > 60)
		return cnt_error_field(err, CNT_E_INVALID, "days",
		    "repeat for 1 to 60 days (got %d)", days);
	if (input_check(in, err) != CNT_OK)
		return CNT_ERR;
	for (attempt = 0;; attempt++) {
		if (cnt_db_begin(ctx, err) != CNT_OK)
			return CNT_ERR;
		for (day = 0; day < days; day++) {
			found = showtime_insert(ctx, in, day, &id, &runtime, err);
			if (found != 1)
				break;
			if (ids != NULL)
				ids[day] = id;
			if (cnt_audit(ctx, actor, "showtime.create", "showtime",
			    id, NULL, err) != CNT_OK) {
				found = -1;
				break;
			}
		}
		if (day == days) {
			if (cnt_db_commit(ctx, err) == CNT_OK)
				break;
			found = -1;
		} else
			cnt_db_rollback(ctx);
		if (found == 0) {
			explain_missing(ctx, in, err);
			return CNT_ERR;
		}
		if (retryable(err) && attempt + 1 < SCHEDULE_RETRIES) {
			cnt_db_retry_pause(attempt);
			continue;
		}
		if (strcmp(err->sqlstate, "23P01") == 0) {
			label = days > 1 ? day_label(ctx, in->starts_at, day) :
			    NULL;
			overlap_message(ctx, in->theatre_id, in->starts_at +
			    (time_t)day * 86400, runtime, 0, label, err);
			free(label);
		}
		return CNT_ERR;
	}
	log_info("event=showtime.create theatre=%" PRId64 " film=%" PRId64
	    " days=%d", in->theatre_id, in->film_id, days);
	return CNT_OK;
}

/*
 * Schedule one showtime. Admin only; not in the past; no overlap with
 * another showtime of the theatre, cleaning buffer included.
 */
int
cnt_showtime_create(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_showtime_input *in, int64_t *id, struct cnt_error *err)
{
	int64_t	ids[1];

	if (cnt_showtime_repeat(ctx, actor, in, 1, ids, err) != CNT_OK)
		return CNT_ERR;
	*id = ids[0];
	return CNT_OK;
}

/*
 * Move showtime ID or change its price (see cinetty-catalog.h). Moving to
 * another theatre remakes its (empty) inventory from the new theatre.
 */
int
cnt_showtime_update(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const struct cnt_showtime_input *in, struct cnt_error *err)
{
	const struct cnt_config *cfg = &ctx->cfg;
	char		sid[CNT_I64BUF], f[CNT_I64BUF], t[CNT_I64BUF];
	char		s[CNT_I64BUF], tr[CNT_I64BUF], cl[CNT_I64BUF];
	char		pr[CNT_I64BUF];
	const char     *p[7] = { cnt_i64(sid, id), cnt_i64(f, in->film_id),
	    cnt_i64(t, in->theatre_id), cnt_i64(s, in->starts_at),
	    cnt_i64(tr, cfg->trailer_minutes), cnt_i64(cl, cfg->cleaning_minutes),
	    cnt_i64(pr, in->base_price_cents) };
	PGresult       *res;
	bool		moved, retheatre;
	int64_t		runtime = 0;
	int		attempt;

	if (cnt_need_admin(actor, "change a showtime", err) != CNT_OK)
		return CNT_ERR;
	if (in->base_price_cents < 0 || in->base_price_cents > 1000000)
		return cnt_error_field(err, CNT_E_INVALID, "price",
		    "the base price must be 0.00 to 10000.00");
	for (attempt = 0;; attempt++) {
		if (cnt_db_begin(ctx, err) != CNT_OK)
			return CNT_ERR;
		res = cnt_db_exec(ctx, err, "SELECT s.status, s.starts_at <="
		    " now(), s.movie_id <> $2 OR s.theatre_id <> $3 OR"
		    " s.starts_at <> to_timestamp($4), s.theatre_id <> $3,"
		    " (SELECT count(*) FROM showtime_seats ss WHERE"
		    "  ss.showtime_id = s.id AND (ss.state = 'sold' OR"
		    "  (ss.state = 'held' AND ss.hold_expires > now()))),"
		    " EXISTS (SELECT 1 FROM bookings b WHERE b.showtime_id = s.id),"
		    " to_timestamp($4) <= now(),"
		    " (SELECT runtime_min FROM movies WHERE id = $2),"
		    " EXISTS (SELECT 1 FROM theatres WHERE id = $3)"
		    " FROM showtimes s WHERE s.id = $1 FOR UPDATE", 4, p);
		if (res == NULL)
			goto rollback;
		if (PQntuples(res) == 0) {
			cnt_error_set(err, CNT_E_NOTFOUND, "no showtime with id %s",
			    sid);
			goto refuse;
		}
		if (strcmp(PQgetvalue(res, 0, 0), "scheduled") != 0) {
			cnt_error_set(err, CNT_E_CONFLICT, "showtime %s is %s and "
			    "cannot change", sid, PQgetvalue(res, 0, 0));
			goto refuse;
		}
		if (cnt_pg_bool(res, 0, 1)) {
			cnt_error_set(err, CNT_E_CONFLICT, "showtime %s has "
			    "started and cannot change", sid);
			goto refuse;
		}
		moved = cnt_pg_bool(res, 0, 2);
		retheatre = cnt_pg_bool(res, 0, 3);
		if (moved && (cnt_pg_int(res, 0, 4) > 0 || cnt_pg_bool(res, 0, 5))) {
			cnt_error_set(err, CNT_E_CONFLICT, "showtime %s has "
			    "bookings or held seats and cannot move; only its "
			    "price can change", sid);
			goto refuse;
		}
		if (moved && cnt_pg_bool(res, 0, 6)) {
			cnt_error_field(err, CNT_E_INVALID, "starts_at",
			    "a showtime cannot start in the past");
			goto refuse;
		}
		if (PQgetisnull(res, 0, 7)) {
			cnt_error_field(err, CNT_E_NOTFOUND, "film",
			    "no film with id %s", f);
			goto refuse;
		}
		if (!cnt_pg_bool(res, 0, 8)) {
			cnt_error_field(err, CNT_E_NOTFOUND, "theatre",
			    "no theatre with id %s", t);
			goto refuse;
		}
		runtime = cnt_pg_i64(res, 0, 7);
		PQclear(res);
		if (retheatre) {
			res = cnt_db_exec(ctx, err, "DELETE FROM showtime_seats"
			    " WHERE showtime_id = $1", 1, p);
			if (res == NULL)
				goto rollback;
			PQclear(res);
		}
		res = cnt_db_exec(ctx, err, "UPDATE showtimes s SET"
		    " movie_id = $2, theatre_id = $3, starts_at = to_timestamp($4),"
		    " ends_at = to_timestamp($4) +"
		    "  make_interval(mins => m.runtime_min + $5::int),"
		    " blocked_until = to_timestamp($4) +"
		    "  make_interval(mins => m.runtime_min + $5::int + $6::int),"
		    " base_price_cents = $7 FROM movies m"
		    " WHERE s.id = $1 AND m.id = $2", 7, p);
		if (res == NULL)
			goto rollback;
		PQclear(res);
		if (retheatre) {
			res = cnt_db_exec(ctx, err, "WITH ins AS (INSERT INTO"
			    " showtime_seats (showtime_id, seat_id) SELECT $1, se.id"
			    " FROM seats se WHERE se.theatre_id = $2 AND NOT"
			    " se.retired RETURNING 1)"
			    " UPDATE showtimes SET capacity = (SELECT count(*)"
			    " FROM ins) WHERE id = $1", 2, (const char *[]){ sid, t });
			if (res == NULL)
				goto rollback;
			PQclear(res);
		}
		if (cnt_audit(ctx, actor, "showtime.update", "showtime", id,
		    NULL, err) != CNT_OK)
			goto rollback;
		if (cnt_db_commit(ctx, err) == CNT_OK)
			break;
		goto retry;
refuse:
		PQclear(res);
		cnt_db_rollback(ctx);
		return CNT_ERR;
rollback:
		cnt_db_rollback(ctx);
retry:
		if (retryable(err) && attempt + 1 < SCHEDULE_RETRIES) {
			cnt_db_retry_pause(attempt);
			continue;
		}
		if (strcmp(err->sqlstate, "23P01") == 0)
			overlap_message(ctx, in->theatre_id, in->starts_at,
			    runtime, id, NULL, err);
		return CNT_ERR;
	}
	cnt_events_seats_changed(ctx, id);
	return CNT_OK;
}

/* The columns showtime_row reads. */
static const char showtime_sql[] =
    "SELECT s.id, s.movie_id, s.theatre_id, m.title, m.rating,"
    " m.runtime_min, th.name, extract(epoch FROM s.starts_at)::bigint,"
    " extract(epoch FROM s.ends_at)::bigint,"
    " extract(epoch FROM s.blocked_until)::bigint,"
    " to_char(s.starts_at, 'YYYY-MM-DD HH24:MI'),"
    " to_char(s.ends_at, 'YYYY-MM-DD HH24:MI'), s.base_price_cents,"
    " s.status, s.starts_at <= now(), c.sold, c.held, s.capacity"
    " FROM showtimes s JOIN movies m ON m.id = s.movie_id"
    " JOIN theatres th ON th.id = s.theatre_id"
    " CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE ss.state = 'sold')"
    "  AS sold, count(*) FILTER (WHERE ss.state = 'held' AND"
    "  ss.hold_expires > now()) AS held"
    "  FROM showtime_seats ss WHERE ss.showtime_id = s.id) c ";

static void
showtime_row(const PGresult *res, int i, struct cnt_showtime *s)
{
	s->id = cnt_pg_i64(res, i, 0);
	s->film_id = cnt_pg_i64(res, i, 1);
	s->theatre_id = cnt_pg_i64(res, i, 2);
	s->film_title = cnt_pg_str(res, i, 3);
	s->rating = cnt_pg_str(res, i, 4);
	s->runtime_min = cnt_pg_int(res, i, 5);
	s->theatre_name = cnt_pg_str(res, i, 6);
	s->starts_at = (time_t)cnt_pg_i64(res, i, 7);
	s->ends_at = (time_t)cnt_pg_i64(res, i, 8);
	s->blocked_until = (time_t)cnt_pg_i64(res, i, 9);
	cnt_strlcpy(s->local_start, PQgetvalue(res, i, 10), sizeof s->local_start);
	cnt_strlcpy(s->local_end, PQgetvalue(res, i, 11), sizeof s->local_end);
	s->base_price_cents = cnt_pg_int(res, i, 12);
	s->status = cnt_pg_str(res, i, 13);
	s->started = cnt_pg_bool(res, i, 14);
	s->sold = cnt_pg_int(res, i, 15);
	s->held = cnt_pg_int(res, i, 16);
	s->capacity = cnt_pg_int(res, i, 17);
}

int
cnt_showtime_get(struct cnt_ctx *ctx, int64_t id, struct cnt_showtime *s,
    struct cnt_error *err)
{
	char		buf[CNT_I64BUF], *sql;
	const char     *p[1] = { cnt_i64(buf, id) };
	PGresult       *res;

	memset(s, 0, sizeof *s);
	sql = xasprintf("%sWHERE s.id = $1", showtime_sql);
	res = cnt_db_exec(ctx, err, sql, 1, p);
	free(sql);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "no showtime with id %s",
		    buf);
	}
	showtime_row(res, 0, s);
	PQclear(res);
	return CNT_OK;
}

/*
 * Showtimes matching F (see cinetty-catalog.h), by start then theatre.
 */
int
cnt_showtime_list(struct cnt_ctx *ctx, const struct cnt_showtime_filter *f,
    struct cnt_showtime **out, size_t *n, struct cnt_error *err)
{
	char		from[CNT_I64BUF], to[CNT_I64BUF], th[CNT_I64BUF];
	char		fi[CNT_I64BUF], *sql;
	const char     *p[6];
	PGresult       *res;
	int		i, rows;

	*out = NULL;
	*n = 0;
	if (f->date != NULL && *f->date != '\0' && !cnt_date_syntax(f->date))
		return cnt_error_field(err, CNT_E_INVALID, "date",
		    "\"%s\" is not a date (use YYYY-MM-DD)", f->date);
	p[0] = f->date != NULL && *f->date != '\0' ? f->date : NULL;
	p[1] = f->from != 0 ? cnt_i64(from, f->from) : NULL;
	p[2] = f->to != 0 ? cnt_i64(to, f->to) : NULL;
	p[3] = f->theatre_id != 0 ? cnt_i64(th, f->theatre_id) : NULL;
	p[4] = f->film_id != 0 ? cnt_i64(fi, f->film_id) : NULL;
	p[5] = f->include_canceled ? "t" : "f";
	sql = xasprintf("%s"
	    "WHERE ($1::date IS NULL OR (s.starts_at >= $1::date::timestamptz"
	    "  AND s.starts_at < ($1::date + 1)::timestamptz))"
	    " AND ($1::date IS NOT NULL OR $2::bigint IS NULL OR"
	    "  s.starts_at >= to_timestamp($2::bigint))"
	    " AND ($1::date IS NOT NULL OR $3::bigint IS NULL OR"
	    "  s.starts_at < to_timestamp($3::bigint))"
	    " AND ($4::bigint IS NULL OR s.theatre_id = $4)"
	    " AND ($5::bigint IS NULL OR s.movie_id = $5)"
	    " AND ($6::boolean OR s.status <> 'canceled')"
	    " ORDER BY s.starts_at, th.name", showtime_sql);
	res = cnt_db_exec(ctx, err, sql, 6, p);
	free(sql);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (i = 0; i < rows; i++)
		showtime_row(res, i, &(*out)[i]);
	*n = (size_t)rows;
	PQclear(res);
	return CNT_OK;
}

/* Parse TEXT as a wall-clock time in the session's (the cinema's) zone. */
int
cnt_local_time(struct cnt_ctx *ctx, const char *text, time_t *out,
    struct cnt_error *err)
{
	const char     *p[1] = { text };
	PGresult       *res;

	if (text == NULL || *text == '\0')
		return cnt_error_field(err, CNT_E_INVALID, "starts_at",
		    "a date and time is needed (YYYY-MM-DD HH:MM)");
	res = cnt_db_exec(ctx, err, "SELECT extract(epoch FROM"
	    " $1::timestamptz)::bigint", 1, p);
	if (res == NULL) {
		if (err->kind == CNT_E_INVALID)
			cnt_error_field(err, CNT_E_INVALID, "starts_at",
			    "\"%s\" is not a date and time (use YYYY-MM-DD "
			    "HH:MM)", text);
		return CNT_ERR;
	}
	*out = (time_t)cnt_pg_i64(res, 0, 0);
	PQclear(res);
	return CNT_OK;
}

int
cnt_local_today(struct cnt_ctx *ctx, char buf[11], struct cnt_error *err)
{
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT to_char(now(), 'YYYY-MM-DD')", 0,
	    NULL);
	if (res == NULL)
		return CNT_ERR;
	cnt_strlcpy(buf, PQgetvalue(res, 0, 0), 11);
	PQclear(res);
	return CNT_OK;
}

int
cnt_local_format(struct cnt_ctx *ctx, time_t t, char buf[17],
    struct cnt_error *err)
{
	char		s[CNT_I64BUF];
	const char     *p[1] = { cnt_i64(s, t) };
	PGresult       *res;

	res = cnt_db_exec(ctx, err, "SELECT to_char(to_timestamp($1),"
	    " 'YYYY-MM-DD HH24:MI')", 1, p);
	if (res == NULL)
		return CNT_ERR;
	cnt_strlcpy(buf, PQgetvalue(res, 0, 0), 17);
	PQclear(res);
	return CNT_OK;
}
