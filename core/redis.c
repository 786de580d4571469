/* redis.c - the Redis side of a context (placeholder until the Redis work). */
#include <stdlib.h>

#include "internal.h"

void	cnt_redis_free(struct cnt_redis *);

void
cnt_redis_free(struct cnt_redis *r)
{
	free(r);
}
