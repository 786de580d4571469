/* test-catalog.c - films and genres on a real PostgreSQL. */
#include "catalog-fixtures.h"

static struct cnt_ctx *ctx;

static int
setup(void **state)
{
	(void)state;
	ctx = test_ctx();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(ctx);
	return 0;
}

static void
test_create_get_with_genres(void **state)
{
	const char     *genres[] = { "Sci-Fi", "Adventure", "sci-fi" };
	struct cnt_film_input in = { .title = "Dune: Part Two",
	    .description = "Paul unites with the Fremen.", .runtime_min = 166,
	    .rating = "PG-13", .poster_url = "https://example.org/dune.jpg",
	    .genres = genres, .ngenres = 3 };
	struct cnt_film f;
	struct cnt_genre *g;
	struct cnt_error err;
	size_t		n;
	int64_t		id;

	(void)state;
	assert_ok(cnt_film_create(ctx, &admin, &in, &id, &err), &err);
	assert_true(id > 0);
	assert_ok(cnt_film_get(ctx, id, &f, &err), &err);
	assert_string_equal(f.title, "Dune: Part Two");
	assert_string_equal(f.description, "Paul unites with the Fremen.");
	assert_int_equal(f.runtime_min, 166);
	assert_string_equal(f.rating, "PG-13");
	assert_string_equal(f.poster_url, "https://example.org/dune.jpg");
	/* "sci-fi" is the same genre as "Sci-Fi": two genres, sorted */
	assert_int_equal(f.ngenres, 2);
	assert_string_equal(f.genres[0], "Adventure");
	assert_string_equal(f.genres[1], "Sci-Fi");
	assert_int_equal(f.upcoming, 0);
	cnt_film_free(&f);

	assert_ok(cnt_film_by_title(ctx, "DUNE: PART TWO", &f, &err), &err);
	assert_int_equal(f.id, id);
	cnt_film_free(&f);

	assert_ok(cnt_genre_list(ctx, &g, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].name, "Adventure");
	assert_int_equal(g[1].films, 1);
	cnt_genres_free(g, n);
}

static void
test_duplicate_title_ignoring_case(void **state)
{
	struct cnt_film_input in = { .title = "the matrix", .runtime_min = 136 };
	struct cnt_error err;
	int64_t		id;

	(void)state;
	mk_film(ctx, "The Matrix", 136);
	assert_refused(cnt_film_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "\"the matrix\" already exists");
	assert_string_equal(err.field, "title");
}

static void
test_invalid_fields_named(void **state)
{
	struct cnt_film_input in = { .title = "Bad", .runtime_min = 90 };
	const char     *longg[] = { "a genre name that is far longer than forty "
	    "characters" };
	struct cnt_error err;
	int64_t		id;

	(void)state;
	in.runtime_min = 0;
	assert_refused(cnt_film_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_INVALID);
	assert_string_equal(err.field, "runtime");
	in.runtime_min = 90;
	in.rating = "X";
	assert_refused(cnt_film_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_INVALID);
	assert_string_equal(err.field, "rating");
	in.rating = "R";
	in.poster_url = "ftp://x/y.png";
	assert_refused(cnt_film_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_INVALID);
	assert_string_equal(err.field, "poster_url");
	in.poster_url = NULL;
	in.title = "";
	assert_refused(cnt_film_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_INVALID);
	assert_string_equal(err.field, "title");
	in.title = "Bad";
	in.genres = longg;
	in.ngenres = 1;
	assert_refused(cnt_film_create(ctx, &admin, &in, &id, &err), &err,
	    CNT_E_INVALID);
	assert_string_equal(err.field, "genres");
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM movies WHERE"
	    " title = 'Bad'", NULL, NULL, NULL), 0);
}

static void
test_wrong_role_changes_nothing(void **state)
{
	struct cnt_film_input in = { .title = "Forbidden", .runtime_min = 90 };
	struct cnt_error err;
	int64_t		id, before, film;
	char		buf[CNT_I64BUF];

	(void)state;
	film = mk_film(ctx, "Keep Me", 100);
	before = sql_i64(ctx, "SELECT count(*) FROM movies", NULL, NULL, NULL);
	assert_refused(cnt_film_create(ctx, &staff, &in, &id, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_film_create(ctx, &customer, &in, &id, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_film_update(ctx, &staff, film, &in, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_film_delete(ctx, &customer, film, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM movies", NULL, NULL,
	    NULL), before);
	assert_int_equal(sql_i64(ctx, "SELECT runtime_min FROM movies WHERE"
	    " id = $1", cnt_i64(buf, film), NULL, NULL), 100);
}

static void
test_update_replaces_fields_and_genres(void **state)
{
	const char     *g1[] = { "Drama" }, *g2[] = { "Comedy", "Romance" };
	struct cnt_film_input in = { .title = "Before", .runtime_min = 100,
	    .genres = g1, .ngenres = 1 };
	struct cnt_film f;
	struct cnt_error err;
	int64_t		id;

	(void)state;
	assert_ok(cnt_film_create(ctx, &admin, &in, &id, &err), &err);
	in.title = "After";
	in.rating = "G";
	in.runtime_min = 101;
	in.genres = g2;
	in.ngenres = 2;
	assert_ok(cnt_film_update(ctx, &admin, id, &in, &err), &err);
	assert_ok(cnt_film_get(ctx, id, &f, &err), &err);
	assert_string_equal(f.title, "After");
	assert_string_equal(f.rating, "G");
	assert_int_equal(f.runtime_min, 101);
	assert_int_equal(f.ngenres, 2);
	assert_string_equal(f.genres[0], "Comedy");
	cnt_film_free(&f);
	assert_refused(cnt_film_update(ctx, &admin, 999999, &in, &err), &err,
	    CNT_E_NOTFOUND);
	/* renaming onto another film's title is a conflict */
	mk_film(ctx, "Taken Title", 90);
	in.title = "TAKEN TITLE";
	assert_refused(cnt_film_update(ctx, &admin, id, &in, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "TAKEN TITLE");
}

static void
test_list_search_title_and_genre(void **state)
{
	const char     *g[] = { "Horrorcore" };
	struct cnt_film_input in = { .title = "Quiet Night", .runtime_min = 95,
	    .genres = g, .ngenres = 1 };
	struct cnt_film *f;
	struct cnt_error err;
	size_t		n;
	int64_t		id;

	(void)state;
	assert_ok(cnt_film_create(ctx, &admin, &in, &id, &err), &err);
	mk_film(ctx, "Loud Nightmare", 95);
	assert_ok(cnt_film_list(ctx, "horrorCORE", &f, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].title, "Quiet Night");
	cnt_films_free(f, n);
	assert_ok(cnt_film_list(ctx, "night", &f, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].title, "Loud Nightmare");	/* by title */
	cnt_films_free(f, n);
	/* LIKE wildcards are plain characters */
	assert_ok(cnt_film_list(ctx, "%", &f, &n, &err), &err);
	assert_int_equal(n, 0);
	cnt_films_free(f, n);
}

static void
test_delete_film_with_upcoming_sales_refused(void **state)
{
	struct cnt_film f;
	struct cnt_error err;
	int64_t		film, th, show;
	char		buf[CNT_I64BUF];

	(void)state;
	film = mk_film(ctx, "Sold Out Soon", 120);
	th = mk_theatre(ctx, "Delete Hall", small_layout);
	show = mk_show_sql(ctx, film, th, "now() + interval '2 days'", 1000);
	sell(ctx, show, 2, 1000, "confirmed", 0);
	assert_refused(cnt_film_delete(ctx, &admin, film, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "\"Sold Out Soon\" cannot be deleted");
	assert_contains(err.msg, "1 upcoming showtime has tickets sold");
	assert_ok(cnt_film_get(ctx, film, &f, &err), &err);
	assert_int_equal(f.upcoming, 1);
	cnt_film_free(&f);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtimes WHERE"
	    " movie_id = $1", cnt_i64(buf, film), NULL, NULL), 1);
}

static void
test_delete_film_with_past_bookings_refused(void **state)
{
	struct cnt_error err;
	int64_t		film, th, show;

	(void)state;
	film = mk_film(ctx, "Old Hit", 120);
	th = mk_theatre(ctx, "History Hall", small_layout);
	show = mk_show_sql(ctx, film, th, "now() - interval '5 days'", 1000);
	sell(ctx, show, 1, 1000, "completed", 1);
	assert_refused(cnt_film_delete(ctx, &admin, film, &err), &err,
	    CNT_E_CONFLICT);
	assert_contains(err.msg, "kept for the reports");
}

static void
test_delete_film_without_sales_removes_showtimes(void **state)
{
	struct cnt_film f;
	struct cnt_error err;
	int64_t		film, th;
	char		buf[CNT_I64BUF];

	(void)state;
	film = mk_film(ctx, "Nobody Came", 90);
	th = mk_theatre(ctx, "Empty Hall", small_layout);
	mk_show_sql(ctx, film, th, "now() + interval '1 day'", 900);
	mk_show_sql(ctx, film, th, "now() - interval '1 day'", 900);
	assert_ok(cnt_film_delete(ctx, &admin, film, &err), &err);
	assert_refused(cnt_film_get(ctx, film, &f, &err), &err, CNT_E_NOTFOUND);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM showtimes WHERE"
	    " movie_id = $1", cnt_i64(buf, film), NULL, NULL), 0);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM audit_log WHERE"
	    " action = 'film.delete' AND entity_id = $1", buf, NULL, NULL), 1);
	assert_refused(cnt_film_delete(ctx, &admin, film, &err), &err,
	    CNT_E_NOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_get_with_genres),
		cmocka_unit_test(test_duplicate_title_ignoring_case),
		cmocka_unit_test(test_invalid_fields_named),
		cmocka_unit_test(test_wrong_role_changes_nothing),
		cmocka_unit_test(test_update_replaces_fields_and_genres),
		cmocka_unit_test(test_list_search_title_and_genre),
		cmocka_unit_test(test_delete_film_with_upcoming_sales_refused),
		cmocka_unit_test(test_delete_film_with_past_bookings_refused),
		cmocka_unit_test(test_delete_film_without_sales_removes_showtimes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
