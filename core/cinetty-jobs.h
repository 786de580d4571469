/* cinetty-jobs.h - the job queue and worker, live seat events, mail.
 * Part of the public API: include "cinetty.h", not this. (jobs.c,
 * events.c, mail.c) */
#ifndef CINETTY_JOBS_H
#define CINETTY_JOBS_H

/* ------------------------------------------------------------------ */
/* Jobs (jobs.c). A job is a kind, a key and a payload, due at a time.  */
/* Its id is "KIND:KEY", so enqueueing is idempotent per (kind, key).   */
/* Core code schedules jobs with the cnt_jobs_schedule hook.            */

#define CNT_JOB_HOLD_EXPIRY	"hold_expiry"	 /* key, payload: hold id */
#define CNT_JOB_SHOWTIME_DONE	"showtime_complete" /* showtime id */
#define CNT_JOB_MAIL		"mail"		 /* mail_outbox id */

/* Enqueue a job due at DUE_MS (ms since the epoch). If (KIND, KEY) is
 * already queued, running or dead nothing changes, except that a queued job
 * moves to an earlier due time. *CREATED (may be NULL) says whether it was
 * new. UNAVAILABLE when Redis is down. */
int	cnt_job_enqueue(struct cnt_ctx *, const char *kind, const char *key,
	    const char *payload, int64_t due_ms, bool *created,
	    struct cnt_error *);

/* A handler runs one job of its kind; it must be idempotent (running it
 * twice changes nothing the second time). CNT_ERR retries the job later
 * (backoff, counted as an attempt); a positive N means "not yet": the job
 * is due again in N ms, not counted. */
typedef int (*cnt_job_fn)(struct cnt_ctx *, const char *payload, void *arg,
	    struct cnt_error *);

struct cnt_job_handler {
	const char     *kind;
	cnt_job_fn	run;
	void	       *arg;
};

struct cnt_worker_opts {
	/* The kinds this worker runs; NULL: hold expiry, showtime
	 * completion and mail. */
	const struct cnt_job_handler *handlers;
	size_t		nhandlers;
	/* Set non-zero (by a signal handler) to stop: the current job is
	 * finished, nothing more is claimed. NULL: run until max_jobs. An
	 * int rather than sig_atomic_t (the same type on the platforms we
	 * build for) so this header needs no <signal.h>. */
	volatile int   *stop;
	int		backoff_ms;	/* first retry delay; 0 = 1000 */
	int		max_jobs;	/* return after this many (0 = no limit) */
	int		batch;		/* claim at most this many at once;
					   0 = CNT_JOB_BATCH */
	bool		no_sweep;	/* skip the PostgreSQL sweep (tests) */
};

/* Due jobs a worker claims in one round trip (one lease for all). */
#define CNT_JOB_BATCH	100

/*
 * The worker loop: claim due jobs in batches of up to CNT_JOB_BATCH with
 * one lease of job_lease_seconds, run them (hold expiries of a batch in
 * one statement, other kinds one by one; a job not started within half
 * the lease goes back on the queue unrun), report the batch in one round
 * trip, retry failures with exponential backoff,
 * move a job that failed job_max_attempts times to the dead letters (Redis
 * and a jobs_dead row); sweep PostgreSQL every sweep_seconds for expired
 * holds, ended showtimes and unsent mail (when no job is due within a
 * second, or else at most sweep_seconds late). Waits on Redis (never
 * busy-polls)
 * until the next due job, at most a second. Several workers may run at
 * once. Returns CNT_OK when stopped.
 */
int	cnt_worker_run(struct cnt_ctx *, const struct cnt_worker_opts *,
	    struct cnt_error *);

/* For a forked child of cinettyd (worker = yes) or `cinetty worker`:
 * installs SIGTERM/SIGINT handlers that stop the loop gracefully, opens
 * its own context from CFG, runs the loop. Returns an exit status. */
int	cnt_worker_main(const struct cnt_config *);

struct cnt_sweep_report {
	int	holds_released;		/* seats released from expired holds */
	int	bookings_completed;	/* after their show ended */
	int	mail_queued;		/* unsent mail put (back) on the queue */
	int	mail_sent;		/* sent directly while Redis was down */
};

/* One sweep of PostgreSQL for missed work (the worker does it every
 * sweep_seconds). Parts that fail are logged; ERR has the first. */
int	cnt_jobs_sweep(struct cnt_ctx *, struct cnt_sweep_report *,
	    struct cnt_error *);

/* What `cinetty jobs` shows. Admin only. */
struct cnt_jobs_status {
	long	due;			/* queued and due now */
	long	scheduled;		/* queued for later */
	long	inflight;		/* claimed by a worker */
	long	dead;
	long	mail_unsent;		/* mail_outbox rows not sent */
	bool	mailer_ok;		/* mail_command configured and present */
	char	mailer[256];		/* why not, or the command */
};

enum cnt_job_state { CNT_JOB_QUEUED, CNT_JOB_INFLIGHT, CNT_JOB_DEAD };

struct cnt_job {
	char	       *id;		/* "kind:key" */
	char	       *kind;
	char	       *key;
	char	       *payload;
	enum cnt_job_state state;
	int		attempts;
	int64_t		at_ms;		/* due, lease end or death */
	char	       *last_error;
};

int	cnt_jobs_status(struct cnt_ctx *, const struct cnt_actor *,
	    struct cnt_jobs_status *, struct cnt_error *);
/* Jobs in STATE, oldest first, at most LIMIT. */
int	cnt_jobs_list(struct cnt_ctx *, const struct cnt_actor *,
	    enum cnt_job_state, int limit, struct cnt_job **, size_t *,
	    struct cnt_error *);
void	cnt_jobs_free(struct cnt_job *, size_t);
/* A dead job ID ("kind:key") back on the queue, due now, attempts reset;
 * also one recorded only in jobs_dead (Redis lost it). */
int	cnt_jobs_retry(struct cnt_ctx *, const struct cnt_actor *,
	    const char *id, struct cnt_error *);
/* Forget a dead job (Redis and jobs_dead). */
int	cnt_jobs_drop(struct cnt_ctx *, const struct cnt_actor *,
	    const char *id, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Live seat events (events.c). A subscription has its own Redis        */
/* connection. Pub/sub is at-most-once, so after any (re)connect the    */
/* reader gets CNT_EV_RESYNC and must re-read the seat map from         */
/* PostgreSQL. While Redis is down, cnt_events_fd is -1 and the caller  */
/* re-reads every cnt_events_timeout_ms (a few seconds) instead.        */

enum cnt_event_kind {
	CNT_EV_NONE = 0,
	CNT_EV_SEATS,		/* seats of the showtime changed */
	CNT_EV_RESYNC		/* (re)connected: re-read everything */
};

struct cnt_event {
	enum cnt_event_kind kind;
	int64_t		showtime_id;
};

struct cnt_events;

/* Subscribe to SHOWTIME_ID (0: none yet). Never fails: if Redis is down
 * the subscription tries again later by itself. */
struct cnt_events *cnt_events_open(struct cnt_ctx *, int64_t showtime_id);
void	cnt_events_close(struct cnt_events *);
/* Follow another showtime (0: none). */
void	cnt_events_follow(struct cnt_events *, int64_t showtime_id);
/* The descriptor to poll() for input, or -1 while disconnected. */
int	cnt_events_fd(const struct cnt_events *);
/* true while subscribed over a live connection. */
bool	cnt_events_live(const struct cnt_events *);
/* The poll() timeout to use: -1 while live, else the ms until the caller
 * should re-read the seat map (and the subscription retries). */
int	cnt_events_timeout_ms(const struct cnt_events *);
/* The next event without blocking: 1 and *EV filled, or 0 if none. Call
 * it after poll() says the fd is readable or timed out; it reconnects when
 * due and reports CNT_EV_RESYNC after a (re)connect, or while disconnected
 * every few seconds (the polling fallback). */
int	cnt_events_next(struct cnt_events *, struct cnt_event *);

/* ------------------------------------------------------------------ */
/* Mail (mail.c): mail_outbox rows rendered as plain text and piped to  */
/* mail_command (sendmail -t -i by default).                            */

/* true if mail_command is set and its program exists; else WHY says so. */
bool	cnt_mail_configured(const struct cnt_config *, char *why, size_t);
/* The message for outbox row ID, headers and body: owned by the caller. */
int	cnt_mail_render(struct cnt_ctx *, int64_t outbox_id, char **text,
	    struct cnt_error *);
/* Send outbox row ID unless already sent (idempotent), marking it sent. */
int	cnt_mail_send(struct cnt_ctx *, int64_t outbox_id, struct cnt_error *);

#endif
