/* events.c - live seat events on Redis pub/sub (placeholder hooks). */
#include "internal.h"

void
cnt_events_seats_changed(struct cnt_ctx *ctx, int64_t showtime_id)
{
	(void)ctx;
	(void)showtime_id;
}
