/* test-schedule.c - showtimes: derived end, cleaning buffer, no overlap,
 * never in the past, repeat, move, list, and a race of 16 clients. */
#include <pthread.h>

#include "catalog-fixtures.h"

static struct cnt_ctx *ctx;
static int64_t	film, hall, hall2;	/* film: 100 min */
static time_t	day3;			/* 18:00 local, three days ahead */

static int
setup(void **state)
{
	(void)state;
	ctx = test_ctx();
	film = mk_film(ctx, "Dune", 100);
	hall = mk_theatre(ctx, "Hall 2", small_layout);
	hall2 = mk_theatre(ctx, "Hall 3", small_layout);
	day3 = (time_t)sql_i64(ctx, "SELECT extract(epoch FROM ((current_date"
	    " + 3) + time '18:00')::timestamptz)::bigint", NULL, NULL, NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(ctx);
	return 0;
}

static int64_t
add(int64_t theatre, time_t start, struct cnt_error *err, int *rc)
{
	struct cnt_showtime_input in = { film, theatre, start, 1200 };
	int64_t		id = 0;

	*rc = cnt_showtime_create(ctx, &admin, &in, &id, err);
	return id;
}

static void
test_end_and_buffer_derived(void **state)
{
	const struct cnt_config *cfg = cnt_ctx_config(ctx);
	struct cnt_showtime s;
	struct cnt_error err;
	int64_t		id;
	int		rc;
	char		day[11];

	(void)state;
	id = add(hall, day3 - 86400, &err, &rc);
	assert_ok(rc, &err);
	assert_ok(cnt_showtime_get(ctx, id, &s, &err), &err);
	assert_int_equal(s.ends_at - s.starts_at,
	    (100 + cfg->trailer_minutes) * 60);
	assert_int_equal(s.blocked_until - s.ends_at, cfg->cleaning_minutes * 60);
	assert_string_equal(s.film_title, "Dune");
	assert_string_equal(s.theatre_name, "Hall 2");
	assert_string_equal(s.status, "scheduled");
	assert_string_equal(s.local_start + 11, "18:00");
	assert_int_equal(s.capacity, 11);
	assert_int_equal(s.sold, 0);
	assert_int_equal(s.base_price_cents, 1200);
	assert_false(s.started);
	cnt_strlcpy(day, s.local_start, sizeof day);
	cnt_showtime_free(&s);

	sell(ctx, id, 3, 1200, "confirmed", 0);
	assert_ok(cnt_showtime_get(ctx, id, &s, &err), &err);
	assert_int_equal(s.sold, 3);
	cnt_showtime_free(&s);
}

static void
test_past_refused(void **state)
{
	struct cnt_error err;
	int		rc;

	(void)state;
	add(hall, time(NULL) - 60, &err, &rc);
	assert_refused(rc, &err, CNT_E_INVALID);
	assert_string_equal(err.field, "starts_at");
	assert_contains(err.msg, "past");
}

static void
test_overlap_names_the_showtime(void **state)
{
	struct cnt_error err;
	int		rc;
	char		want[64];

	(void)state;
	add(hall, day3, &err, &rc);
	assert_ok(rc, &err);
	/* 18:00 + 100 + 15 = 19:55, cleaning until 20:10 */
	add(hall, day3 + 3600, &err, &rc);
	assert_refused(rc, &err, CNT_E_CONFLICT);
	snprintf(want, sizeof want, "Hall 2 is busy 18:00-19:55 with Dune");
	assert_contains(err.msg, want);
	assert_contains(err.msg, "cleaning until 20:10");
	assert_string_equal(err.sqlstate, "23P01");
	/* the same time in another theatre is fine */
	add(hall2, day3 + 3600, &err, &rc);
	assert_ok(rc, &err);
}

static void
test_cleaning_buffer_boundary_exact(void **state)
{
	const struct cnt_config *cfg = cnt_ctx_config(ctx);
	time_t		start = day3 + 86400, free_at;
	struct cnt_error err;
	int		rc;

	(void)state;
	add(hall, start, &err, &rc);
	assert_ok(rc, &err);
	free_at = start + (100 + cfg->trailer_minutes +
	    cfg->cleaning_minutes) * 60;
	/* one second into the cleaning time: refused */
	add(hall, free_at - 1, &err, &rc);
	assert_refused(rc, &err, CNT_E_CONFLICT);
	/* exactly when cleaning ends: accepted ([start, blocked) ranges) */
	add(hall, free_at, &err, &rc);
	assert_ok(rc, &err);
	/* and one ending exactly when the first starts is fine too */
	add(hall, start - (100 + cfg->trailer_minutes +
	    cfg->cleaning_minutes) * 60, &err, &rc);
	assert_ok(rc, &err);
}

static void
test_wrong_role_and_missing(void **state)
{
	struct cnt_showtime_input in = { film, hall, day3 + 20 * 86400, 1000 };
	struct cnt_error err;
	int64_t		id, before;

	(void)state;
	before = sql_i64(ctx, "SELECT count(*) FROM showtimes", NULL, NULL, NULL);
	assert_refused(cnt_showtime_create(ctx, &staff, &in, &id, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_showtime_repeat(ctx, &customer, &in, 3, NULL, &err),
	    &err, CNT_E_FORBIDDEN);
	in.film_id = 999999;
	assert_refused(cnt_showtime_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_NOTFOUND);
	assert_string_equal(err.field, "film");
	in.film_id = film;
	in.theatre_id = 999999;
	assert_refused(cnt_showtime_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_NOTFOUND);
	assert_string_equal(err.field, "theatre");
	in.theatre_id = hall;
	in.base_price_cents = -1;
	assert_refused(cnt_showtime_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_INVALID);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtimes", NULL,
	    NULL, NULL), before);
}

static void
test_repeat_daily_all_or_none(void **state)
{
	struct cnt_showtime_input in = { film, hall2, day3 + 10 * 86400, 900 };
	struct cnt_showtime s;
	struct cnt_error err;
	int64_t		ids[4], id, before;

	(void)state;
	assert_ok(cnt_showtime_repeat(ctx, &admin, &in, 3, ids, &err), &err);
	assert_ok(cnt_showtime_get(ctx, ids[2], &s, &err), &err);
	assert_string_equal(s.local_start + 11, "18:00");	/* wall clock */
	cnt_showtime_free(&s);
	/* a clash on the third day of a 4-day repeat: the whole repeat is
	 * refused and the message names the day */
	in.starts_at = day3 + 15 * 86400;
	assert_ok(cnt_showtime_create(ctx, &admin, &in, &id, &err), &err);
	before = sql_i64(ctx, "SELECT count(*) FROM showtimes", NULL, NULL, NULL);
	in.starts_at = day3 + 13 * 86400 + 1800;
	assert_refused(cnt_showtime_repeat(ctx, &admin, &in, 4, ids, &err),
	    &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "on ");
	assert_contains(err.msg, "Hall 3 is busy 18:00-19:55 with Dune");
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtimes", NULL,
	    NULL, NULL), before);
	assert_refused(cnt_showtime_repeat(ctx, &admin, &in, 0, ids, &err),
	    &err, CNT_E_INVALID);
}

static void
test_update_move_and_price(void **state)
{
	struct cnt_showtime_input in = { film, hall, day3 + 30 * 86400, 1000 };
	struct cnt_showtime s;
	struct cnt_error err;
	int64_t		id, other;

	(void)state;
	assert_ok(cnt_showtime_create(ctx, &admin, &in, &id, &err), &err);
	/* move it to the other hall an hour later */
	in.theatre_id = hall2;
	in.starts_at += 3600;
	assert_ok(cnt_showtime_update(ctx, &admin, id, &in, &err), &err);
	assert_ok(cnt_showtime_get(ctx, id, &s, &err), &err);
	assert_int_equal(s.theatre_id, hall2);
	assert_string_equal(s.local_start + 11, "19:00");
	assert_int_equal(s.capacity, 11);
	cnt_showtime_free(&s);
	/* moving onto another showtime is refused and names it */
	in.theatre_id = hall;
	in.starts_at = day3 + 31 * 86400;
	assert_ok(cnt_showtime_create(ctx, &admin, &in, &other, &err), &err);
	assert_refused(cnt_showtime_update(ctx, &admin, id, &in, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "Hall 2 is busy");
	/* with a sale it cannot move, but its price can change */
	sell(ctx, id, 1, 1000, "confirmed", 0);
	in.theatre_id = hall2;
	in.starts_at = day3 + 32 * 86400;
	assert_refused(cnt_showtime_update(ctx, &admin, id, &in, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "cannot move");
	assert_ok(cnt_showtime_get(ctx, id, &s, &err), &err);
	in.starts_at = s.starts_at;
	in.base_price_cents = 1500;
	cnt_showtime_free(&s);
	assert_ok(cnt_showtime_update(ctx, &admin, id, &in, &err), &err);
	assert_ok(cnt_showtime_get(ctx, id, &s, &err), &err);
	assert_int_equal(s.base_price_cents, 1500);
	cnt_showtime_free(&s);
	assert_refused(cnt_showtime_update(ctx, &staff, id, &in, &err), &err,
	    CNT_E_FORBIDDEN);
}

static void
test_list_by_day_and_theatre(void **state)
{
	struct cnt_showtime_filter f = { 0 };
	struct cnt_showtime *s;
	struct cnt_error err;
	size_t		n, i;
	char		day[17];

	(void)state;
	assert_ok(cnt_local_format(ctx, day3, day, &err), &err);
	day[10] = '\0';
	f.date = day;
	assert_ok(cnt_showtime_list(ctx, &f, &s, &n, &err), &err);
	/* day 3: Hall 2 at 18:00, Hall 3 at 19:00 */
	assert_int_equal(n, 2);
	assert_true(s[0].starts_at < s[1].starts_at);
	for (i = 0; i < n; i++)
		assert_int_equal(strncmp(s[i].local_start, day, 10), 0);
	cnt_showtimes_free(s, n);
	f.theatre_id = hall2;
	assert_ok(cnt_showtime_list(ctx, &f, &s, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].theatre_name, "Hall 3");
	cnt_showtimes_free(s, n);
	f.date = "2026-13-45";
	assert_refused(cnt_showtime_list(ctx, &f, &s, &n, &err), &err,
	    CNT_E_INVALID);
	f.date = "tomorrow";
	assert_refused(cnt_showtime_list(ctx, &f, &s, &n, &err), &err,
	    CNT_E_INVALID);
}

static void
test_local_time_parse(void **state)
{
	struct cnt_error err;
	time_t		t;
	char		buf[17];

	(void)state;
	assert_ok(cnt_local_time(ctx, "2030-06-01 20:30", &t, &err), &err);
	assert_ok(cnt_local_format(ctx, t, buf, &err), &err);
	assert_string_equal(buf, "2030-06-01 20:30");
	assert_refused(cnt_local_time(ctx, "next friday", &t, &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "YYYY-MM-DD HH:MM");
}

static void
test_listing_one_day_grouped(void **state)
{
	struct cnt_listing l;
	struct cnt_error err;
	const char     *g[] = { "Drama", "Action" };
	struct cnt_film_input in = { .title = "Arrival", .runtime_min = 116,
	    .genres = g, .ngenres = 2 };
	int64_t		arrival, full, late;
	char		day[17];
	size_t		i;

	(void)state;
	assert_ok(cnt_film_create(ctx, &admin, &in, &arrival, &err), &err);
	/* day 50: Arrival at 14:00 (Hall 2) and 20:00 (Hall 3), Dune at
	 * 17:00 in Hall 2, sold out */
	late = mk_show_sql(ctx, arrival, hall2, "((current_date + 50) +"
	    " time '20:00')::timestamptz", 1100);
	mk_show_sql(ctx, arrival, hall, "((current_date + 50) +"
	    " time '14:00')::timestamptz", 1000);
	full = mk_show_sql(ctx, film, hall, "((current_date + 50) +"
	    " time '17:00')::timestamptz", 1000);
	sell(ctx, full, 11, 1000, "confirmed", 0);
	/* a held seat with an expired hold counts as left */
	{
		char b[CNT_I64BUF];
		const char *p[1] = { cnt_i64(b, late) };

		PQclear(sqlv(ctx, "UPDATE showtime_seats SET state = 'held',"
		    " hold_id = 1, hold_expires = now() - interval '1 minute'"
		    " WHERE showtime_id = $1 AND seat_id IN (SELECT seat_id FROM"
		    " showtime_seats WHERE showtime_id = $1 ORDER BY seat_id"
		    " LIMIT 2)", 1, p));
		PQclear(sqlv(ctx, "UPDATE showtime_seats SET state = 'held',"
		    " hold_id = 2, hold_expires = now() + interval '9 minutes'"
		    " WHERE showtime_id = $1 AND seat_id = (SELECT max(seat_id)"
		    " FROM showtime_seats WHERE showtime_id = $1)", 1, p));
	}
	assert_ok(cnt_local_format(ctx, day3 + 47 * 86400, day, &err), &err);
	day[10] = '\0';
	assert_ok(cnt_listing_day(ctx, day, &l, &err), &err);
	assert_string_equal(l.date, day);
	assert_int_equal(l.nfilms, 2);
	assert_string_equal(l.films[0].title, "Arrival");
	assert_int_equal(l.films[0].ngenres, 2);
	assert_string_equal(l.films[0].genres[0], "Action");
	assert_int_equal(l.films[0].runtime_min, 116);
	assert_int_equal(l.films[0].nshows, 2);
	assert_string_equal(l.films[0].shows[0].local_start, "14:00");
	assert_string_equal(l.films[0].shows[0].theatre_name, "Hall 2");
	assert_string_equal(l.films[0].shows[1].local_start, "20:00");
	assert_int_equal(l.films[0].shows[1].seats_left, 10);
	assert_false(l.films[0].shows[1].sold_out);
	assert_string_equal(l.films[1].title, "Dune");
	assert_int_equal(l.films[1].nshows, 1);
	assert_int_equal(l.films[1].shows[0].seats_left, 0);
	assert_true(l.films[1].shows[0].sold_out);
	for (i = 0; i < l.nfilms; i++)
		assert_false(l.films[i].shows[0].started);
	cnt_listing_free(&l);

	assert_refused(cnt_listing_day(ctx, "31/12/2030", &l, &err), &err,
	    CNT_E_INVALID);
	/* an empty day still says which day it is */
	assert_ok(cnt_listing_day(ctx, "2099-01-02", &l, &err), &err);
	assert_int_equal(l.nfilms, 0);
	assert_string_equal(l.date, "2099-01-02");
	cnt_listing_free(&l);
}

static void
test_listing_started_and_today(void **state)
{
	struct cnt_listing l;
	struct cnt_error err;
	int64_t		id;
	char		buf[CNT_I64BUF];
	PGresult       *res;

	(void)state;
	id = mk_show_sql(ctx, film, hall2, "now() - interval '1 second'", 900);
	res = sqlv(ctx, "SELECT to_char(starts_at, 'YYYY-MM-DD') FROM"
	    " showtimes WHERE id = $1", 1, (const char *[]){ cnt_i64(buf, id) });
	assert_ok(cnt_listing_day(ctx, PQgetvalue(res, 0, 0), &l, &err), &err);
	PQclear(res);
	assert_int_equal(l.nfilms, 1);
	assert_int_equal(l.films[0].shows[0].showtime_id, id);
	assert_true(l.films[0].shows[0].started);
	cnt_listing_free(&l);
	/* NULL is today */
	assert_ok(cnt_listing_day(ctx, NULL, &l, &err), &err);
	assert_ok(cnt_local_today(ctx, buf, &err), &err);
	assert_string_equal(l.date, buf);
	cnt_listing_free(&l);
}

/* The day is the cinema's: 23:30 in New York is the next day in UTC. */
static void
test_listing_in_cinema_time_zone(void **state)
{
	struct cnt_config cfg;
	struct cnt_ctx *ny;
	struct cnt_listing l;
	struct cnt_error err;
	struct cnt_showtime_input in = { film, hall2, 0, 1000 };
	int64_t		id;

	(void)state;
	test_config(&cfg);
	assert_ok(cnt_config_set(&cfg, "timezone", "America/New_York", "test",
	    &err), &err);
	ny = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	assert_ok(cnt_local_time(ny, "2031-07-04 23:30", &in.starts_at, &err),
	    &err);
	assert_ok(cnt_showtime_create(ny, &admin, &in, &id, &err), &err);
	assert_ok(cnt_listing_day(ny, "2031-07-04", &l, &err), &err);
	assert_int_equal(l.nfilms, 1);
	assert_string_equal(l.films[0].shows[0].local_start, "23:30");
	cnt_listing_free(&l);
	assert_ok(cnt_listing_day(ny, "2031-07-05", &l, &err), &err);
	assert_int_equal(l.nfilms, 0);
	cnt_listing_free(&l);
	/* in UTC the same show is on the 5th at 03:30 */
	assert_ok(cnt_listing_day(ctx, "2031-07-05", &l, &err), &err);
	assert_int_equal(l.nfilms, 1);
	assert_string_equal(l.films[0].shows[0].local_start, "03:30");
	cnt_listing_free(&l);
	cnt_ctx_free(ny);
}

/* The race: NCLIENTS threads, each with its own context, try to book
 * NSLOTS slots; within a slot every client asks for a slightly different
 * overlapping start. Exactly one wins each slot. */
#define NCLIENTS	16
#define NSLOTS		6

struct racer {
	int		n;
	int		wins[NSLOTS];
	int		conflicts;
	int		other;
	char		other_msg[512];
};

static int64_t	race_theatre;
static time_t	race_base;

static void *
race_client(void *arg)
{
	struct racer   *r = arg;
	struct cnt_ctx *c = test_ctx();
	struct cnt_error err;
	int64_t		id;
	int		k, slot;

	for (k = 0; k < NSLOTS; k++) {
		struct cnt_showtime_input in;

		slot = (k + r->n) % NSLOTS;	/* clients start on different slots */
		in.film_id = film;
		in.theatre_id = race_theatre;
		in.starts_at = race_base + slot * 86400 + r->n * 60;
		in.base_price_cents = 1000;
		if (cnt_showtime_create(c, &admin, &in, &id, &err) == CNT_OK)
			r->wins[slot]++;
		else if (err.kind == CNT_E_CONFLICT &&
		    strstr(err.msg, "is busy") != NULL)
			r->conflicts++;
		else {
			r->other++;
			cnt_strlcpy(r->other_msg, err.msg, sizeof r->other_msg);
		}
	}
	cnt_ctx_free(c);
	return NULL;
}

static void
test_race_one_winner_per_slot(void **state)
{
	struct racer	r[NCLIENTS];
	pthread_t	th[NCLIENTS];
	int		i, k, wins, conflicts = 0;
	char		buf[CNT_I64BUF];

	(void)state;
	race_theatre = mk_theatre(ctx, "Race Hall", small_layout);
	race_base = day3 + 40 * 86400;
	memset(r, 0, sizeof r);
	for (i = 0; i < NCLIENTS; i++) {
		r[i].n = i;
		assert_int_equal(pthread_create(&th[i], NULL, race_client, &r[i]),
		    0);
	}
	for (i = 0; i < NCLIENTS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NCLIENTS; i++) {
		if (r[i].other > 0)
			fail_msg("client %d got an error other than the overlap: "
			    "%s", i, r[i].other_msg);
		conflicts += r[i].conflicts;
	}
	for (k = 0; k < NSLOTS; k++) {
		for (wins = 0, i = 0; i < NCLIENTS; i++)
			wins += r[i].wins[k];
		if (wins != 1)
			fail_msg("slot %d: expected exactly one winner, got %d",
			    k, wins);
	}
	assert_int_equal(conflicts, NCLIENTS * NSLOTS - NSLOTS);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtimes WHERE"
	    " theatre_id = $1", cnt_i64(buf, race_theatre), NULL, NULL), NSLOTS);
	printf("schedule race: %d clients, %d slots, %d refused as overlaps\n",
	    NCLIENTS, NSLOTS, conflicts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_end_and_buffer_derived),
		cmocka_unit_test(test_past_refused),
		cmocka_unit_test(test_overlap_names_the_showtime),
		cmocka_unit_test(test_cleaning_buffer_boundary_exact),
		cmocka_unit_test(test_wrong_role_and_missing),
		cmocka_unit_test(test_repeat_daily_all_or_none),
		cmocka_unit_test(test_update_move_and_price),
		cmocka_unit_test(test_list_by_day_and_theatre),
		cmocka_unit_test(test_local_time_parse),
		cmocka_unit_test(test_listing_one_day_grouped),
		cmocka_unit_test(test_listing_started_and_today),
		cmocka_unit_test(test_listing_in_cinema_time_zone),
		cmocka_unit_test(test_race_one_winner_per_slot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
