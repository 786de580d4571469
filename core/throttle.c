/* throttle.c - sign-in throttling (placeholder: never refuses yet). */
#include "internal.h"

int
cnt_throttle_check(struct cnt_ctx *ctx, const char *peer, const char *login,
    struct cnt_error *err)
{
	(void)ctx;
	(void)peer;
	(void)login;
	(void)err;
	return CNT_OK;
}

void
cnt_throttle_failed(struct cnt_ctx *ctx, const char *peer, const char *login)
{
	(void)ctx;
	(void)peer;
	(void)login;
}

void
cnt_throttle_succeeded(struct cnt_ctx *ctx, const char *peer,
    const char *login)
{
	(void)ctx;
	(void)peer;
	(void)login;
}
