/* cinetty-report.h - revenue and occupancy reports (report.c).
 * Part of the public API; include "cinetty.h", not this.
 *
 * A report covers the showtimes that start in a range of local days (the
 * cinema's zone), canceled showtimes left out. Money counts the valid
 * tickets of live bookings, attributed to the day of the show:
 *  - realized: bookings completed or no-show (the show is over, the money
 *    kept), and checked-in tickets of confirmed bookings;
 *  - potential: the other tickets of confirmed bookings (not yet shown).
 * Occupancy is seats sold / seats offered. Admin only.
 */
#ifndef CINETTY_REPORT_H
#define CINETTY_REPORT_H

enum cnt_report_by {
	CNT_REPORT_BY_FILM = 0,
	CNT_REPORT_BY_THEATRE,
	CNT_REPORT_BY_DAY,		/* every day of the range, zeros too:
					   the daily series for charts */
	CNT_REPORT_BY_SHOWTIME
};

const char     *cnt_report_by_name(enum cnt_report_by);	/* "film" ... */
int		cnt_report_by_parse(const char *, enum cnt_report_by *);

struct cnt_report_row {
	int64_t		id;		/* film, theatre or showtime id; 0 by day */
	char	       *label;		/* title, theatre name, "YYYY-MM-DD", or
					   "YYYY-MM-DD HH:MM Title (Theatre)" */
	int		showtimes;
	int64_t		realized_cents;
	int64_t		potential_cents;
	int64_t		tickets;	/* tickets sold (realized + potential) */
	int64_t		avg_price_cents;	/* revenue / tickets, 0 if none */
	int64_t		capacity;	/* seats offered */
	double		occupancy;	/* percent, 0-100: tickets / capacity */
};

struct cnt_report {
	enum cnt_report_by by;
	char		from[11];	/* "YYYY-MM-DD", inclusive */
	char		to[11];		/* inclusive */
	struct cnt_report_row *rows;	/* by label (by day: in date order;
					   by showtime: by start) */
	size_t		nrows;
	struct cnt_report_row total;	/* label "total" */
};

/* Build report BY over the local days FROM..TO (inclusive, at most 3660
 * days) in set-based SQL (one statement). Admin only. */
int	cnt_report_run(struct cnt_ctx *, const struct cnt_actor *,
	    enum cnt_report_by, const char *from, const char *to,
	    struct cnt_report *, struct cnt_error *);
void	cnt_report_free(struct cnt_report *);

#endif
