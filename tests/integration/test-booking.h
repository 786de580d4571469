/*
 * test-booking.h - fixtures the booking, pricing and race tests share:
 * real accounts of each role, a theatre and a showtime per test (so tests
 * do not see each other's seats), seats by label, and a few row counts.
 * Built on catalog-fixtures.h (SQL helpers, films, theatres).
 */
#ifndef TEST_BOOKING_H
#define TEST_BOOKING_H

#include <unistd.h>

#include "catalog-fixtures.h"

/* Five rows of eight with an aisle in the middle. Row E has wheelchair
 * places (E1, E8) with companion seats beside them. */
static const char bk_layout[] =
    "SSSS SSSS\n"
    "SSSS SSSS\n"
    "PPPP PPPP\n"
    "VVVV VVVV\n"
    "WCSS SSCW\n";

static int bk_serial;

/* A fresh account with ROLE ("customer", "staff", "admin"); its actor. */
static inline struct cnt_actor
bk_account(struct cnt_ctx *ctx, const char *role)
{
	char		name[32];
	const char     *p[2];
	PGresult       *res;
	struct cnt_actor a;

	snprintf(name, sizeof name, "u%d.%d", (int)getpid() % 10000,
	    bk_serial++);
	p[0] = name;
	p[1] = role;
	res = sqlv(ctx, "INSERT INTO accounts (username, email, full_name,"
	    " role, password_hash) VALUES ($1, $1 || '@example.org',"
	    " 'Person ' || $1, $2, '$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA')"
	    " RETURNING id", 2, p);
	a.account_id = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	cnt_role_parse(role, &a.role);
	return a;
}

/* A showtime in its own theatre (LAYOUT, or bk_layout if NULL) starting
 * START_SQL (an SQL timestamptz expression), base price 1000 cents. */
static inline int64_t
bk_show_at(struct cnt_ctx *ctx, const char *start_sql, const char *layout)
{
	char		name[32];
	int64_t		film, theatre;

	snprintf(name, sizeof name, "Booking Test %d", bk_serial++);
	film = mk_film(ctx, name, 100);
	theatre = mk_theatre(ctx, name, layout != NULL ? layout : bk_layout);
	return mk_show_sql(ctx, film, theatre, start_sql, 1000);
}

static inline int64_t
bk_show(struct cnt_ctx *ctx)
{
	return bk_show_at(ctx, "now() + interval '1 day'", NULL);
}

/* The seat id of LABEL ("C5") in SHOWTIME's theatre. */
static inline int64_t
bk_seat(struct cnt_ctx *ctx, int64_t show, const char *label)
{
	char	s[CNT_I64BUF];
	int64_t	id;

	id = sql_i64(ctx, "SELECT s.id FROM seats s JOIN showtimes st"
	    " ON st.theatre_id = s.theatre_id WHERE st.id = $1"
	    " AND NOT s.retired AND s.row_label || s.number = $2",
	    cnt_i64(s, show), label, NULL);
	if (id < 0)
		fail_msg("no seat %s in showtime %lld", label, (long long)show);
	return id;
}

/* Count rows: SQL with one bigint parameter. */
static inline int64_t
bk_count(struct cnt_ctx *ctx, const char *sql, int64_t v)
{
	char	b[CNT_I64BUF];

	return sql_i64(ctx, sql, cnt_i64(b, v), NULL, NULL);
}

/* Move a showtime so it starts at START_SQL (keeps its length). */
static inline void
bk_move(struct cnt_ctx *ctx, int64_t show, const char *start_sql)
{
	char		s[CNT_I64BUF];
	char	       *sql;
	const char     *p[1];

	sql = xasprintf("UPDATE showtimes SET starts_at = %s,"
	    " ends_at = %s + interval '2 hours',"
	    " blocked_until = %s + interval '2 hours 15 minutes'"
	    " WHERE id = $1", start_sql, start_sql, start_sql);
	p[0] = cnt_i64(s, show);
	PQclear(sqlv(ctx, sql, 1, p));
	free(sql);
}

static const struct cnt_payment_input bk_card_ok = {
	CNT_PAY_CARD, { "4242 4242 4242 4242", 12, 2034, "123" }, 0
};

#endif
