/*
 * testlib.h - what the cmocka tests share. Include after <cmocka.h>'s
 * required headers (testlib.h includes them itself).
 *
 * tests/run.sh gives every test program a fresh migrated database (the PG*
 * environment) and an empty Redis (CINETTY_REDIS); test_config() builds a
 * config from that environment.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cinetty.h"

/* A config from defaults and the CINETTY_* environment; aborts on error. */
static inline void
test_config(struct cnt_config *cfg)
{
	struct cnt_error err;

	cnt_config_init(cfg);
	if (cnt_config_load_env(cfg, &err) != CNT_OK) {
		fprintf(stderr, "test config: %s\n", err.msg);
		abort();
	}
}

/* A context on the test database. Free with cnt_ctx_free. */
static inline struct cnt_ctx *
test_ctx(void)
{
	struct cnt_config cfg;
	struct cnt_ctx *ctx;

	test_config(&cfg);
	ctx = cnt_ctx_new(&cfg);
	cnt_config_free(&cfg);
	return ctx;
}

/* Fail the test with ERR's message unless RC is CNT_OK. */
#define assert_ok(rc, err) do {						\
	if ((rc) != CNT_OK)						\
		fail_msg("expected success, got %s: %s",			\
		    cnt_errkind_name((err)->kind), (err)->msg);		\
} while (0)

/* Fail unless RC is CNT_ERR with error kind KIND. */
#define assert_refused(rc, err, want) do {				\
	if ((rc) != CNT_ERR)						\
		fail_msg("expected refusal (%s), got success",		\
		    cnt_errkind_name(want));				\
	if ((err)->kind != (want))					\
		fail_msg("expected %s, got %s: %s",			\
		    cnt_errkind_name(want),				\
		    cnt_errkind_name((err)->kind), (err)->msg);		\
} while (0)

/* Fail unless string S contains NEEDLE. */
#define assert_contains(s, needle) do {					\
	if (strstr((s), (needle)) == NULL)				\
		fail_msg("expected \"%s\" in \"%s\"", (needle), (s));	\
} while (0)

#endif
