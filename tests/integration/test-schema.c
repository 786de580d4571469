/*
 * test-schema.c - migrations, seed data and the guards that live in the
 * database: the no-overlap exclusion constraint and the one-live-sale-per-
 * seat guard. Runs on the fresh migrated database tests/run.sh provides.
 */
#include <libpq-fe.h>
#include <pthread.h>

#include "testlib.h"

static PGconn *pg;

/* Run SQL; return its SQLSTATE ("" on success) in STATE. */
static void
sql(const char *q, char state[6])
{
	PGresult *res = PQexec(pg, q);
	const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	cnt_strlcpy(state, s != NULL ? s : "", 6);
	PQclear(res);
}

static long
scalar(const char *q)
{
	PGresult *res = PQexec(pg, q);
	long	v;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		fail_msg("query failed: %s: %s", q, PQerrorMessage(pg));
	v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return v;
}

static const char *
share_dir(void)
{
	const char *d = getenv("CINETTY_SHARE_DIR");

	return d != NULL ? d : ".";
}

static int
setup(void **state)
{
	(void)state;
	pg = PQconnectdb("");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "connect: %s", PQerrorMessage(pg));
		return -1;
	}
	PQclear(PQexec(pg, "SET client_min_messages = warning"));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	PQfinish(pg);
	return 0;
}

static void
test_migrate_twice_is_noop(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct cnt_error err;
	char	       *dir = xasprintf("%s/db", share_dir());
	int		applied = -1;
	long		before;

	(void)state;
	before = scalar("SELECT count(*) FROM schema_migrations");
	assert_true(before >= 1);
	assert_ok(cnt_migrate(ctx, dir, &applied, &err), &err);
	assert_int_equal(applied, 0);
	assert_int_equal(scalar("SELECT count(*) FROM schema_migrations"),
	    before);
	free(dir);
	cnt_ctx_free(ctx);
}

static void
test_migrate_refuses_changed_file(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct cnt_error err;
	char		st[6];
	char	       *dir = xasprintf("%s/db", share_dir());
	int		applied;

	(void)state;
	sql("CREATE TEMP TABLE saved AS SELECT * FROM schema_migrations", st);
	sql("UPDATE schema_migrations SET sha256 = 'x'"
	    " WHERE filename = '001_init.sql'", st);
	assert_string_equal(st, "");
	assert_refused(cnt_migrate(ctx, dir, &applied, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "001_init.sql has changed");
	assert_int_equal(applied, 0);
	sql("UPDATE schema_migrations m SET sha256 = s.sha256 FROM saved s"
	    " WHERE s.filename = m.filename", st);
	assert_string_equal(st, "");
	assert_ok(cnt_migrate(ctx, dir, &applied, &err), &err);
	free(dir);
	cnt_ctx_free(ctx);
}

struct mig_run {
	char	conninfo[256];
	int	applied;
	int	rc;
	struct cnt_error err;
};

static void *
mig_thread(void *arg)
{
	struct mig_run *r = arg;
	struct cnt_config cfg;
	struct cnt_ctx *ctx;
	char	       *dir = xasprintf("%s/db", share_dir());

	test_config(&cfg);
	free(cfg.database);
	cfg.database = xstrdup(r->conninfo);
	ctx = cnt_ctx_new(&cfg);
	r->rc = cnt_migrate(ctx, dir, &r->applied, &r->err);
	cnt_ctx_free(ctx);
	cnt_config_free(&cfg);
	free(dir);
	return NULL;
}

/* Four concurrent `cinetty migrate` on an empty database: every file is
 * applied exactly once, nobody fails. */
static void
test_concurrent_migrate(void **state)
{
	struct mig_run	runs[4];
	pthread_t	th[4];
	char		st[6];
	long		files;
	int		i, total = 0;
	PGconn	       *other;
	PGresult       *res;

	(void)state;
	sql("DROP DATABASE IF EXISTS cinetty_migrate_race", st);
	sql("CREATE DATABASE cinetty_migrate_race", st);
	assert_string_equal(st, "");
	files = scalar("SELECT count(*) FROM schema_migrations");
	for (i = 0; i < 4; i++) {
		memset(&runs[i], 0, sizeof runs[i]);
		snprintf(runs[i].conninfo, sizeof runs[i].conninfo,
		    "dbname=cinetty_migrate_race");
		pthread_create(&th[i], NULL, mig_thread, &runs[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_ok(runs[i].rc, &runs[i].err);
		total += runs[i].applied;
	}
	assert_int_equal(total, files);
	other = PQconnectdb("dbname=cinetty_migrate_race");
	res = PQexec(other, "SELECT count(*) FROM schema_migrations");
	assert_int_equal(atol(PQgetvalue(res, 0, 0)), files);
	PQclear(res);
	PQfinish(other);
	sql("DROP DATABASE cinetty_migrate_race", st);
}

static void
test_unreachable_database(void **state)
{
	struct cnt_config cfg;
	struct cnt_ctx *ctx;
	struct cnt_error err;
	char	       *target;
	int		applied;

	(void)state;
	test_config(&cfg);
	free(cfg.database);
	cfg.database = xstrdup("host=/nonexistent/socket port=5999 dbname=x");
	ctx = cnt_ctx_new(&cfg);
	assert_refused(cnt_migrate(ctx, "db", &applied, &err), &err,
	    CNT_E_UNAVAILABLE);
	/* The message reaches users: it names no socket, host or port;
	 * the log line and cnt_db_target (the operator's) do. */
	assert_contains(err.msg, "cannot reach the database");
	assert_null(strstr(err.msg, "/nonexistent"));
	assert_null(strstr(err.msg, "5999"));
	target = cnt_db_target(ctx);
	assert_contains(target, "/nonexistent/socket");
	assert_contains(target, "5999");
	free(target);
	cnt_ctx_free(ctx);
	cnt_config_free(&cfg);
}

static void
test_seed_twice_same_counts(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct cnt_seed_report rep;
	struct cnt_error err;
	char	       *dir = xasprintf("%s/seed", share_dir());
	static const char *const tables[] = {
		"accounts", "genres", "movies", "movie_genres", "theatres",
		"seats", "showtimes", "showtime_seats", "bookings", "tickets",
		"payments"
	};
	long		counts[sizeof tables / sizeof tables[0]];
	size_t		i;

	(void)state;
	assert_ok(cnt_seed(ctx, dir, &rep, &err), &err);
	assert_int_equal(rep.accounts, 8);
	assert_true(rep.films >= 12);
	assert_int_equal(rep.theatres, 4);
	assert_true(rep.showtimes > 4 * 14);
	assert_true(rep.bookings > 0);
	assert_non_null(rep.admin_password);	/* generated, shown once */
	free(rep.admin_password);
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char *q = xasprintf("SELECT count(*) FROM %s", tables[i]);

		counts[i] = scalar(q);
		free(q);
	}

	assert_ok(cnt_seed(ctx, dir, &rep, &err), &err);
	assert_int_equal(rep.accounts + rep.films + rep.theatres +
	    rep.showtimes + rep.bookings, 0);
	assert_null(rep.admin_password);
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char *q = xasprintf("SELECT count(*) FROM %s", tables[i]);
		long  now = scalar(q);

		if (now != counts[i])
			fail_msg("%s: %ld rows after the first seed, %ld after"
			    " the second", tables[i], counts[i], now);
		free(q);
	}

	/* What the demo promises. */
	assert_true(scalar("SELECT count(*) FROM genres") >= 10);
	assert_true(scalar("SELECT min(capacity) FROM theatres") <= 30);
	assert_true(scalar("SELECT max(capacity) FROM theatres") >= 200);
	assert_true(scalar("SELECT count(*) FROM seats WHERE seat_type ="
	    " 'wheelchair'") > 0);
	assert_int_equal(scalar("SELECT count(DISTINCT starts_at::date) FROM"
	    " showtimes WHERE starts_at::date >= current_date"), 14);
	assert_int_equal(scalar("SELECT count(*) FROM accounts WHERE"
	    " password_hash NOT LIKE '$argon2id$%'"), 0);
	/* past sales only, and every sold seat has one valid ticket */
	assert_int_equal(scalar("SELECT count(*) FROM bookings b JOIN"
	    " showtimes s ON s.id = b.showtime_id WHERE s.ends_at > now()"), 0);
	assert_int_equal(scalar("SELECT count(*) FROM showtime_seats ss WHERE"
	    " state = 'sold' AND NOT EXISTS (SELECT 1 FROM tickets t WHERE"
	    " t.showtime_id = ss.showtime_id AND t.seat_id = ss.seat_id AND"
	    " t.status = 'valid')"), 0);
	free(dir);
	cnt_ctx_free(ctx);
}

static void
test_seed_tops_up_schedule(void **state)
{
	struct cnt_ctx *ctx = test_ctx();
	struct cnt_seed_report rep;
	struct cnt_error err;
	char	       *dir = xasprintf("%s/seed", share_dir());
	char		st[6];

	(void)state;
	/* As if the last seed ran days ago: drop the last two days. */
	sql("DELETE FROM showtimes WHERE starts_at >= current_date + 12", st);
	assert_string_equal(st, "");
	assert_ok(cnt_seed(ctx, dir, &rep, &err), &err);
	assert_true(rep.showtimes > 0);
	assert_int_equal(scalar("SELECT count(DISTINCT starts_at::date) FROM"
	    " showtimes WHERE starts_at::date >= current_date"), 14);
	free(dir);
	cnt_ctx_free(ctx);
}

/* Insert a showtime of the first film in the first theatre (2030-01-01). */
static void
showtime(const char *start, const char *end, const char *blocked,
    char st[6])
{
	char *q = xasprintf("INSERT INTO showtimes (movie_id, theatre_id,"
	    " starts_at, ends_at, blocked_until, base_price_cents) SELECT"
	    " (SELECT min(id) FROM movies), (SELECT min(id) FROM theatres),"
	    " '2030-01-01 %s+00', '2030-01-01 %s+00', '2030-01-01 %s+00', 1000",
	    start, end, blocked);

	sql(q, st);
	free(q);
}

static void
test_overlap_constraint(void **state)
{
	char	st[6];

	(void)state;
	/* The second starts inside the first's cleaning buffer: refused by
	 * the exclusion constraint. Starting exactly at blocked_until is
	 * fine; a canceled showtime frees its slot. */
	showtime("18:00", "20:00", "20:15", st);
	assert_string_equal(st, "");
	showtime("20:10", "22:00", "22:15", st);
	assert_string_equal(st, "23P01");
	showtime("17:00", "18:30", "18:45", st);
	assert_string_equal(st, "23P01");
	showtime("20:15", "22:00", "22:15", st);
	assert_string_equal(st, "");
	sql("UPDATE showtimes SET status = 'canceled' WHERE starts_at ="
	    " '2030-01-01 20:15+00'", st);
	assert_string_equal(st, "");
	showtime("20:20", "22:00", "22:15", st);
	assert_string_equal(st, "");
}

static void
test_one_live_sale_per_seat(void **state)
{
	char	st[6];

	(void)state;
	/* The inventory was made with the showtime: one row per seat. */
	assert_int_equal(scalar("SELECT count(*) FROM showtime_seats ss JOIN"
	    " showtimes s ON s.id = ss.showtime_id WHERE s.starts_at ="
	    " '2030-01-01 18:00+00'"), scalar("SELECT capacity FROM theatres"
	    " ORDER BY id LIMIT 1"));
	/* A second row for a seat of a showtime is impossible. */
	sql("INSERT INTO showtime_seats (showtime_id, seat_id) SELECT"
	    " showtime_id, seat_id FROM showtime_seats WHERE showtime_id ="
	    " (SELECT id FROM showtimes WHERE starts_at = '2030-01-01 18:00+00')"
	    " LIMIT 1", st);
	assert_string_equal(st, "23505");
	/* A held seat needs its hold; a sold one its booking. */
	sql("UPDATE showtime_seats SET state = 'held' WHERE showtime_id ="
	    " (SELECT id FROM showtimes WHERE starts_at = '2030-01-01 18:00+00')",
	    st);
	assert_string_equal(st, "23514");
	sql("UPDATE showtime_seats SET state = 'sold' WHERE showtime_id ="
	    " (SELECT id FROM showtimes WHERE starts_at = '2030-01-01 18:00+00')",
	    st);
	assert_string_equal(st, "23514");
	/* Two valid tickets for one seat of one showtime: refused. */
	sql("INSERT INTO bookings (code, account_id, showtime_id, channel,"
	    " total_cents) SELECT 'AAA-AAA', (SELECT min(id) FROM accounts), s.id,"
	    " 'ssh', 1000 FROM showtimes s WHERE s.starts_at ="
	    " '2030-01-01 18:00+00'", st);
	assert_string_equal(st, "");
	sql("INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type,"
	    " price_cents) SELECT b.id, b.showtime_id, ss.seat_id, 'adult', 1000"
	    " FROM bookings b JOIN showtime_seats ss ON ss.showtime_id ="
	    " b.showtime_id WHERE b.code = 'AAA-AAA' ORDER BY ss.seat_id LIMIT 1",
	    st);
	assert_string_equal(st, "");
	sql("INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type,"
	    " price_cents) SELECT b.id, b.showtime_id, ss.seat_id, 'adult', 1000"
	    " FROM bookings b JOIN showtime_seats ss ON ss.showtime_id ="
	    " b.showtime_id WHERE b.code = 'AAA-AAA' ORDER BY ss.seat_id LIMIT 1",
	    st);
	assert_string_equal(st, "23505");
	/* A walk-up booking without an account must come from the box office. */
	sql("INSERT INTO bookings (code, showtime_id, channel, total_cents)"
	    " SELECT 'AAA-AAC', id, 'ssh', 0 FROM showtimes WHERE starts_at ="
	    " '2030-01-01 18:00+00'", st);
	assert_string_equal(st, "23514");
}

static void
test_money_and_status_checks(void **state)
{
	char	st[6];

	(void)state;
	sql("UPDATE showtimes SET base_price_cents = -1 WHERE id ="
	    " (SELECT min(id) FROM showtimes)", st);
	assert_string_equal(st, "23514");
	sql("UPDATE showtimes SET status = 'postponed' WHERE id ="
	    " (SELECT min(id) FROM showtimes)", st);
	assert_string_equal(st, "23514");
	sql("UPDATE accounts SET role = 'superuser' WHERE id ="
	    " (SELECT min(id) FROM accounts)", st);
	assert_string_equal(st, "23514");
	sql("UPDATE accounts SET password_hash = 'plain' WHERE id ="
	    " (SELECT min(id) FROM accounts)", st);
	assert_string_equal(st, "23514");
	sql("UPDATE bookings SET code = 'lower-x' WHERE id ="
	    " (SELECT min(id) FROM bookings)", st);
	assert_string_equal(st, "23514");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_twice_is_noop),
		cmocka_unit_test(test_migrate_refuses_changed_file),
		cmocka_unit_test(test_concurrent_migrate),
		cmocka_unit_test(test_unreachable_database),
		cmocka_unit_test(test_seed_twice_same_counts),
		cmocka_unit_test(test_seed_tops_up_schedule),
		cmocka_unit_test(test_overlap_constraint),
		cmocka_unit_test(test_one_live_sale_per_seat),
		cmocka_unit_test(test_money_and_status_checks),
	};

	return cmocka_run_group_tests_name("schema", tests, setup, teardown);
}
