/*
 * venue.c - theatres and their seats, made from layout text (layout.c).
 *
 * A layout can be replaced while past showtimes keep the seats they sold:
 * the old seats stay, marked retired (db/003), and only active seats get
 * inventory for new showtimes.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog-private.h"
#include "text.h"

/* Insert LAY's seats for theatre TID in one statement (a tab- and
 * newline-separated table as the one parameter). */
static int
seats_insert(struct cnt_ctx *ctx, const char *tid, const struct cnt_layout *lay,
    struct cnt_error *err)
{
	char	       *table;
	const char     *p[2];
	PGresult       *res;
	size_t		i, len = 0, cap = lay->nseats * 40 + 1;

	table = xmalloc(cap);
	table[0] = '\0';
	for (i = 0; i < lay->nseats; i++) {
		const struct cnt_layout_seat *s = &lay->seats[i];

		/* a line is under 60 bytes; keep 80 free */
		if (cap - len < 80)
			table = xrealloc(table, cap *= 2);
		len += (size_t)snprintf(table + len, cap - len, "%s%s\t%d\t%s\t%d\t%d",
		    i > 0 ? "\n" : "", s->row, s->number,
		    cnt_seat_type_name(s->type), s->x, s->y);
	}
	p[0] = tid;
	p[1] = table;
	res = cnt_db_exec(ctx, err, "INSERT INTO seats (theatre_id, row_label,"
	    " number, seat_type, x, y) SELECT $1, f[1], f[2]::int, f[3],"
	    " f[4]::int, f[5]::int FROM (SELECT string_to_array(l, E'\\t') f"
	    " FROM unnest(string_to_array($2, E'\\n')) l) z", 2, p);
	free(table);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}

/*
 * Create theatre NAME from layout TEXT: the theatre row and one seats row
 * per seat, in one transaction. Admin only. *ID gets the new theatre's id.
 */
int
cnt_theatre_create(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *name, const char *text, int64_t *id, struct cnt_error *err)
{
	struct cnt_layout lay;
	PGresult       *res;
	char		cap[CNT_I64BUF], tid[CNT_I64BUF];

	if (cnt_need_admin(actor, "add a theatre", err) != CNT_OK)
		return CNT_ERR;
	if (name == NULL || *name == '\0' || strlen(name) > 60)
		return cnt_error_field(err, CNT_E_INVALID, "name",
		    "a theatre needs a name of 1 to 60 characters");
	if (cnt_text_field(name, 0, "name", "a theatre's name", err) != CNT_OK)
		return CNT_ERR;
	if (cnt_layout_parse(text, &lay, err) != CNT_OK) {
		cnt_strlcpy(err->field, "layout", sizeof err->field);
		return CNT_ERR;
	}
	if (cnt_db_begin(ctx, err) != CNT_OK)
		goto fail;
	{
		const char *p[3] = { name, text, cnt_i64(cap, (int64_t)lay.nseats) };

		res = cnt_db_exec(ctx, err, "INSERT INTO theatres (name, layout,"
		    " capacity) VALUES ($1, $2, $3) RETURNING id", 3, p);
	}
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23505") == 0)
			cnt_error_field(err, CNT_E_CONFLICT, "name",
			    "a theatre named \"%s\" already exists", name);
		goto rollback;
	}
	*id = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	cnt_i64(tid, *id);
	if (seats_insert(ctx, tid, &lay, err) != CNT_OK)
		goto rollback;
	if (cnt_audit(ctx, actor, "theatre.create", "theatre", *id, name,
	    err) != CNT_OK)
		goto rollback;
	if (cnt_db_commit(ctx, err) != CNT_OK)
		goto fail;
	cnt_layout_free(&lay);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
fail:
	cnt_layout_free(&lay);
	return CNT_ERR;
}

void
cnt_theatre_free(struct cnt_theatre *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->layout);
	memset(t, 0, sizeof *t);
}

void
cnt_theatres_free(struct cnt_theatre *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		cnt_theatre_free(&t[i]);
	free(t);
}

/* The columns theatre_row reads; %s is the layout column or ''. */
#define THEATRE_SQL							\
	"SELECT th.id, th.name, %s, th.capacity,"			\
	" c.n[1], c.n[2], c.n[3], c.n[4], c.n[5],"			\
	" (SELECT count(*) FROM showtimes s WHERE s.theatre_id = th.id"	\
	"  AND s.status = 'scheduled' AND s.starts_at > now())"	\
	" FROM theatres th CROSS JOIN LATERAL (SELECT ARRAY["		\
	"  count(*) FILTER (WHERE se.seat_type = 'standard'),"		\
	"  count(*) FILTER (WHERE se.seat_type = 'premium'),"		\
	"  count(*) FILTER (WHERE se.seat_type = 'vip'),"		\
	"  count(*) FILTER (WHERE se.seat_type = 'wheelchair'),"	\
	"  count(*) FILTER (WHERE se.seat_type = 'companion')] AS n"	\
	"  FROM seats se WHERE se.theatre_id = th.id AND NOT se.retired) c "

static void
theatre_row(const PGresult *res, int i, struct cnt_theatre *t)
{
	int	k;

	t->id = cnt_pg_i64(res, i, 0);
	t->name = cnt_pg_str(res, i, 1);
	t->layout = cnt_pg_str(res, i, 2);
	t->capacity = cnt_pg_int(res, i, 3);
	for (k = 0; k < CNT_SEAT_NTYPES; k++)
		t->count[k] = cnt_pg_int(res, i, 4 + k);
	t->upcoming = cnt_pg_int(res, i, 9);
}

int
cnt_theatre_list(struct cnt_ctx *ctx, struct cnt_theatre **out, size_t *n,
    struct cnt_error *err)
{
	char		sql[2048];
	PGresult       *res;
	int		i, rows;

	*out = NULL;
	*n = 0;
	snprintf(sql, sizeof sql, THEATRE_SQL "ORDER BY lower(th.name)", "''");
	res = cnt_db_exec(ctx, err, sql, 0, NULL);
	if (res == NULL)
		return CNT_ERR;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (i = 0; i < rows; i++)
		theatre_row(res, i, &(*out)[i]);
	*n = (size_t)rows;
	PQclear(res);
	return CNT_OK;
}

static int
theatre_one(struct cnt_ctx *ctx, const char *where, const char *p,
    struct cnt_theatre *t, struct cnt_error *err)
{
	char		sql[2048];
	PGresult       *res;

	memset(t, 0, sizeof *t);
	snprintf(sql, sizeof sql, THEATRE_SQL "%s", "th.layout", where);
	res = cnt_db_exec(ctx, err, sql, 1, &p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "no such theatre: %s",
		    p);
	}
	theatre_row(res, 0, t);
	PQclear(res);
	return CNT_OK;
}

int
cnt_theatre_get(struct cnt_ctx *ctx, int64_t id, struct cnt_theatre *t,
    struct cnt_error *err)
{
	char	buf[CNT_I64BUF];

	return theatre_one(ctx, "WHERE th.id = $1", cnt_i64(buf, id), t, err);
}

int
cnt_theatre_by_name(struct cnt_ctx *ctx, const char *name,
    struct cnt_theatre *t, struct cnt_error *err)
{
	if (cnt_text_field(name, 0, "theatre", "a theatre's name", err) !=
	    CNT_OK)
		return CNT_ERR;
	return theatre_one(ctx, "WHERE lower(th.name) = lower($1)",
	    name != NULL ? name : "", t, err);
}

/*
 * Replace theatre ID's layout. Upcoming showtimes lose their (all free)
 * inventory and get the new seats; the old seats are retired, not deleted,
 * so past showtimes and tickets keep theirs. Refused if an upcoming
 * showtime has a sold or held seat: the inventory delete takes only free
 * rows, after waiting for any hold in flight, and a sold or held row left
 * over means refuse.
 */
int
cnt_theatre_set_layout(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const char *text, struct cnt_error *err)
{
	struct cnt_layout lay;
	char		tid[CNT_I64BUF], cap[CNT_I64BUF];
	const char     *p[3] = { cnt_i64(tid, id), text, NULL };
	PGresult       *res;
	int		busy;

	if (cnt_need_admin(actor, "change a theatre's layout", err) != CNT_OK)
		return CNT_ERR;
	if (cnt_layout_parse(text, &lay, err) != CNT_OK) {
		cnt_strlcpy(err->field, "layout", sizeof err->field);
		return CNT_ERR;
	}
	p[2] = cnt_i64(cap, (int64_t)lay.nseats);
	if (cnt_db_begin(ctx, err) != CNT_OK)
		goto fail;
	res = cnt_db_exec(ctx, err, "SELECT 1 FROM theatres WHERE id = $1"
	    " FOR UPDATE", 1, p);
	if (res == NULL)
		goto rollback;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "no theatre with id %s", tid);
		goto rollback;
	}
	PQclear(res);
	res = cnt_db_exec(ctx, err, "DELETE FROM showtime_seats ss USING"
	    " showtimes s WHERE ss.showtime_id = s.id AND s.theatre_id = $1"
	    " AND s.status = 'scheduled' AND s.starts_at > now() AND"
	    " (ss.state = 'free' OR (ss.state = 'held' AND"
	    "  ss.hold_expires <= now()))", 1, p);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	res = cnt_db_exec(ctx, err, "SELECT count(DISTINCT s.id) FROM showtimes s"
	    " WHERE s.theatre_id = $1 AND s.status = 'scheduled' AND"
	    " s.starts_at > now() AND (EXISTS (SELECT 1 FROM showtime_seats ss"
	    " WHERE ss.showtime_id = s.id) OR EXISTS (SELECT 1 FROM bookings b"
	    " WHERE b.showtime_id = s.id AND b.status = 'confirmed'))", 1, p);
	if (res == NULL)
		goto rollback;
	busy = cnt_pg_int(res, 0, 0);
	PQclear(res);
	if (busy > 0) {
		cnt_error_field(err, CNT_E_CONFLICT, "layout", "the layout "
		    "cannot change: %d upcoming showtime%s %s seats sold or "
		    "held", busy, busy == 1 ? "" : "s", busy == 1 ? "has" : "have");
		goto rollback;
	}
	res = cnt_db_exec(ctx, err, "UPDATE seats SET retired = true WHERE"
	    " theatre_id = $1 AND NOT retired", 1, p);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	if (seats_insert(ctx, tid, &lay, err) != CNT_OK)
		goto rollback;
	res = cnt_db_exec(ctx, err, "INSERT INTO showtime_seats (showtime_id,"
	    " seat_id) SELECT s.id, se.id FROM showtimes s JOIN seats se ON"
	    " se.theatre_id = s.theatre_id AND NOT se.retired WHERE"
	    " s.theatre_id = $1 AND s.status = 'scheduled' AND"
	    " s.starts_at > now()", 1, p);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	res = cnt_db_exec(ctx, err, "WITH s AS (UPDATE showtimes SET"
	    " capacity = $3 WHERE theatre_id = $1 AND status = 'scheduled' AND"
	    " starts_at > now() RETURNING 1)"
	    " UPDATE theatres SET layout = $2, capacity = $3 WHERE id = $1",
	    3, p);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	if (cnt_audit(ctx, actor, "theatre.layout", "theatre", id, NULL,
	    err) != CNT_OK)
		goto rollback;
	if (cnt_db_commit(ctx, err) != CNT_OK)
		goto fail;
	cnt_layout_free(&lay);
	return CNT_OK;
rollback:
	cnt_db_rollback(ctx);
fail:
	cnt_layout_free(&lay);
	return CNT_ERR;
}

int
cnt_theatre_rename(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, const char *name, struct cnt_error *err)
{
	char		tid[CNT_I64BUF];
	const char     *p[2] = { cnt_i64(tid, id), name };
	PGresult       *res;
	int		n;

	if (cnt_need_admin(actor, "rename a theatre", err) != CNT_OK)
		return CNT_ERR;
	if (name == NULL || *name == '\0' || strlen(name) > 60)
		return cnt_error_field(err, CNT_E_INVALID, "name",
		    "a theatre needs a name of 1 to 60 characters");
	if (cnt_text_field(name, 0, "name", "a theatre's name", err) != CNT_OK)
		return CNT_ERR;
	res = cnt_db_exec(ctx, err, "UPDATE theatres SET name = $2 WHERE"
	    " id = $1", 2, p);
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23505") == 0)
			cnt_error_field(err, CNT_E_CONFLICT, "name",
			    "a theatre named \"%s\" already exists", name);
		return CNT_ERR;
	}
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	if (n == 0)
		return cnt_error_set(err, CNT_E_NOTFOUND,
		    "no theatre with id %s", tid);
	cnt_audit(ctx, actor, "theatre.rename", "theatre", id, name, NULL);
	return CNT_OK;
}

/*
 * Delete theatre ID and its seats, if no showtime ever used it.
 */
int
cnt_theatre_delete(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t id, struct cnt_error *err)
{
	char		tid[CNT_I64BUF];
	const char     *p[1] = { cnt_i64(tid, id) };
	PGresult       *res;
	int		shows;

	if (cnt_need_admin(actor, "delete a theatre", err) != CNT_OK)
		return CNT_ERR;
	if (cnt_db_begin(ctx, err) != CNT_OK)
		return CNT_ERR;
	res = cnt_db_exec(ctx, err, "SELECT (SELECT count(*) FROM showtimes s"
	    " WHERE s.theatre_id = th.id) FROM theatres th WHERE th.id = $1"
	    " FOR UPDATE", 1, p);
	if (res == NULL)
		goto rollback;
	if (PQntuples(res) == 0) {
		PQclear(res);
		cnt_error_set(err, CNT_E_NOTFOUND, "no theatre with id %s", tid);
		goto rollback;
	}
	shows = cnt_pg_int(res, 0, 0);
	PQclear(res);
	if (shows > 0) {
		cnt_error_set(err, CNT_E_CONFLICT, "the theatre cannot be "
		    "deleted: %d showtime%s use%s it", shows,
		    shows == 1 ? "" : "s", shows == 1 ? "s" : "");
		goto rollback;
	}
	res = cnt_db_exec(ctx, err, "DELETE FROM theatres WHERE id = $1", 1, p);
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23503") == 0)
			cnt_error_set(err, CNT_E_CONFLICT, "the theatre cannot be "
			    "deleted: showtimes use it");
		goto rollback;
	}
	PQclear(res);
	if (cnt_audit(ctx, actor, "theatre.delete", "theatre", id, NULL,
	    err) != CNT_OK)
		goto rollback;
	return cnt_db_commit(ctx, err);
rollback:
	cnt_db_rollback(ctx);
	return CNT_ERR;
}
