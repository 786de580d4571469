/*
 * shift.c - a box-office shift's takings: what the signed-in staff member
 * sold (payments they took, by method) and refunded since a time, so the
 * cash drawer can be counted. One statement over payments (indexed by
 * taken_by, created_at) and refunds.
 */
#include <string.h>

#include "internal.h"

#define SHIFT_SQL							\
	"WITH p AS (SELECT count(*) AS n,"				\
	"  COALESCE(sum(amount_cents), 0) AS total,"			\
	"  COALESCE(sum(amount_cents) FILTER (WHERE method = 'cash'), 0)"\
	"   AS cash,"							\
	"  COALESCE(sum(amount_cents) FILTER (WHERE method <> 'cash'), 0)"\
	"   AS card"							\
	"  FROM payments WHERE taken_by = $1"				\
	"  AND created_at >= to_timestamp($2)),"			\
	" t AS (SELECT count(*) AS n FROM payments py"			\
	"  JOIN tickets tk ON tk.booking_id = py.booking_id"		\
	"  WHERE py.taken_by = $1 AND py.created_at >= to_timestamp($2)),"\
	" r AS (SELECT count(*) AS n,"					\
	"  COALESCE(sum(r.amount_cents), 0) AS total,"			\
	"  COALESCE(sum(r.amount_cents) FILTER (WHERE py.method = 'cash'),"\
	"   0) AS cash"							\
	"  FROM refunds r LEFT JOIN payments py ON py.id = r.payment_id"	\
	"  WHERE r.refunded_by = $1 AND r.created_at >= to_timestamp($2))"\
	" SELECT p.n, p.total, p.cash, p.card, t.n, r.n, r.total, r.cash"	\
	" FROM p, t, r"

int
cnt_shift_summary(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    time_t since, struct cnt_shift *out, struct cnt_error *err)
{
	char		 ab[CNT_I64BUF], sb[CNT_I64BUF];
	const char	*p[2];
	PGresult	*res;

	memset(out, 0, sizeof *out);
	if (actor->role != CNT_ROLE_STAFF && actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only box-office staff have a shift summary.");
	p[0] = cnt_i64(ab, actor->account_id);
	p[1] = cnt_i64(sb, (int64_t)since);
	if ((res = cnt_db_exec(ctx, err, SHIFT_SQL, 2, p)) == NULL)
		return CNT_ERR;
	out->since = since;
	out->sales = cnt_pg_int(res, 0, 0);
	out->sales_cents = cnt_pg_i64(res, 0, 1);
	out->cash_cents = cnt_pg_i64(res, 0, 2);
	out->card_cents = cnt_pg_i64(res, 0, 3);
	out->tickets = cnt_pg_int(res, 0, 4);
	out->refunds = cnt_pg_int(res, 0, 5);
	out->refund_cents = cnt_pg_i64(res, 0, 6);
	out->cash_refund_cents = cnt_pg_i64(res, 0, 7);
	out->drawer_cents = out->cash_cents - out->cash_refund_cents;
	PQclear(res);
	return CNT_OK;
}
