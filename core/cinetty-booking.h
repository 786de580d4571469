/*
 * cinetty-booking.h - seat maps, holds, pricing, payment, bookings, cancel,
 * check-in, walk-up sales and the worker's system operations.
 * Part of the public API: include "cinetty.h", not this.
 * (booking.c, pricing.c, code.c)
 *
 * The life of a sale: cnt_seatmap_get shows the seats; cnt_hold_seats takes
 * some for hold_minutes (all or none, one round trip, a new hold replaces the
 * account's previous one on that showtime); cnt_booking_confirm pays and
 * turns the hold into a booking with a code like "K7P-4QX". Staff can do
 * both at once with cnt_walkup_sell. An expired hold never blocks anyone:
 * the hold path treats it as free, the worker only tidies up.
 *
 * Money is integer cents. Prices: a seat's price is fixed at hold time as
 *   seat = round(base_price * seat_type_percent / 100)
 * and the ticket price charged at confirm is
 *   ticket = round(seat * ticket_type_percent / 100)
 * each rounding half up to the cent (cnt_price_apply). The seat map and the
 * hold show the seat price, which is what an adult ticket costs.
 */
#ifndef CINETTY_BOOKING_H
#define CINETTY_BOOKING_H

/* ------------------------------------------------------------------ */
/* Pricing (pricing.c)                                                  */

/* round(cents * percent / 100), half up; integers only. */
int	cnt_price_apply(int cents, int percent);

struct cnt_ticket_type {
	char	       *code;		/* "adult", "child", "senior" */
	char	       *label;		/* "Child (under 12)" */
	int		percent;	/* of the seat price */
	int		position;	/* display order */
	bool		active;		/* inactive types cannot be sold */
};

struct cnt_price_rules {
	int		seat_percent[CNT_SEAT_NTYPES];	/* by enum cnt_seat_type */
	struct cnt_ticket_type *ticket_types;		/* ordered by position */
	size_t		nticket_types;
};

/* Anyone may read the rules. Free with cnt_price_rules_free. */
int	cnt_price_rules_get(struct cnt_ctx *, struct cnt_price_rules *,
	    struct cnt_error *);
void	cnt_price_rules_free(struct cnt_price_rules *);
/* Admin only: a seat type's surcharge percent (0..1000). Applies to holds
 * made afterwards; held seats keep their price. */
int	cnt_price_set_seat_type(struct cnt_ctx *, const struct cnt_actor *,
	    enum cnt_seat_type, int percent, struct cnt_error *);
/* Admin only: create or change a ticket type (code [a-z]{2,16}, label,
 * percent 0..1000, active). LABEL NULL keeps the old label. */
int	cnt_price_set_ticket_type(struct cnt_ctx *, const struct cnt_actor *,
	    const char *code, const char *label, int percent, bool active,
	    struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Seat map                                                             */

enum cnt_seat_state {
	CNT_SEAT_FREE = 0,
	CNT_SEAT_HELD,		/* held by someone else (live hold) */
	CNT_SEAT_SOLD,
	CNT_SEAT_MINE		/* held by the asking account */
};

const char *cnt_seat_state_name(enum cnt_seat_state);

struct cnt_seat {
	int64_t		seat_id;
	char		row[4];		/* "A" ... */
	int		number;
	enum cnt_seat_type type;
	int		x, y;		/* column and line in the layout */
	enum cnt_seat_state state;
	int		price_cents;	/* seat price (adult); the held price
					   when MINE, else today's rules */
};

struct cnt_seatmap {
	int64_t		showtime_id;
	char	       *movie_title;
	char	       *theatre_name;
	time_t		starts_at;
	time_t		ends_at;
	int		base_price_cents;
	bool		bookable;	/* scheduled and not started */
	struct cnt_seat *seats;		/* ordered by y, x */
	size_t		nseats;
	int		width, height;	/* of the layout, for drawing */
	int		nfree;		/* free seats (expired holds count) */
	int64_t		my_hold_id;	/* the actor's live hold here, or 0 */
	time_t		my_hold_expires;
};

/* Every seat of SHOWTIME with its state, in one query. ACTOR decides which
 * seats are MINE (guests: none). Free with cnt_seatmap_free. */
int	cnt_seatmap_get(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t showtime_id, struct cnt_seatmap *, struct cnt_error *);
void	cnt_seatmap_free(struct cnt_seatmap *);

/*
 * Best available N (1..max_seats_per_booking) seats of SHOWTIME: adjacent
 * seats in one row, preferring the middle rows and the centre of a row,
 * never leaving a lone free seat between taken ones when another choice
 * exists. Wheelchair and companion places only with ACCESSIBLE (then only
 * rows that have them count). Fills SEAT_IDS (room for N) and does NOT hold
 * them: pass them to cnt_hold_seats. CONFLICT when no N adjacent seats are
 * free. Seats held by the actor count as free.
 */
int	cnt_best_available(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t showtime_id, int n, bool accessible, int64_t *seat_ids,
	    struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Holds                                                                */

struct cnt_hold_seat {
	int64_t		seat_id;
	char		row[4];
	int		number;
	enum cnt_seat_type type;
	int		price_cents;	/* fixed at hold time */
};

struct cnt_hold {
	int64_t		hold_id;
	int64_t		showtime_id;
	time_t		expires_at;
	struct cnt_hold_seat *seats;	/* ordered by seat id */
	size_t		nseats;
	int		total_cents;	/* sum of the seat prices */
};

void	cnt_hold_free(struct cnt_hold *);	/* the seats, not the struct */

/*
 * Hold seats SEAT_IDS[0..N) of SHOWTIME for the actor for hold_minutes, all
 * or none, in one round trip. Customers, staff and admins may hold; guests
 * may not (FORBIDDEN). Refused: no seats or more than max_seats_per_booking
 * (INVALID), a showtime that started, was canceled or does not exist
 * (INVALID / NOTFOUND), seats already taken (CONFLICT, the message names
 * them: "Seats C5, C6 were just taken."). A new hold replaces the actor's
 * previous open hold on the showtime (its seats are freed in the same
 * statement). Schedules the hold_expiry job and publishes a seat change.
 */
int	cnt_hold_seats(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t showtime_id, const int64_t *seat_ids, size_t n,
	    struct cnt_hold *out, struct cnt_error *);
/* The same with a lifetime in seconds instead of hold_minutes (tests,
 * benchmarks); LIFETIME <= 0 means hold_minutes. */
int	cnt_hold_seats_for(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t showtime_id, const int64_t *seat_ids, size_t n,
	    int lifetime_seconds, struct cnt_hold *out, struct cnt_error *);
/* The actor's live hold on SHOWTIME; NOTFOUND if none. */
int	cnt_hold_get(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t showtime_id, struct cnt_hold *out, struct cnt_error *);
/* Give a hold up (the owner, or staff/admin): its seats are free at once.
 * Releasing a hold that is gone already is not an error. */
int	cnt_hold_release(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t hold_id, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Payment input                                                        */

enum cnt_pay_method {
	CNT_PAY_CARD = 0,	/* the demo card provider */
	CNT_PAY_CASH		/* box office only (staff, admin) */
};

const char *cnt_pay_method_name(enum cnt_pay_method);

/* A card as typed. Only the last four digits are ever stored. */
struct cnt_card {
	const char     *number;		/* digits; spaces and dashes ignored */
	int		exp_month;	/* 1..12 */
	int		exp_year;	/* 2026 or 26 */
	const char     *cvc;		/* 3 or 4 digits */
};

/* Check a card's format (Luhn, expiry not past, CVC) without charging it;
 * INVALID with err.field "number", "expiry" or "cvc". For forms. */
int	cnt_card_check(const struct cnt_card *, struct cnt_error *);

struct cnt_payment_input {
	enum cnt_pay_method method;
	struct cnt_card	card;		/* CNT_PAY_CARD */
	int		cash_given_cents; /* CNT_PAY_CASH: >= the total */
};

/* Which ticket type a seat is sold as; seats not listed sell as "adult". */
struct cnt_ticket_choice {
	int64_t		seat_id;
	const char     *ticket_type;	/* a ticket_types code */
};

/* ------------------------------------------------------------------ */
/* Bookings                                                             */

enum cnt_booking_status {
	CNT_BOOKING_CONFIRMED = 0,
	CNT_BOOKING_CANCELED,
	CNT_BOOKING_REFUNDED,
	CNT_BOOKING_COMPLETED,
	CNT_BOOKING_NO_SHOW
};

const char *cnt_booking_status_name(enum cnt_booking_status);
int	cnt_booking_status_parse(const char *, enum cnt_booking_status *);

struct cnt_ticket {
	int64_t		id;
	int64_t		seat_id;
	char		row[4];
	int		number;
	enum cnt_seat_type seat_type;
	char	       *ticket_type;	/* code */
	char	       *ticket_label;
	int		price_cents;
	char	       *status;		/* "valid", "canceled", "refunded" */
	time_t		checked_in_at;	/* 0: not checked in */
};

struct cnt_booking {
	int64_t		id;
	char		code[8];	/* "K7P-4QX" */
	int64_t		account_id;	/* 0: walk-up */
	char	       *account_name;	/* username, "" for walk-up */
	char	       *email;		/* account's, "" for walk-up */
	char	       *customer_name;	/* full name or the walk-up name */
	int64_t		showtime_id;
	int64_t		movie_id;
	char	       *movie_title;
	int64_t		theatre_id;
	char	       *theatre_name;
	time_t		starts_at;
	time_t		ends_at;
	enum cnt_booking_status status;
	char	       *channel;	/* "ssh", "boxoffice" */
	int		total_cents;
	int		nseats;
	char	       *seats_text;	/* "C5 C6 C7" */
	int64_t		sold_by;	/* staff account, walk-up; else 0 */
	time_t		created_at;
	time_t		canceled_at;	/* 0 if not */

	/* Filled by the single-booking calls (get, confirm, sell, cancel,
	 * check-in); lists leave tickets empty and payment zero. */
	struct cnt_ticket *tickets;
	size_t		ntickets;
	char	       *pay_method;	/* "card", "cash", "demo", "" */
	char	       *pay_status;	/* "approved", "refunded", "" */
	char		card_last4[5];
	int		paid_cents;
	int		refunded_cents;
	int		change_cents;	/* cash sales: change due */
};

void	cnt_booking_free(struct cnt_booking *);	/* contents */
void	cnt_bookings_free(struct cnt_booking *, size_t);	/* an array */

/*
 * Confirm the actor's live hold HOLD_ID with payment. CHOICES sets a ticket
 * type per seat. In one transaction: a payment (card: Luhn-checked, 4242...
 * approves, 4000 0000 0000 0002 declines with INVALID "Your card was
 * declined." and the hold is kept; cash only for staff/admin), the booking
 * with its code, tickets, seats sold, and a 'confirmation' mail_outbox row.
 * An expired or unknown hold: CONFLICT "Your hold expired ...", nothing
 * charged. OUT (may be NULL) gets the booking with tickets and payment.
 * Staff and admins confirming their own hold sell at the box office
 * (channel boxoffice, no customer account, sold_by the actor).
 */
int	cnt_booking_confirm(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t hold_id, const struct cnt_ticket_choice *choices,
	    size_t nchoices, const struct cnt_payment_input *,
	    struct cnt_booking *out, struct cnt_error *);

/* A walk-up sale at the box office (staff, admin): hold + pay in one call.
 * Channel boxoffice, sold_by and taken_by the actor, CUSTOMER_NAME optional
 * (NULL or ""). OUT->change_cents is the change due for cash. */
struct cnt_walkup {
	int64_t		showtime_id;
	const int64_t  *seat_ids;
	size_t		nseats;
	const struct cnt_ticket_choice *choices;
	size_t		nchoices;
	const char     *customer_name;
	struct cnt_payment_input pay;
};

int	cnt_walkup_sell(struct cnt_ctx *, const struct cnt_actor *,
	    const struct cnt_walkup *, struct cnt_booking *out,
	    struct cnt_error *);

/*
 * Cancel booking ID and refund it in full. Customers: only their own, only
 * upcoming and only up to cancel_cutoff_minutes before the start; staff and
 * admin: any booking before the start. Records a refund, marks payment and
 * tickets refunded, the booking 'refunded', frees the seats at once and
 * queues a 'cancellation' mail. REASON may be NULL. OUT may be NULL.
 */
int	cnt_booking_cancel(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t booking_id, const char *reason, struct cnt_booking *out,
	    struct cnt_error *);

/*
 * Check in booking CODE (staff, admin), from checkin_open_minutes before
 * the start until the end of the show. TICKET_IDS[0..N) picks some tickets,
 * N = 0 means all. When every chosen ticket is checked in already:
 * CONFLICT "Already checked in at 19:02." (the first time, cinema time).
 * OUT (may be NULL) gets the booking afterwards.
 */
int	cnt_checkin(struct cnt_ctx *, const struct cnt_actor *,
	    const char *code, const int64_t *ticket_ids, size_t n,
	    struct cnt_booking *out, struct cnt_error *);

/* Staff, admin: mark a confirmed booking with nothing checked in as
 * no-show, once its show has started. */
int	cnt_booking_no_show(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t booking_id, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Lookups                                                              */

/* One booking with tickets and payment; customers only their own
 * (others' look NOTFOUND). */
int	cnt_booking_get(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t booking_id, struct cnt_booking *, struct cnt_error *);
int	cnt_booking_get_by_code(struct cnt_ctx *, const struct cnt_actor *,
	    const char *code, struct cnt_booking *, struct cnt_error *);

/* The actor's bookings: UPCOMING (show not ended, soonest first) or past
 * (latest first). Lists carry no tickets. */
int	cnt_bookings_mine(struct cnt_ctx *, const struct cnt_actor *,
	    bool upcoming, struct cnt_booking **out, size_t *n,
	    struct cnt_error *);

/* Staff, admin: bookings whose code is QUERY, or whose customer name,
 * username or email contains it (case-insensitive); newest show first, at
 * most 100. */
int	cnt_bookings_lookup(struct cnt_ctx *, const struct cnt_actor *,
	    const char *query, struct cnt_booking **out, size_t *n,
	    struct cnt_error *);

/* Admin list with filters; zero/NULL fields do not filter. */
struct cnt_booking_filter {
	time_t		from, to;	/* show start in [from, to) */
	int64_t		movie_id;
	int64_t		theatre_id;
	int64_t		showtime_id;
	bool		by_status;
	enum cnt_booking_status status;
	int		offset;
	int		limit;		/* 0: 50; at most 500 */
};

/* *TOTAL gets the number of matches ignoring paging (may be NULL). */
int	cnt_bookings_list(struct cnt_ctx *, const struct cnt_actor *,
	    const struct cnt_booking_filter *, struct cnt_booking **out,
	    size_t *n, size_t *total, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Showtime cancel (admin)                                              */

/* Cancel SHOWTIME (not started yet): status canceled, every confirmed
 * booking canceled and refunded with a cancellation mail, all seats freed.
 * *REFUNDED (may be NULL) gets the number of bookings refunded. */
int	cnt_showtime_cancel(struct cnt_ctx *, const struct cnt_actor *,
	    int64_t showtime_id, int *refunded, struct cnt_error *);

/* ------------------------------------------------------------------ */
/* System operations for the worker: no actor, idempotent.              */

/* Free the seats of HOLD_ID if its hold has expired (a live or confirmed
 * hold is left alone). *RELEASED (may be NULL) gets the seats freed. */
int	cnt_hold_expire(struct cnt_ctx *, int64_t hold_id, int *released,
	    struct cnt_error *);
/* Free every expired hold's seats. */
int	cnt_holds_sweep(struct cnt_ctx *, int *released, struct cnt_error *);
/* Confirmed bookings of SHOWTIME -> completed once it ended more than
 * complete_after_minutes ago (then the showtime is marked completed too).
 * Not yet due: CNT_OK with *COMPLETED = 0. */
int	cnt_showtime_complete(struct cnt_ctx *, int64_t showtime_id,
	    int *completed, struct cnt_error *);
/* The same for every showtime that is due. *N: bookings completed. */
int	cnt_showtimes_sweep_complete(struct cnt_ctx *, int *n,
	    struct cnt_error *);

/* ------------------------------------------------------------------ */
/* Booking codes (code.c)                                               */

/* The alphabet of codes: no 0/O, 1/I/L, 5/S, 2/Z, 8/B. */
#define CNT_CODE_ALPHABET "34679ACDEFGHJKMNPQRTUVWXY"

/* A fresh random code "XXX-XXX" into BUF (8 bytes). */
void	cnt_code_generate(char buf[8]);
/* Normalise a typed code (case, missing dash, spaces) into BUF; -1 if it
 * cannot be a code. */
int	cnt_code_normalize(const char *in, char buf[8]);

#endif
