/* test-config.c - the cinetty.conf loader: values, precedence, errors. */
#include <unistd.h>

#include "testlib.h"

static char *
write_conf(const char *text)
{
	char   *path = xstrdup("/tmp/cinetty-conf-XXXXXX");
	int	fd = mkstemp(path);
	FILE   *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static int
load(struct cnt_config *cfg, const char *text, struct cnt_error *err)
{
	char   *path = write_conf(text);
	int	rc;

	cnt_config_init(cfg);
	rc = cnt_config_load_file(cfg, path, err);
	unlink(path);
	free(path);
	return rc;
}

static void
test_defaults(void **state)
{
	struct cnt_config cfg;

	(void)state;
	cnt_config_init(&cfg);
	assert_int_equal(cfg.hold_minutes, 10);
	assert_int_equal(cfg.max_seats_per_booking, 10);
	assert_int_equal(cfg.cleaning_minutes, 15);
	assert_int_equal(cfg.redis_timeout_ms, 200);
	assert_int_equal(cfg.nlisten, 1);
	assert_string_equal(cfg.listen[0], "127.0.0.1:2222");
	assert_string_equal(cfg.guest_user, "guest");
	assert_false(cfg.worker);
	cnt_config_free(&cfg);
}

static void
test_file_values(void **state)
{
	struct cnt_config cfg;
	struct cnt_error err;

	(void)state;
	assert_ok(load(&cfg,
	    "# a comment\n"
	    "\n"
	    "cinema_name = \"Cine Nova\"\n"
	    "  hold_minutes=7   \n"
	    "worker = yes\n"
	    "listen = 0.0.0.0:2200\n"
	    "listen = [::1]:2200\n", &err), &err);
	assert_string_equal(cfg.cinema_name, "Cine Nova");
	assert_int_equal(cfg.hold_minutes, 7);
	assert_true(cfg.worker);
	/* the file's list replaces the default, then appends */
	assert_int_equal(cfg.nlisten, 2);
	assert_string_equal(cfg.listen[0], "0.0.0.0:2200");
	assert_string_equal(cfg.listen[1], "[::1]:2200");
	cnt_config_free(&cfg);
}

static void
test_unknown_key(void **state)
{
	struct cnt_config cfg;
	struct cnt_error err;

	(void)state;
	assert_refused(load(&cfg, "hold_minutes = 5\nholdminutes = 5\n", &err),
	    &err, CNT_E_INVALID);
	assert_contains(err.msg, ":2: unknown key \"holdminutes\"");
	cnt_config_free(&cfg);
}

static void
test_malformed_line(void **state)
{
	struct cnt_config cfg;
	struct cnt_error err;

	(void)state;
	assert_refused(load(&cfg, "# ok\nhold_minutes 5\n", &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, ":2: expected \"key = value\"");
	cnt_config_free(&cfg);
}

static void
test_bad_values(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "listen = 127.0.0.1:99999\n", ":1: listen: expected address:port" },
		{ "listen = 127.0.0.1\n", ":1: listen: expected address:port" },
		{ "hold_minutes = ten\n", ":1: hold_minutes: not a whole number" },
		{ "hold_minutes = 0\n", ":1: hold_minutes: 0 is out of range" },
		{ "worker = maybe\n", ":1: worker: expected yes or no" },
		{ "redis = localhost\n", ":1: redis: expected host:port" },
		{ "redis = unix:relative\n", ":1: redis: unix: needs an absolute" },
		{ "log_level = loud\n", ":1: log_level: expected debug" },
		{ "\n\nmax_sessions = -3\n", ":3: max_sessions: -3 is out of range" },
	};
	struct cnt_config cfg;
	struct cnt_error err;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_refused(load(&cfg, cases[i].text, &err), &err,
		    CNT_E_INVALID);
		assert_contains(err.msg, cases[i].want);
		assert_contains(err.msg, "/tmp/cinetty-conf-");
		cnt_config_free(&cfg);
	}
}

static void
test_missing_file(void **state)
{
	struct cnt_config cfg;
	struct cnt_error err;

	(void)state;
	cnt_config_init(&cfg);
	assert_refused(cnt_config_load_file(&cfg, "/nonexistent/cinetty.conf",
	    &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "/nonexistent/cinetty.conf: No such file");
	cnt_config_free(&cfg);
}

static void
test_env_and_args_override(void **state)
{
	struct cnt_config cfg;
	struct cnt_error err;

	(void)state;
	assert_ok(load(&cfg, "hold_minutes = 7\nsweep_seconds = 9\n", &err),
	    &err);
	setenv("CINETTY_HOLD_MINUTES", "8", 1);
	assert_ok(cnt_config_load_env(&cfg, &err), &err);
	unsetenv("CINETTY_HOLD_MINUTES");
	assert_int_equal(cfg.hold_minutes, 8);
	assert_int_equal(cfg.sweep_seconds, 9);
	assert_ok(cnt_config_set_arg(&cfg, "hold_minutes=9", &err), &err);
	assert_int_equal(cfg.hold_minutes, 9);
	assert_refused(cnt_config_set_arg(&cfg, "nonsense", &err), &err,
	    CNT_E_INVALID);
	assert_refused(cnt_config_set_arg(&cfg, "nokey=1", &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "unknown key \"nokey\"");
	setenv("CINETTY_MAX_SESSIONS", "lots", 1);
	assert_refused(cnt_config_load_env(&cfg, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "CINETTY_MAX_SESSIONS");
	unsetenv("CINETTY_MAX_SESSIONS");
	cnt_config_free(&cfg);
}

static void
test_copy_is_deep(void **state)
{
	struct cnt_config a, b;

	(void)state;
	cnt_config_init(&a);
	cnt_config_copy(&b, &a);
	cnt_config_free(&a);
	assert_string_equal(b.cinema_name, "cinetty");
	assert_string_equal(b.listen[0], "127.0.0.1:2222");
	cnt_config_free(&b);
}

static void
test_every_key_documented(void **state)
{
	const struct cnt_config_key *keys;
	size_t	n, i;

	(void)state;
	keys = cnt_config_keys(&n);
	assert_true(n > 30);
	for (i = 0; i < n; i++) {
		assert_non_null(keys[i].help);
		assert_true(strlen(keys[i].help) > 5);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_values),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_malformed_line),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_env_and_args_override),
		cmocka_unit_test(test_copy_is_deep),
		cmocka_unit_test(test_every_key_documented),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
