/*
 * venue.c - theatres and their seats, made from layout text (layout.c).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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
	char		cap[CNT_I64BUF], tid[CNT_I64BUF], num[CNT_I64BUF];
	char		x[CNT_I64BUF], y[CNT_I64BUF];
	size_t		i;

	if (actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "only an admin can add a theatre");
	if (name == NULL || *name == '\0' || strlen(name) > 60)
		return cnt_error_field(err, CNT_E_INVALID, "name",
		    "a theatre needs a name of 1 to 60 characters");
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
	for (i = 0; i < lay.nseats; i++) {
		const struct cnt_layout_seat *s = &lay.seats[i];
		const char *p[6] = { tid, s->row, cnt_i64(num, s->number),
		    cnt_seat_type_name(s->type), cnt_i64(x, s->x),
		    cnt_i64(y, s->y) };

		res = cnt_db_exec(ctx, err, "INSERT INTO seats (theatre_id,"
		    " row_label, number, seat_type, x, y) VALUES ($1, $2, $3,"
		    " $4, $5, $6)", 6, p);
		if (res == NULL)
			goto rollback;
		PQclear(res);
	}
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
