/* audit.c - who changed what: one audit_log row per change. */
#include "internal.h"

int
cnt_audit(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *action, const char *entity, int64_t entity_id,
    const char *detail, struct cnt_error *err)
{
	char		a[CNT_I64BUF], e[CNT_I64BUF];
	const char     *p[5];
	PGresult       *res;

	p[0] = actor != NULL && actor->account_id != 0 ?
	    cnt_i64(a, actor->account_id) : NULL;
	p[1] = action;
	p[2] = entity;
	p[3] = entity_id != 0 ? cnt_i64(e, entity_id) : NULL;
	p[4] = detail != NULL ? detail : "";
	res = cnt_db_exec(ctx, err, "INSERT INTO audit_log (actor_id, action,"
	    " entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5)", 5, p);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	return CNT_OK;
}
