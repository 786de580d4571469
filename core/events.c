/*
 * events.c - live seat events on Redis pub/sub.
 *
 * Publishing: after a commit that changed seats of a showtime, core calls
 * cnt_events_seats_changed, which PUBLISHes "seats ID" on the channel
 * cinetty:showtime:ID (best effort: Redis being down costs nothing but the
 * live update).
 *
 * Subscribing: a struct cnt_events owns its own connection in subscribe
 * mode. The TUI polls its fd together with the terminal and calls
 * cnt_events_next, which never blocks. Pub/sub is at-most-once, so after
 * every (re)connect the reader is told to re-read the seat map
 * (CNT_EV_RESYNC); while Redis is down it is told the same every
 * EVENTS_POLL_MS, which is the polling fallback.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "redis-internal.h"

#define EVENTS_POLL_MS		3000	/* re-read this often without Redis */
#define EVENTS_BACKOFF_MIN_MS	250
#define EVENTS_BACKOFF_MAX_MS	3000

static char *
events_channel(int64_t showtime_id)
{
	return xasprintf(CNT_REDIS_PREFIX "showtime:%lld",
	    (long long)showtime_id);
}

void
cnt_events_seats_changed(struct cnt_ctx *ctx, int64_t showtime_id)
{
	struct cnt_error err;
	char	       *channel = events_channel(showtime_id);
	char	       *msg = xasprintf("seats %lld", (long long)showtime_id);
	redisReply     *r;

	r = cnt_redis_cmd(ctx, &err, "PUBLISH", channel, msg, NULL);
	if (r == NULL)
		log_debug("event=publish_skipped showtime=%lld error=\"%s\"",
		    (long long)showtime_id, err.msg);
	else
		freeReplyObject(r);
	free(channel);
	free(msg);
}

struct cnt_events {
	struct cnt_config cfg;		/* a copy: the Redis settings */
	redisContext   *c;		/* NULL while disconnected */
	char	       *channel;	/* subscribed channel, or NULL */
	int64_t		showtime_id;	/* followed (0: none) */
	bool		resync;		/* report CNT_EV_RESYNC next */
	int		backoff;	/* ms, 0 after a success */
	int64_t		retry_at;	/* ms: next connection attempt */
	int64_t		poll_at;	/* ms: next polling resync while down */
};

/* Close the connection (if any) and plan the next attempt. Losing a live
 * one means events were perhaps missed: the reader must re-read. */
static void
events_drop(struct cnt_events *ev, const char *why)
{
	if (ev->c != NULL) {
		log_warn("event=events_lost showtime=%lld error=\"%s\"",
		    (long long)ev->showtime_id, why);
		redisFree(ev->c);
		ev->c = NULL;
		ev->resync = true;
		ev->poll_at = cnt_now_ms() + EVENTS_POLL_MS;
	}
	free(ev->channel);
	ev->channel = NULL;
	ev->backoff = ev->backoff == 0 ? EVENTS_BACKOFF_MIN_MS :
	    ev->backoff * 2 > EVENTS_BACKOFF_MAX_MS ? EVENTS_BACKOFF_MAX_MS :
	    ev->backoff * 2;
	ev->retry_at = cnt_now_ms() + ev->backoff;
}

/* Connect and SUBSCRIBE, waiting (at most redis_timeout_ms) for the
 * confirmation so no event after the RESYNC can be missed. */
static int
events_connect(struct cnt_events *ev)
{
	struct cnt_error err;
	const char     *argv[2];
	redisReply     *r;

	if ((ev->c = cnt_redis_open(&ev->cfg, &err)) == NULL) {
		events_drop(ev, err.msg);
		return CNT_ERR;
	}
	if (ev->showtime_id != 0) {
		ev->channel = events_channel(ev->showtime_id);
		argv[0] = "SUBSCRIBE";
		argv[1] = ev->channel;
		r = cnt_redis_raw(ev->c, 2, argv, NULL);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
			cnt_strlcpy(err.msg, r == NULL ? ev->c->errstr :
			    "SUBSCRIBE refused", sizeof err.msg);
			if (r != NULL)
				freeReplyObject(r);
			redisFree(ev->c);	/* never live: no resync */
			ev->c = NULL;
			events_drop(ev, err.msg);
			return CNT_ERR;
		}
		freeReplyObject(r);
	}
	ev->backoff = 0;
	ev->resync = true;
	return CNT_OK;
}

struct cnt_events *
cnt_events_open(struct cnt_ctx *ctx, int64_t showtime_id)
{
	struct cnt_events *ev = xcalloc(1, sizeof *ev);

	cnt_config_copy(&ev->cfg, cnt_ctx_config(ctx));
	ev->showtime_id = showtime_id;
	ev->resync = true;	/* the first read of the seat map */
	events_connect(ev);
	return ev;
}

void
cnt_events_close(struct cnt_events *ev)
{
	if (ev == NULL)
		return;
	if (ev->c != NULL)
		redisFree(ev->c);
	free(ev->channel);
	cnt_config_free(&ev->cfg);
	free(ev);
}

/* Follow another showtime: a fresh subscription (simplest correct way to
 * leave the old channel without reading its backlog). */
void
cnt_events_follow(struct cnt_events *ev, int64_t showtime_id)
{
	if (showtime_id == ev->showtime_id && ev->c != NULL)
		return;
	if (ev->c != NULL) {
		redisFree(ev->c);
		ev->c = NULL;
	}
	free(ev->channel);
	ev->channel = NULL;
	ev->showtime_id = showtime_id;
	ev->backoff = 0;
	ev->resync = true;
	events_connect(ev);
}

int
cnt_events_fd(const struct cnt_events *ev)
{
	return ev->c != NULL ? ev->c->fd : -1;
}

bool
cnt_events_live(const struct cnt_events *ev)
{
	return ev->c != NULL;
}

int
cnt_events_timeout_ms(const struct cnt_events *ev)
{
	int64_t	now = cnt_now_ms(), at;

	if (ev->resync)
		return 0;
	if (ev->c != NULL)
		return -1;
	at = ev->poll_at < ev->retry_at ? ev->poll_at : ev->retry_at;
	return at <= now ? 0 : (int)(at - now);
}

/* Is R a "message" on our channel? */
static bool
events_is_ours(const struct cnt_events *ev, const redisReply *r)
{
	return r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    strcmp(r->element[0]->str, "message") == 0 &&
	    r->element[1]->type == REDIS_REPLY_STRING &&
	    ev->channel != NULL && strcmp(r->element[1]->str, ev->channel) == 0;
}

int
cnt_events_next(struct cnt_events *ev, struct cnt_event *out)
{
	struct pollfd	pfd;
	void	       *reply;
	int64_t		now = cnt_now_ms();
	bool		ours;

	memset(out, 0, sizeof *out);
	out->showtime_id = ev->showtime_id;
	if (ev->c == NULL && now >= ev->retry_at)
		events_connect(ev);
	if (ev->resync) {
		ev->resync = false;
		ev->poll_at = now + EVENTS_POLL_MS;
		out->kind = CNT_EV_RESYNC;
		return 1;
	}
	if (ev->c == NULL) {
		if (now < ev->poll_at)
			return 0;
		ev->poll_at = now + EVENTS_POLL_MS;
		out->kind = CNT_EV_RESYNC;	/* the polling fallback */
		return 1;
	}
	for (;;) {
		reply = NULL;
		if (redisGetReplyFromReader(ev->c, &reply) != REDIS_OK) {
			events_drop(ev, "unreadable reply");
			return cnt_events_next(ev, out);
		}
		if (reply != NULL) {
			ours = events_is_ours(ev, reply);
			freeReplyObject(reply);
			if (ours) {
				out->kind = CNT_EV_SEATS;
				return 1;
			}
			continue;	/* (un)subscribe confirmations */
		}
		pfd.fd = ev->c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) <= 0)
			return 0;
		if (redisBufferRead(ev->c) != REDIS_OK) {
			events_drop(ev, ev->c->errstr[0] != '\0' ?
			    ev->c->errstr : "connection closed");
			return cnt_events_next(ev, out);
		}
	}
}
