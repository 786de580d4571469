/* cinetty-status.h - health of an installation: `cinetty status` and the
 * node heartbeats behind it. Part of the public API: include "cinetty.h",
 * not this. (status.c) */
#ifndef CINETTY_STATUS_H
#define CINETTY_STATUS_H

/* A cinettyd node as its last heartbeat described it. */
struct cnt_node {
	char	       *name;		/* "host:port" or as configured */
	int		sessions;
	int64_t		seen_ms;	/* last heartbeat, ms since the epoch */
};

/* Record that node NAME is alive with SESSIONS open (cinettyd calls it
 * every few seconds). Best effort: UNAVAILABLE when Redis is down. */
int	cnt_node_heartbeat(struct cnt_ctx *, const char *name, int sessions,
	    struct cnt_error *);
/* Remove NAME from the node list (clean shutdown). */
void	cnt_node_forget(struct cnt_ctx *, const char *name);

struct cnt_status {
	bool		db_ok;
	double		db_ms;			/* round trip of SELECT 1 */
	char	       *db_version;		/* server_version */
	char	       *db_error;
	int		migrations;		/* applied */
	char	       *last_migration;

	bool		redis_ok;
	double		redis_ms;		/* round trip of PING */
	char	       *redis_version;
	char	       *redis_error;

	bool		jobs_ok;
	struct cnt_jobs_status jobs;

	struct cnt_node *nodes;			/* alive in the last minute */
	size_t		nnodes;

	long		live_holds;		/* holds not expired now */
	long		held_seats;
	long		sales_last_hour;	/* bookings confirmed */
	long		tickets_last_hour;
	long		revenue_last_hour_cents;
};

/* Everything that can be found out; a part that fails says so in its
 * *_ok / *_error fields instead of failing the call. Admin only. */
int	cnt_status_get(struct cnt_ctx *, const struct cnt_actor *,
	    struct cnt_status *, struct cnt_error *);
void	cnt_status_free(struct cnt_status *);

#endif
