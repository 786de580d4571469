/*
 * pricing.c - seat-type and ticket-type prices, in integer cents.
 *
 * A seat's price is fixed when it is held: round(base * seat_percent / 100).
 * The ticket charged at confirm is round(seat * ticket_percent / 100). Both
 * round half up to the cent, with integers only; the SQL function
 * cnt_price_apply (db/004_booking.sql) is the same rule for the database.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "text.h"

int
cnt_price_apply(int cents, int percent)
{
	int64_t	v = (int64_t)cents * percent;

	return (int)(v >= 0 ? (v + 50) / 100 : -((-v + 50) / 100));
}

void
cnt_price_rules_free(struct cnt_price_rules *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nticket_types; i++) {
		free(r->ticket_types[i].code);
		free(r->ticket_types[i].label);
	}
	free(r->ticket_types);
	memset(r, 0, sizeof *r);
}

/* Read both price tables: seat types, then ticket types by position. */
int
cnt_price_rules_get(struct cnt_ctx *ctx, struct cnt_price_rules *out,
    struct cnt_error *err)
{
	PGresult	*res;
	enum cnt_seat_type t;
	int		 i, n;

	memset(out, 0, sizeof *out);
	res = cnt_db_exec(ctx, err,
	    "SELECT seat_type, percent FROM seat_type_prices", 0, NULL);
	if (res == NULL)
		return CNT_ERR;
	for (i = 0; i < PQntuples(res); i++) {
		if (cnt_seat_type_parse(PQgetvalue(res, i, 0), &t) == CNT_OK)
			out->seat_percent[t] = cnt_pg_int(res, i, 1);
	}
	PQclear(res);

	res = cnt_db_exec(ctx, err, "SELECT code, label, percent, position,"
	    " active FROM ticket_types ORDER BY position, code", 0, NULL);
	if (res == NULL)
		return CNT_ERR;
	n = PQntuples(res);
	out->ticket_types = xcalloc(n > 0 ? (size_t)n : 1,
	    sizeof *out->ticket_types);
	out->nticket_types = (size_t)n;
	for (i = 0; i < n; i++) {
		out->ticket_types[i].code = cnt_pg_str(res, i, 0);
		out->ticket_types[i].label = cnt_pg_str(res, i, 1);
		out->ticket_types[i].percent = cnt_pg_int(res, i, 2);
		out->ticket_types[i].position = cnt_pg_int(res, i, 3);
		out->ticket_types[i].active = cnt_pg_bool(res, i, 4);
	}
	PQclear(res);
	return CNT_OK;
}

static int
price_check_admin(const struct cnt_actor *actor, struct cnt_error *err)
{
	if (actor == NULL || actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only an administrator can change prices.");
	return CNT_OK;
}

static int
price_check_percent(int percent, struct cnt_error *err)
{
	if (percent < 0 || percent > 1000)
		return cnt_error_field(err, CNT_E_INVALID, "percent",
		    "A percentage must be between 0 and 1000.");
	return CNT_OK;
}

int
cnt_price_set_seat_type(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    enum cnt_seat_type type, int percent, struct cnt_error *err)
{
	char		 pct[16], detail[64];
	const char	*p[2];
	PGresult	*res;

	if (price_check_admin(actor, err) != CNT_OK ||
	    price_check_percent(percent, err) != CNT_OK)
		return CNT_ERR;
	if ((unsigned)type >= CNT_SEAT_NTYPES)
		return cnt_error_field(err, CNT_E_INVALID, "seat_type",
		    "Unknown seat type.");
	snprintf(pct, sizeof pct, "%d", percent);
	p[0] = cnt_seat_type_name(type);
	p[1] = pct;
	res = cnt_db_exec(ctx, err, "INSERT INTO seat_type_prices (seat_type,"
	    " percent) VALUES ($1, $2) ON CONFLICT (seat_type) DO UPDATE"
	    " SET percent = EXCLUDED.percent", 2, p);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	snprintf(detail, sizeof detail, "%s=%d%%", p[0], percent);
	cnt_audit(ctx, actor, "price.seat_type", "seat_type_prices", 0,
	    detail, NULL);
	return CNT_OK;
}

int
cnt_price_set_ticket_type(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *code, const char *label, int percent, bool active,
    struct cnt_error *err)
{
	char		 pct[16], *detail;
	const char	*p[4], *c;
	PGresult	*res;

	if (price_check_admin(actor, err) != CNT_OK ||
	    price_check_percent(percent, err) != CNT_OK)
		return CNT_ERR;
	if (code == NULL || strlen(code) < 2 || strlen(code) > 16)
		return cnt_error_field(err, CNT_E_INVALID, "code",
		    "A ticket type code is 2 to 16 lowercase letters.");
	for (c = code; *c != '\0'; c++)
		if (*c < 'a' || *c > 'z')
			return cnt_error_field(err, CNT_E_INVALID, "code",
			    "A ticket type code is 2 to 16 lowercase letters.");
	if (label != NULL && (label[0] == '\0' || strlen(label) > 60))
		return cnt_error_field(err, CNT_E_INVALID, "label",
		    "A ticket type needs a label of at most 60 characters.");
	if (cnt_text_field(label, 0, "label", "The label", err) != CNT_OK)
		return CNT_ERR;
	snprintf(pct, sizeof pct, "%d", percent);
	p[0] = code;
	p[1] = label;
	p[2] = pct;
	p[3] = active ? "t" : "f";
	res = cnt_db_exec(ctx, err, "INSERT INTO ticket_types (code, label,"
	    " percent, position, active)"
	    " SELECT $1, coalesce($2, initcap($1)), $3, coalesce(max(position),"
	    " 0) + 1, $4 FROM ticket_types"
	    " ON CONFLICT (code) DO UPDATE SET"
	    " label = coalesce($2, ticket_types.label),"
	    " percent = EXCLUDED.percent, active = EXCLUDED.active", 4, p);
	if (res == NULL)
		return CNT_ERR;
	PQclear(res);
	detail = xasprintf("%s=%d%%%s", code, percent, active ? "" :
	    " inactive");
	cnt_audit(ctx, actor, "price.ticket_type", "ticket_types", 0, detail,
	    NULL);
	free(detail);
	return CNT_OK;
}
