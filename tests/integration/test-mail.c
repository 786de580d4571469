/*
 * test-mail.c - booking mail: rendered from the outbox, piped to
 * mail_command, marked sent once; failures counted; no mailer keeps it
 * queued; the sweep and the worker deliver what is unsent, with or without
 * Redis.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "test-booking.h"
#include "redis-own.h"

static char *tmpdir;

/* A context with mail_command COMMAND (and REDIS if not NULL). */
static struct cnt_ctx *
mail_ctx(const char *command, const char *redis)
{
	char	       *set = xasprintf("mail_command=%s", command);
	const char     *sets[3] = { set, "mail_from=box@cinema.example",
			    NULL };
	struct cnt_ctx *ctx = own_ctx(redis, sets);

	free(set);
	return ctx;
}

/* A confirmed booking of 2 seats (A4, A5 at 10.00); its outbox row id. */
static int64_t
booked(struct cnt_ctx *ctx, int64_t *booking_id)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	int64_t		show = bk_show(ctx);
	int64_t		seats[2] = { bk_seat(ctx, show, "A4"),
			    bk_seat(ctx, show, "A5") };
	struct cnt_hold	h;
	struct cnt_booking bk;
	struct cnt_error err;
	int64_t		id;

	assert_ok(cnt_hold_seats(ctx, &alice, show, seats, 2, &h, &err), &err);
	assert_ok(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &bk_card_ok, &bk, &err), &err);
	*booking_id = bk.id;
	id = bk_count(ctx, "SELECT id FROM mail_outbox WHERE booking_id = $1"
	    " AND kind = 'confirmation'", bk.id);
	assert_true(id > 0);
	cnt_booking_free(&bk);
	cnt_hold_free(&h);
	return id;
}

static char *
slurp(const char *path)
{
	FILE   *f = fopen(path, "r");
	char   *buf;
	long	len;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = xcalloc(1, (size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		fail_msg("short read of %s", path);
	fclose(f);
	return buf;
}

static void
test_render_and_send_once(void **state)
{
	char	       *out = xasprintf("%s/mail-once.txt", tmpdir);
	char	       *cmd = xasprintf("cat > %s", out);
	struct cnt_ctx *ctx = mail_ctx(cmd, NULL);
	struct cnt_error err;
	int64_t		id, booking;
	char	       *text, *sent;

	(void)state;
	id = booked(ctx, &booking);
	assert_ok(cnt_mail_render(ctx, id, &text, &err), &err);
	assert_contains(text, "From: box@cinema.example\n");
	assert_contains(text, "@example.org\n");
	assert_contains(text, "Subject: cinetty: your tickets ");
	assert_contains(text, "  Film:     Booking Test");
	assert_contains(text, "  Time:     ");
	assert_contains(text, "  Theatre:  Booking Test");
	assert_contains(text, "  Seats:    A4, A5\n");
	assert_contains(text, "  Code:     ");
	assert_contains(text, "  Total:    20.00\n");

	unlink(out);
	assert_ok(cnt_mail_send(ctx, id, &err), &err);
	sent = slurp(out);
	assert_non_null(sent);
	assert_string_equal(sent, text);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE id = $1 AND sent_at IS NOT NULL AND attempts = 1", id), 1);
	/* idempotent: a second send sends nothing */
	unlink(out);
	assert_ok(cnt_mail_send(ctx, id, &err), &err);
	if (access(out, F_OK) == 0)
		fail_msg("expected no second message for outbox row %lld",
		    (long long)id);
	/* an unknown row is nothing to do */
	free(text);
	assert_ok(cnt_mail_send(ctx, 999999, &err), &err);
	assert_refused(cnt_mail_render(ctx, 999999, &text, &err), &err,
	    CNT_E_NOTFOUND);
	assert_null(text);
	free(sent);
	free(cmd);
	free(out);
	cnt_ctx_free(ctx);
}

static void
test_cancellation_mail(void **state)
{
	struct cnt_ctx *ctx = mail_ctx("cat >/dev/null", NULL);
	const struct cnt_actor sys = { 0, CNT_ROLE_ADMIN };
	struct cnt_error err;
	int64_t		booking, id;
	char	       *text;

	(void)state;
	booked(ctx, &booking);
	assert_ok(cnt_booking_cancel(ctx, &sys, booking, "test", NULL, &err),
	    &err);
	id = bk_count(ctx, "SELECT id FROM mail_outbox WHERE booking_id = $1"
	    " AND kind = 'cancellation'", booking);
	assert_true(id > 0);
	assert_ok(cnt_mail_render(ctx, id, &text, &err), &err);
	assert_contains(text, ": booking canceled ");
	assert_contains(text, "Your booking has been canceled.");
	free(text);
	cnt_ctx_free(ctx);
}

static void
test_failing_mailer_counts_attempts(void **state)
{
	struct cnt_ctx *ctx = mail_ctx("cat >/dev/null; exit 3", NULL);
	struct cnt_error err;
	int64_t		booking, id;

	(void)state;
	id = booked(ctx, &booking);
	assert_refused(cnt_mail_send(ctx, id, &err), &err, CNT_E_UNAVAILABLE);
	assert_contains(err.msg, "exited with status 3");
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE id = $1 AND sent_at IS NULL AND attempts = 1"
	    " AND last_error LIKE '%status 3%'", id), 1);
	cnt_ctx_free(ctx);
	/* a mailer that does not read its input does not kill us (SIGPIPE) */
	ctx = mail_ctx("exit 0", NULL);
	assert_ok(cnt_mail_send(ctx, id, &err), &err);
	cnt_ctx_free(ctx);
}

static void
test_no_mailer_keeps_mail_queued(void **state)
{
	const struct cnt_actor sys = { 0, CNT_ROLE_ADMIN };
	struct cnt_ctx *ctx = mail_ctx("", NULL);
	struct cnt_jobs_status st;
	struct cnt_sweep_report rep;
	struct cnt_error err;
	char		why[256];
	int64_t		booking, id;

	(void)state;
	assert_false(cnt_mail_configured(cnt_ctx_config(ctx), why, sizeof why));
	assert_contains(why, "mail stays queued");
	id = booked(ctx, &booking);
	assert_ok(cnt_mail_send(ctx, id, &err), &err);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE id = $1 AND sent_at IS NULL AND attempts = 0", id), 1);
	assert_ok(cnt_jobs_sweep(ctx, &rep, &err), &err);
	assert_int_equal(rep.mail_queued + rep.mail_sent, 0);
	assert_ok(cnt_jobs_status(ctx, &sys, &st, &err), &err);
	assert_false(st.mailer_ok);
	assert_true(st.mail_unsent >= 1);
	assert_contains(st.mailer, "mail stays queued");
	cnt_ctx_free(ctx);

	ctx = mail_ctx("/nonexistent/sendmail -t -i", NULL);
	assert_false(cnt_mail_configured(cnt_ctx_config(ctx), why, sizeof why));
	assert_contains(why, "/nonexistent/sendmail not found");
	cnt_ctx_free(ctx);
}

static int
count_files(const char *dir)
{
	DIR	       *d = opendir(dir);
	struct dirent  *e;
	int		n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
test_sweep_and_worker_deliver(void **state)
{
	char	       *dir = xasprintf("%s/mails", tmpdir);
	char	       *cmd = xasprintf("cat > %s/$$.txt", dir);
	struct cnt_ctx *ctx = mail_ctx(cmd, NULL), *down;
	struct cnt_sweep_report rep;
	struct cnt_worker_opts o;
	struct cnt_error err;
	int64_t		booking;
	int		unsent, i;

	(void)state;
	mkdir(dir, 0755);
	for (i = 0; i < 3; i++)
		booked(ctx, &booking);
	unsent = (int)sql_i64(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE sent_at IS NULL", NULL, NULL, NULL);
	assert_true(unsent >= 3);
	/* the sweep queues every unsent mail once */
	assert_ok(cnt_jobs_sweep(ctx, &rep, &err), &err);
	assert_int_equal(rep.mail_queued, unsent);
	assert_ok(cnt_jobs_sweep(ctx, &rep, &err), &err);
	assert_int_equal(rep.mail_queued, 0);
	/* the worker's mail handler sends them */
	memset(&o, 0, sizeof o);
	o.max_jobs = unsent;
	o.no_sweep = true;
	assert_ok(cnt_worker_run(ctx, &o, &err), &err);
	assert_int_equal(count_files(dir), unsent);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE sent_at IS NULL", NULL, NULL, NULL), 0);

	/* without Redis the sweep sends by itself */
	down = mail_ctx(cmd, "unix:/nonexistent/redis.sock");
	booked(down, &booking);
	assert_ok(cnt_jobs_sweep(down, &rep, &err), &err);
	assert_int_equal(rep.mail_sent, 1);
	assert_int_equal(count_files(dir), unsent + 1);
	cnt_ctx_free(down);
	free(cmd);
	free(dir);
	cnt_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_and_send_once),
		cmocka_unit_test(test_cancellation_mail),
		cmocka_unit_test(test_failing_mailer_counts_attempts),
		cmocka_unit_test(test_no_mailer_keeps_mail_queued),
		cmocka_unit_test_setup(test_sweep_and_worker_deliver,
		    flush_redis),
	};

	tmpdir = getenv("CINETTY_TEST_TMP");
	if (tmpdir == NULL)
		tmpdir = "/tmp";
	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
