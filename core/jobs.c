/* jobs.c - the job queue on Redis (placeholder hooks). */
#include "internal.h"

void
cnt_jobs_schedule(struct cnt_ctx *ctx, const char *kind, const char *key,
    const char *payload, time_t due)
{
	(void)ctx;
	(void)kind;
	(void)key;
	(void)payload;
	(void)due;
}
