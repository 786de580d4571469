/*
 * test-app-files.c - the app writes files only on its own console: the
 * admin reports screen's "write CSV" works in `cinetty tui` (opts.local)
 * and is refused over SSH, where the file would land on the server.
 * The app runs headless (a key script), as an admin, against the test
 * database.
 */
#include <sys/stat.h>

#include "test-booking.h"
#include "tui.h"

/* Run the app as ACCOUNT_ID (local or not) on KEYS; its exit status. */
static int
run_app(int64_t account_id, bool local, const char *keys)
{
	struct cnt_config cfg;
	struct tui_opts	 o;
	const char	*tmp = getenv("CINETTY_TEST_TMP");
	char		*script = xasprintf("%s/app-files.keys", tmp);
	char		*screen = xasprintf("%s/app-files.screen", tmp);
	FILE		*f, *out;
	int		 rc;

	f = fopen(script, "w");
	assert_non_null(f);
	fputs(keys, f);
	fclose(f);
	out = fopen(screen, "w");
	assert_non_null(out);
	test_config(&cfg);
	memset(&o, 0, sizeof o);
	o.cfg = &cfg;
	o.in = stdin;
	o.out = out;
	o.peer = local ? "local" : "192.0.2.1";
	o.local = local;
	o.account_id = account_id;
	o.script = script;
	o.script_cols = 120;
	o.script_rows = 36;
	rc = tui_run(&o);
	fclose(out);
	if (rc != 0) {
		fprintf(stderr, "the app's last screen:\n");
		f = fopen(screen, "r");
		if (f != NULL) {
			int c;

			while ((c = getc(f)) != EOF)
				putc(c, stderr);
			fclose(f);
		}
	}
	cnt_config_free(&cfg);
	free(script);
	free(screen);
	return rc;
}

static void
test_csv_written_only_locally(void **state)
{
	struct cnt_ctx	*ctx = test_ctx();
	struct cnt_actor boss = bk_account(ctx, "admin");
	const char	*tmp = getenv("CINETTY_TEST_TMP");
	char		*path = xasprintf("%s/app-files-report.csv", tmp);
	char		*keys;
	struct stat	 st;

	(void)state;
	unlink(path);
	/* Over SSH: refused, with the way to do it instead; no file. */
	keys = xstrdup("key d\nkey p\nexpect Revenue by film\nkey w\n"
	    "expect CSV files are written by the local app\n"
	    "expect cinetty report ... --csv\n");
	assert_int_equal(run_app(boss.account_id, false, keys), 0);
	assert_int_equal(stat(path, &st), -1);
	free(keys);
	/* On the console: written. */
	keys = xasprintf("key d\nkey p\nexpect Revenue by film\nkey w\n"
	    "expect CSV file:\nkey Backspace 60\ntype %s\nkey Enter\n"
	    "expect Wrote\n", path);
	assert_int_equal(run_app(boss.account_id, true, keys), 0);
	assert_int_equal(stat(path, &st), 0);
	free(keys);
	unlink(path);
	free(path);
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_written_only_locally),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
