/*
 * test-log.c - log lines stay one line: values a user controls (a login
 * name, an exec command sent over SSH) cannot forge a second line or put
 * terminal escape sequences into the log.
 */
#include "testlib.h"

/* A value with a newline, a carriage return and an escape sequence ends
 * up on the one line of its event, the control bytes replaced. */
static void
test_log_control_characters(void **state)
{
	FILE	*f = tmpfile();
	char	 buf[4096];
	size_t	 n;

	(void)state;
	assert_non_null(f);
	cnt_log_init(CNT_LOG_INFO, f);
	log_info("event=signin_failed login=%s", "eve\n2026-01-01T00:00:00Z"
	    " level=info event=signin account=1\r\x1b[2J\x7f");
	cnt_log_init(CNT_LOG_INFO, NULL);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	if (strchr(buf, '\n') != buf + n - 1)
		fail_msg("expected one log line, got \"%s\"", buf);
	if (strpbrk(buf, "\r\x1b\x7f") != NULL)
		fail_msg("expected no control characters in \"%s\"", buf);
	assert_contains(buf, "login=eve?2026-01-01T00:00:00Z level=info");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_control_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
