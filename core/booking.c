/*
 * booking.c - seat maps, holds, payment, bookings, cancel, check-in,
 * walk-up sales, lookups and the worker's system operations.
 *
 * The rules that must hold under concurrency live in the plpgsql functions
 * of db/004_booking.sql (cnt_hold, cnt_confirm, cnt_cancel, ...): each call
 * here is one round trip to one of them. This file checks who may call
 * what, validates input a person typed, and turns rows into structs.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "text.h"

#define CODE_ATTEMPTS	5	/* draws of a booking code before giving up */
#define WALKUP_HOLD_S	300	/* a walk-up hold lives within one transaction */

static const char *const seat_state_names[] = {
	"free", "held", "sold", "mine"
};

static const char *const booking_status_names[] = {
	"confirmed", "canceled", "refunded", "completed", "no_show"
};

const char *
cnt_seat_state_name(enum cnt_seat_state s)
{
	return (unsigned)s < 4 ? seat_state_names[s] : "unknown";
}

const char *
cnt_pay_method_name(enum cnt_pay_method m)
{
	return m == CNT_PAY_CASH ? "cash" : "card";
}

const char *
cnt_booking_status_name(enum cnt_booking_status s)
{
	return (unsigned)s < 5 ? booking_status_names[s] : "unknown";
}

int
cnt_booking_status_parse(const char *s, enum cnt_booking_status *out)
{
	int	i;

	for (i = 0; i < 5; i++) {
		if (strcmp(s, booking_status_names[i]) == 0) {
			*out = (enum cnt_booking_status)i;
			return CNT_OK;
		}
	}
	return CNT_ERR;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static bool
is_signed_in(const struct cnt_actor *actor)
{
	return actor != NULL && actor->role != CNT_ROLE_GUEST &&
	    (actor->account_id > 0 || actor->role == CNT_ROLE_ADMIN);
}

static bool
is_staff(const struct cnt_actor *actor)
{
	return actor != NULL && (actor->role == CNT_ROLE_STAFF ||
	    actor->role == CNT_ROLE_ADMIN);
}

/* The actor's account id as a parameter: NULL for guests and the system. */
static const char *
actor_param(const struct cnt_actor *actor, char buf[CNT_I64BUF])
{
	if (actor == NULL || actor->account_id <= 0)
		return NULL;
	return cnt_i64(buf, actor->account_id);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* "{1,2,3}" for a bigint[] parameter. Allocated. */
static char *
i64_array(const int64_t *v, size_t n)
{
	size_t	len = 3 + n * 21, off = 0, i;
	char   *s = xmalloc(len);

	s[off++] = '{';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, len - off, "%s%" PRId64,
		    i > 0 ? "," : "", v[i]);
	s[off++] = '}';
	s[off] = '\0';
	return s;
}

/*
 * "{"a","b"}" for a text[] parameter; the values are ticket type codes, but
 * quote and escape anyway so no input can change the array's shape.
 */
static char *
text_array(const char *const *v, size_t n)
{
	size_t	len = 3, off = 0, i;
	const char *c;
	char   *s;

	for (i = 0; i < n; i++)
		len += 4 + 2 * strlen(v[i] != NULL ? v[i] : "");
	s = xmalloc(len);
	s[off++] = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			s[off++] = ',';
		s[off++] = '"';
		for (c = v[i] != NULL ? v[i] : ""; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				s[off++] = '\\';
			s[off++] = *c;
		}
		s[off++] = '"';
	}
	s[off++] = '}';
	s[off] = '\0';
	return s;
}

static void
copy_row(char dst[4], const char *src)
{
	cnt_strlcpy(dst, src, 4);
}

static enum cnt_seat_type
seat_type_of(const char *s)
{
	enum cnt_seat_type t;

	return cnt_seat_type_parse(s, &t) == CNT_OK ? t : CNT_SEAT_STANDARD;
}

/* ------------------------------------------------------------------ */
/* Seat map                                                             */

void
cnt_seatmap_free(struct cnt_seatmap *m)
{
	if (m == NULL)
		return;
	free(m->movie_title);
	free(m->theatre_name);
	free(m->seats);
	memset(m, 0, sizeof *m);
}

static const char seatmap_sql[] =
    "SELECT s.id, s.row_label, s.number, s.seat_type, s.x, s.y,"
    " CASE WHEN ss.state = 'sold' THEN 'sold'"
    "  WHEN ss.state = 'held' AND ss.hold_expires > now() THEN"
    "   CASE WHEN ss.account_id = $2 THEN 'mine' ELSE 'held' END"
    "  ELSE 'free' END,"
    " CASE WHEN ss.state = 'held' AND ss.hold_expires > now()"
    "  AND ss.account_id = $2 THEN ss.price_cents"
    "  ELSE cnt_price_apply(st.base_price_cents, p.percent) END,"
    " CASE WHEN ss.state = 'held' AND ss.hold_expires > now()"
    "  AND ss.account_id = $2 THEN ss.hold_id END,"
    " extract(epoch FROM ss.hold_expires)::bigint,"
    " m.title, t.name, extract(epoch FROM st.starts_at)::bigint,"
    " extract(epoch FROM st.ends_at)::bigint, st.base_price_cents,"
    " st.status = 'scheduled' AND st.starts_at > now()"
    " FROM showtimes st"
    " JOIN movies m ON m.id = st.movie_id"
    " JOIN theatres t ON t.id = st.theatre_id"
    " JOIN showtime_seats ss ON ss.showtime_id = st.id"
    " JOIN seats s ON s.id = ss.seat_id"
    " JOIN seat_type_prices p ON p.seat_type = s.seat_type"
    " WHERE st.id = $1"
    " ORDER BY s.y, s.x";

int
cnt_seatmap_get(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t showtime_id, struct cnt_seatmap *m, struct cnt_error *err)
{
	char		 sb[CNT_I64BUF], ab[CNT_I64BUF];
	const char	*p[2];
	const char	*state;
	PGresult	*res;
	int		 i, n;

	memset(m, 0, sizeof *m);
	p[0] = cnt_i64(sb, showtime_id);
	p[1] = actor_param(actor, ab);
	if ((res = cnt_db_exec(ctx, err, seatmap_sql, 2, p)) == NULL)
		return CNT_ERR;
	if ((n = PQntuples(res)) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such showtime.");
	}
	m->showtime_id = showtime_id;
	m->movie_title = cnt_pg_str(res, 0, 10);
	m->theatre_name = cnt_pg_str(res, 0, 11);
	m->starts_at = (time_t)cnt_pg_i64(res, 0, 12);
	m->ends_at = (time_t)cnt_pg_i64(res, 0, 13);
	m->base_price_cents = cnt_pg_int(res, 0, 14);
	m->bookable = cnt_pg_bool(res, 0, 15);
	m->seats = xcalloc((size_t)n, sizeof *m->seats);
	m->nseats = (size_t)n;
	for (i = 0; i < n; i++) {
		struct cnt_seat *s = &m->seats[i];

		s->seat_id = cnt_pg_i64(res, i, 0);
		copy_row(s->row, PQgetvalue(res, i, 1));
		s->number = cnt_pg_int(res, i, 2);
		s->type = seat_type_of(PQgetvalue(res, i, 3));
		s->x = cnt_pg_int(res, i, 4);
		s->y = cnt_pg_int(res, i, 5);
		state = PQgetvalue(res, i, 6);
		if (strcmp(state, "sold") == 0)
			s->state = CNT_SEAT_SOLD;
		else if (strcmp(state, "held") == 0)
			s->state = CNT_SEAT_HELD;
		else if (strcmp(state, "mine") == 0) {
			s->state = CNT_SEAT_MINE;
			m->my_hold_id = cnt_pg_i64(res, i, 8);
			m->my_hold_expires = (time_t)cnt_pg_i64(res, i, 9);
		} else {
			s->state = CNT_SEAT_FREE;
			m->nfree++;
		}
		s->price_cents = cnt_pg_int(res, i, 7);
		if (s->x + 1 > m->width)
			m->width = s->x + 1;
		if (s->y + 1 > m->height)
			m->height = s->y + 1;
	}
	PQclear(res);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Best available                                                       */

/* Can this seat be part of the block? */
static bool
best_usable(const struct cnt_seat *s, bool accessible)
{
	if (s->state != CNT_SEAT_FREE && s->state != CNT_SEAT_MINE)
		return false;
	if (!accessible && (s->type == CNT_SEAT_WHEELCHAIR ||
	    s->type == CNT_SEAT_COMPANION))
		return false;
	return true;
}

static bool
best_open(const struct cnt_seat *s)
{
	return s->state == CNT_SEAT_FREE || s->state == CNT_SEAT_MINE;
}

/*
 * Score the block SEG[i .. i+n) of one run of adjacent seats (lower is
 * better): a lone free seat left beside the block costs more than any
 * distance; then the distance from the middle row counts three times the
 * distance from the centre column (both in half units, integers).
 */
static long
best_score(const struct cnt_seat *const *seg, size_t len, size_t i, size_t n,
    int rowidx, int nrows, int centre2)
{
	long	score = 0;
	int	d;

	if (i >= 1 && best_open(seg[i - 1]) &&
	    (i == 1 || !best_open(seg[i - 2])))
		score += 1000000;
	if (i + n < len && best_open(seg[i + n]) &&
	    (i + n + 1 == len || !best_open(seg[i + n + 1])))
		score += 1000000;
	d = 2 * rowidx - (nrows - 1);
	score += 3L * (d < 0 ? -d : d);
	d = seg[i]->x + seg[i + n - 1]->x - centre2;
	score += d < 0 ? -d : d;
	return score;
}

int
cnt_best_available(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t showtime_id, int n, bool accessible, int64_t *seat_ids,
    struct cnt_error *err)
{
	struct cnt_seatmap	  m;
	const struct cnt_seat	**seg;
	size_t			  a, b, i, k, len, best_i = 0;
	const struct cnt_seat	**best_seg = NULL;
	long			  score, best = -1;
	int			  nrows = 0, rowidx, minx = -1, maxx = 0;
	int			  max = ctx->cfg.max_seats_per_booking;

	if (n < 1 || n > max)
		return cnt_error_field(err, CNT_E_INVALID, "seats",
		    "Choose between 1 and %d seats.", max);
	if (cnt_seatmap_get(ctx, actor, showtime_id, &m, err) != CNT_OK)
		return CNT_ERR;
	if (!m.bookable) {
		cnt_seatmap_free(&m);
		return cnt_error_set(err, CNT_E_INVALID,
		    "This showtime is no longer on sale.");
	}
	for (i = 0; i < m.nseats; i++) {
		if (i == 0 || m.seats[i].y != m.seats[i - 1].y)
			nrows++;
		if (minx < 0 || m.seats[i].x < minx)
			minx = m.seats[i].x;
		if (m.seats[i].x > maxx)
			maxx = m.seats[i].x;
	}
	seg = xcalloc(m.nseats + 1, sizeof *seg);
	best_seg = xcalloc(m.nseats + 1, sizeof *best_seg);
	rowidx = -1;
	for (a = 0; a < m.nseats; a = b) {
		/* One run of adjacent seats: same line, consecutive columns. */
		if (a == 0 || m.seats[a].y != m.seats[a - 1].y)
			rowidx++;
		len = 0;
		seg[len++] = &m.seats[a];
		for (b = a + 1; b < m.nseats && m.seats[b].y == m.seats[a].y &&
		    m.seats[b].x == m.seats[b - 1].x + 1; b++)
			seg[len++] = &m.seats[b];
		for (i = 0; i + (size_t)n <= len; i++) {
			bool ok = true, wheel = false;

			for (k = i; k < i + (size_t)n; k++) {
				if (!best_usable(seg[k], accessible))
					ok = false;
				if (seg[k]->type == CNT_SEAT_WHEELCHAIR)
					wheel = true;
			}
			if (!ok || (accessible && !wheel))
				continue;
			score = best_score(seg, len, i, (size_t)n, rowidx,
			    nrows, minx + maxx);
			if (best < 0 || score < best) {
				best = score;
				memcpy(best_seg, seg, len * sizeof *seg);
				best_i = i;
			}
		}
	}
	if (best >= 0)
		for (k = 0; k < (size_t)n; k++)
			seat_ids[k] = best_seg[best_i + k]->seat_id;
	free(seg);
	free(best_seg);
	cnt_seatmap_free(&m);
	if (best < 0)
		return cnt_error_set(err, CNT_E_CONFLICT, accessible ?
		    "No %d free seats together with a wheelchair place." :
		    "No %d free seats together in one row.", n);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Holds                                                                */

void
cnt_hold_free(struct cnt_hold *h)
{
	if (h == NULL)
		return;
	free(h->seats);
	memset(h, 0, sizeof *h);
}

/* Rows (hold_id, expires, seat_id, row, number, type, price) -> OUT. */
static void
hold_from_rows(PGresult *res, int64_t showtime_id, struct cnt_hold *out)
{
	int	i, n = PQntuples(res);

	memset(out, 0, sizeof *out);
	out->showtime_id = showtime_id;
	out->seats = xcalloc(n > 0 ? (size_t)n : 1, sizeof *out->seats);
	out->nseats = (size_t)n;
	for (i = 0; i < n; i++) {
		struct cnt_hold_seat *s = &out->seats[i];

		out->hold_id = cnt_pg_i64(res, i, 0);
		out->expires_at = (time_t)cnt_pg_i64(res, i, 1);
		s->seat_id = cnt_pg_i64(res, i, 2);
		copy_row(s->row, PQgetvalue(res, i, 3));
		s->number = cnt_pg_int(res, i, 4);
		s->type = seat_type_of(PQgetvalue(res, i, 5));
		s->price_cents = cnt_pg_int(res, i, 6);
		out->total_cents += s->price_cents;
	}
}

/*
 * Run cnt_hold() for ACCOUNT (NULL: walk-up). The seat ids are sorted and
 * deduplicated first: that is also the order PostgreSQL locks them in.
 * Returns the result rows or NULL with ERR set.
 */
static PGresult *
hold_exec(struct cnt_ctx *ctx, const char *account, int64_t showtime_id,
    const int64_t *seat_ids, size_t n, int lifetime, struct cnt_error *err)
{
	char		 sb[CNT_I64BUF], lt[16], mx[16], *arr;
	const char	*p[5];
	int64_t		*ids;
	size_t		 i, m = 0;
	PGresult	*res;

	if (n == 0)
		return cnt_error_field(err, CNT_E_INVALID, "seats",
		    "Choose at least one seat."), NULL;
	if (n > (size_t)ctx->cfg.max_seats_per_booking * 4)
		return cnt_error_field(err, CNT_E_INVALID, "seats",
		    "At most %d seats can be booked at once.",
		    ctx->cfg.max_seats_per_booking), NULL;
	ids = xcalloc(n, sizeof *ids);
	memcpy(ids, seat_ids, n * sizeof *ids);
	qsort(ids, n, sizeof *ids, cmp_i64);
	for (i = 0; i < n; i++)
		if (m == 0 || ids[i] != ids[m - 1])
			ids[m++] = ids[i];
	arr = i64_array(ids, m);
	free(ids);
	snprintf(lt, sizeof lt, "%d", lifetime);
	snprintf(mx, sizeof mx, "%d", ctx->cfg.max_seats_per_booking);
	p[0] = cnt_i64(sb, showtime_id);
	p[1] = account;
	p[2] = arr;
	p[3] = lt;
	p[4] = mx;
	res = cnt_db_exec(ctx, err,
	    "SELECT * FROM cnt_hold($1, $2, $3::bigint[], $4, $5)", 5, p);
	free(arr);
	return res;
}

int
cnt_hold_seats_for(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t showtime_id, const int64_t *seat_ids, size_t n,
    int lifetime_seconds, struct cnt_hold *out, struct cnt_error *err)
{
	char		 ab[CNT_I64BUF], key[CNT_I64BUF];
	PGresult	*res;
	struct cnt_hold	 h;

	if (!is_signed_in(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in to choose seats.");
	if (lifetime_seconds <= 0)
		lifetime_seconds = ctx->cfg.hold_minutes * 60;
	res = hold_exec(ctx, actor_param(actor, ab), showtime_id, seat_ids, n,
	    lifetime_seconds, err);
	if (res == NULL)
		return CNT_ERR;
	hold_from_rows(res, showtime_id, &h);
	PQclear(res);
	log_debug("event=hold hold=%" PRId64 " showtime=%" PRId64 " seats=%zu",
	    h.hold_id, showtime_id, h.nseats);
	cnt_i64(key, h.hold_id);
	cnt_jobs_schedule(ctx, "hold_expiry", key, key, h.expires_at);
	cnt_events_seats_changed(ctx, showtime_id);
	if (out != NULL)
		*out = h;
	else
		cnt_hold_free(&h);
	return CNT_OK;
}

int
cnt_hold_seats(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t showtime_id, const int64_t *seat_ids, size_t n,
    struct cnt_hold *out, struct cnt_error *err)
{
	return cnt_hold_seats_for(ctx, actor, showtime_id, seat_ids, n, 0, out,
	    err);
}

int
cnt_hold_get(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t showtime_id, struct cnt_hold *out, struct cnt_error *err)
{
	char		 sb[CNT_I64BUF], ab[CNT_I64BUF];
	const char	*p[2];
	PGresult	*res;

	memset(out, 0, sizeof *out);
	if (!is_signed_in(actor) || actor->account_id <= 0)
		return cnt_error_set(err, CNT_E_NOTFOUND, "No seats held.");
	p[0] = cnt_i64(sb, showtime_id);
	p[1] = cnt_i64(ab, actor->account_id);
	res = cnt_db_exec(ctx, err, "SELECT ss.hold_id,"
	    " extract(epoch FROM ss.hold_expires)::bigint, s.id, s.row_label,"
	    " s.number, s.seat_type, ss.price_cents"
	    " FROM showtime_seats ss JOIN seats s ON s.id = ss.seat_id"
	    " WHERE ss.showtime_id = $1 AND ss.account_id = $2"
	    " AND ss.state = 'held' AND ss.hold_expires > now()"
	    " ORDER BY s.id", 2, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No seats held.");
	}
	hold_from_rows(res, showtime_id, out);
	PQclear(res);
	return CNT_OK;
}

int
cnt_hold_release(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t hold_id, struct cnt_error *err)
{
	char		 hb[CNT_I64BUF], ab[CNT_I64BUF];
	const char	*p[3];
	PGresult	*res;
	int64_t		 show;

	if (!is_signed_in(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in first.");
	p[0] = cnt_i64(hb, hold_id);
	p[1] = actor_param(actor, ab);
	p[2] = is_staff(actor) ? "t" : "f";
	res = cnt_db_exec(ctx, err, "SELECT cnt_hold_release($1, $2, $3)", 3,
	    p);
	if (res == NULL)
		return CNT_ERR;
	show = cnt_pg_i64(res, 0, 0);
	PQclear(res);
	if (show != 0)
		cnt_events_seats_changed(ctx, show);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* The demo card provider                                               */

#define CARD_DECLINE	"4000000000000002"

/* Digits of a typed card number into OUT (room for 20); -1 if not one. */
static int
card_digits(const char *in, char out[20])
{
	size_t	n = 0;

	if (in == NULL)
		return -1;
	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		if (!isdigit((unsigned char)*in) || n == 19)
			return -1;
		out[n++] = *in;
	}
	out[n] = '\0';
	return n >= 12 ? 0 : -1;
}

static bool
luhn_ok(const char *digits)
{
	size_t	len = strlen(digits), i;
	int	sum = 0, d;

	for (i = 0; i < len; i++) {
		d = digits[len - 1 - i] - '0';
		if (i % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	return sum % 10 == 0;
}

int
cnt_card_check(const struct cnt_card *card, struct cnt_error *err)
{
	char		 digits[20];
	struct tm	 tm;
	time_t		 now = time(NULL);
	int		 year;
	size_t		 i, n;

	if (card_digits(card->number, digits) != 0 || !luhn_ok(digits))
		return cnt_error_field(err, CNT_E_INVALID, "number",
		    "That card number is not valid; please check it.");
	if (card->exp_month < 1 || card->exp_month > 12)
		return cnt_error_field(err, CNT_E_INVALID, "expiry",
		    "The expiry month must be between 1 and 12.");
	year = card->exp_year < 100 ? card->exp_year + 2000 : card->exp_year;
	gmtime_r(&now, &tm);
	if (year < tm.tm_year + 1900 || (year == tm.tm_year + 1900 &&
	    card->exp_month < tm.tm_mon + 1))
		return cnt_error_field(err, CNT_E_INVALID, "expiry",
		    "This card has expired.");
	if (year > tm.tm_year + 1900 + 20)
		return cnt_error_field(err, CNT_E_INVALID, "expiry",
		    "The expiry year is not valid.");
	n = card->cvc != NULL ? strlen(card->cvc) : 0;
	if (n < 3 || n > 4)
		return cnt_error_field(err, CNT_E_INVALID, "cvc",
		    "The security code is 3 or 4 digits.");
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)card->cvc[i]))
			return cnt_error_field(err, CNT_E_INVALID, "cvc",
			    "The security code is 3 or 4 digits.");
	return CNT_OK;
}

/*
 * Validate the payment input and "authorise" it with the demo provider.
 * Fills LAST4 for cards. Nothing is recorded here: the payment row is
 * written with the booking, in the same statement.
 */
static int
payment_authorise(const struct cnt_actor *actor,
    const struct cnt_payment_input *pay, char last4[5],
    struct cnt_error *err)
{
	char	digits[20];

	last4[0] = '\0';
	if (pay == NULL)
		return cnt_error_set(err, CNT_E_INVALID,
		    "Choose how to pay.");
	if (pay->method == CNT_PAY_CASH) {
		if (!is_staff(actor))
			return cnt_error_set(err, CNT_E_FORBIDDEN,
			    "Cash is taken at the box office only.");
		if (pay->cash_given_cents < 0)
			return cnt_error_field(err, CNT_E_INVALID, "cash",
			    "The cash given cannot be negative.");
		return CNT_OK;
	}
	if (pay->method != CNT_PAY_CARD)
		return cnt_error_set(err, CNT_E_INVALID,
		    "Unknown payment method.");
	if (cnt_card_check(&pay->card, err) != CNT_OK)
		return CNT_ERR;
	card_digits(pay->card.number, digits);
	if (strcmp(digits, CARD_DECLINE) == 0)
		return cnt_error_field(err, CNT_E_INVALID, "number",
		    "Your card was declined. Nothing was charged and your "
		    "seats are still held; try another card.");
	cnt_strlcpy(last4, digits + strlen(digits) - 4, 5);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Loading bookings                                                     */

void
cnt_booking_free(struct cnt_booking *b)
{
	size_t	i;

	if (b == NULL)
		return;
	free(b->account_name);
	free(b->email);
	free(b->customer_name);
	free(b->movie_title);
	free(b->theatre_name);
	free(b->channel);
	free(b->seats_text);
	free(b->pay_method);
	free(b->pay_status);
	for (i = 0; i < b->ntickets; i++) {
		free(b->tickets[i].ticket_type);
		free(b->tickets[i].ticket_label);
		free(b->tickets[i].status);
	}
	free(b->tickets);
	memset(b, 0, sizeof *b);
}

void
cnt_bookings_free(struct cnt_booking *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		cnt_booking_free(&v[i]);
	free(v);
}

/*
 * Every booking query selects these columns of cnt_booking_view
 * (db/004_booking_view.sql), in this order: booking_from_row reads them by
 * position. Single bookings come from cnt_booking_one()/cnt_booking_by_code(),
 * plpgsql wrappers whose plan is kept for the session.
 */
#define BOOKING_COLUMNS							\
    "SELECT v.id, v.code, v.account_id, v.username, v.email,"		\
    " v.customer, v.showtime_id, v.movie_id, v.title, v.theatre_id,"	\
    " v.theatre, v.starts_at, v.ends_at, v.status, v.channel,"		\
    " v.total_cents, v.nseats, v.seats_text, v.sold_by, v.created_at,"	\
    " v.canceled_at, v.pay_method, v.pay_status, v.card_last4,"	\
    " v.paid_cents, v.refunded_cents"
#define BOOKING_NCOLS 26
#define BOOKING_FROM " FROM cnt_booking_view v"

static void
booking_from_row(const PGresult *res, int i, struct cnt_booking *b)
{
	enum cnt_booking_status st;

	memset(b, 0, sizeof *b);
	b->id = cnt_pg_i64(res, i, 0);
	cnt_strlcpy(b->code, PQgetvalue(res, i, 1), sizeof b->code);
	b->account_id = cnt_pg_i64(res, i, 2);
	b->account_name = cnt_pg_str(res, i, 3);
	b->email = cnt_pg_str(res, i, 4);
	b->customer_name = cnt_pg_str(res, i, 5);
	b->showtime_id = cnt_pg_i64(res, i, 6);
	b->movie_id = cnt_pg_i64(res, i, 7);
	b->movie_title = cnt_pg_str(res, i, 8);
	b->theatre_id = cnt_pg_i64(res, i, 9);
	b->theatre_name = cnt_pg_str(res, i, 10);
	b->starts_at = (time_t)cnt_pg_i64(res, i, 11);
	b->ends_at = (time_t)cnt_pg_i64(res, i, 12);
	if (cnt_booking_status_parse(PQgetvalue(res, i, 13), &st) == CNT_OK)
		b->status = st;
	b->channel = cnt_pg_str(res, i, 14);
	b->total_cents = cnt_pg_int(res, i, 15);
	b->nseats = cnt_pg_int(res, i, 16);
	b->seats_text = cnt_pg_str(res, i, 17);
	b->sold_by = cnt_pg_i64(res, i, 18);
	b->created_at = (time_t)cnt_pg_i64(res, i, 19);
	b->canceled_at = (time_t)cnt_pg_i64(res, i, 20);
	b->pay_method = cnt_pg_str(res, i, 21);
	b->pay_status = cnt_pg_str(res, i, 22);
	cnt_strlcpy(b->card_last4, PQgetvalue(res, i, 23),
	    sizeof b->card_last4);
	b->paid_cents = cnt_pg_int(res, i, 24);
	b->refunded_cents = cnt_pg_int(res, i, 25);
}

static int
bookings_from_result(PGresult *res, struct cnt_booking **out, size_t *n)
{
	int	i, rows = PQntuples(res);

	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	*n = (size_t)rows;
	for (i = 0; i < rows; i++)
		booking_from_row(res, i, &(*out)[i]);
	return CNT_OK;
}

/*
 * The tickets of B from RES, rows of booking columns followed by the
 * columns of cnt_booking_tickets() (NULL where the booking has none).
 */
static void
booking_tickets_from_rows(const PGresult *res, struct cnt_booking *b)
{
	int	i, k = 0, n = PQntuples(res), c = BOOKING_NCOLS;

	b->tickets = xcalloc(n > 0 ? (size_t)n : 1, sizeof *b->tickets);
	for (i = 0; i < n; i++) {
		struct cnt_ticket *t = &b->tickets[k];

		if (PQgetisnull(res, i, c))
			continue;
		t->id = cnt_pg_i64(res, i, c);
		t->seat_id = cnt_pg_i64(res, i, c + 1);
		copy_row(t->row, PQgetvalue(res, i, c + 2));
		t->number = cnt_pg_int(res, i, c + 3);
		t->seat_type = seat_type_of(PQgetvalue(res, i, c + 4));
		t->ticket_type = cnt_pg_str(res, i, c + 5);
		t->ticket_label = cnt_pg_str(res, i, c + 6);
		t->price_cents = cnt_pg_int(res, i, c + 7);
		t->status = cnt_pg_str(res, i, c + 8);
		t->checked_in_at = (time_t)cnt_pg_i64(res, i, c + 9);
		k++;
	}
	b->ntickets = (size_t)k;
}

/* One booking from FROM, a function of one parameter that returns rows of
 * cnt_booking_view, with its tickets: one round trip. */
#define BOOKING_LOAD(from)						\
    BOOKING_COLUMNS ", k.* FROM " from "($1) v"				\
    " LEFT JOIN LATERAL cnt_booking_tickets(v.id) k ON true"

/* Load one booking with its tickets by SQL (BOOKING_LOAD); no checks. */
static int
booking_load(struct cnt_ctx *ctx, const char *sql, const char *param,
    struct cnt_booking *b, struct cnt_error *err)
{
	const char	*p[1] = { param };
	PGresult	*res;

	memset(b, 0, sizeof *b);
	res = cnt_db_exec(ctx, err, sql, 1, p);
	if (res == NULL)
		return CNT_ERR;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cnt_error_set(err, CNT_E_NOTFOUND, "No such booking.");
	}
	booking_from_row(res, 0, b);
	booking_tickets_from_rows(res, b);
	PQclear(res);
	return CNT_OK;
}

static int
booking_load_id(struct cnt_ctx *ctx, int64_t id, struct cnt_booking *b,
    struct cnt_error *err)
{
	char	ib[CNT_I64BUF];

	return booking_load(ctx, BOOKING_LOAD("cnt_booking_one"),
	    cnt_i64(ib, id), b, err);
}

/* Customers see only their own bookings; others' look missing. */
static int
booking_visible(const struct cnt_actor *actor, struct cnt_booking *b,
    struct cnt_error *err)
{
	if (is_staff(actor))
		return CNT_OK;
	if (actor != NULL && actor->account_id > 0 &&
	    b->account_id == actor->account_id)
		return CNT_OK;
	cnt_booking_free(b);
	return cnt_error_set(err, CNT_E_NOTFOUND, "No such booking.");
}

int
cnt_booking_get(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t booking_id, struct cnt_booking *b, struct cnt_error *err)
{
	memset(b, 0, sizeof *b);
	if (!is_signed_in(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in to see bookings.");
	if (booking_load_id(ctx, booking_id, b, err) != CNT_OK)
		return CNT_ERR;
	return booking_visible(actor, b, err);
}

int
cnt_booking_get_by_code(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *code, struct cnt_booking *b, struct cnt_error *err)
{
	char	norm[8];

	memset(b, 0, sizeof *b);
	if (!is_signed_in(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in to see bookings.");
	if (cnt_code_normalize(code, norm) != 0)
		return cnt_error_field(err, CNT_E_INVALID, "code",
		    "A booking code looks like K7P-4QX.");
	if (booking_load(ctx, BOOKING_LOAD("cnt_booking_by_code"), norm, b,
	    err) != CNT_OK)
		return CNT_ERR;
	return booking_visible(actor, b, err);
}

int
cnt_bookings_mine(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    bool upcoming, struct cnt_booking **out, size_t *n,
    struct cnt_error *err)
{
	char		 ab[CNT_I64BUF];
	const char	*p[1];
	PGresult	*res;

	*out = NULL;
	*n = 0;
	if (!is_signed_in(actor) || actor->account_id <= 0)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in to see your bookings.");
	p[0] = cnt_i64(ab, actor->account_id);
	res = cnt_db_exec(ctx, err, upcoming ?
	    BOOKING_COLUMNS BOOKING_FROM " WHERE v.account_id = $1"
	    " AND v.ends_ts > now() ORDER BY v.starts_ts, v.id" :
	    BOOKING_COLUMNS BOOKING_FROM " WHERE v.account_id = $1"
	    " AND v.ends_ts <= now() ORDER BY v.starts_ts DESC, v.id DESC"
	    " LIMIT 200", 1, p);
	if (res == NULL)
		return CNT_ERR;
	bookings_from_result(res, out, n);
	PQclear(res);
	return CNT_OK;
}

int
cnt_bookings_lookup(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *query, struct cnt_booking **out, size_t *n,
    struct cnt_error *err)
{
	char		 norm[8];
	const char	*p[2];
	PGresult	*res;

	*out = NULL;
	*n = 0;
	if (!is_staff(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only box-office staff can look bookings up.");
	if (query == NULL || strlen(query) < 2)
		return cnt_error_field(err, CNT_E_INVALID, "query",
		    "Type a booking code, or at least two letters of a name "
		    "or email.");
	if (cnt_text_field(query, 0, "query", "The search", err) != CNT_OK)
		return CNT_ERR;
	p[0] = cnt_code_normalize(query, norm) == 0 ? norm : NULL;
	p[1] = query;
	res = cnt_db_exec(ctx, err, BOOKING_COLUMNS BOOKING_FROM
	    " WHERE v.code = $1"
	    " OR strpos(lower(v.customer_raw), lower($2)) > 0"
	    " OR strpos(lower(v.full_name_raw), lower($2)) > 0"
	    " OR strpos(lower(v.email), lower($2)) > 0"
	    " OR strpos(v.username, lower($2)) > 0"
	    " ORDER BY (v.code = $1) DESC NULLS LAST, v.starts_ts DESC,"
	    " v.id DESC"
	    " LIMIT 100", 2, p);
	if (res == NULL)
		return CNT_ERR;
	bookings_from_result(res, out, n);
	PQclear(res);
	return CNT_OK;
}

int
cnt_bookings_list(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_booking_filter *f, struct cnt_booking **out, size_t *n,
    size_t *total, struct cnt_error *err)
{
	char		 from[CNT_I64BUF], to[CNT_I64BUF], mv[CNT_I64BUF];
	char		 th[CNT_I64BUF], sh[CNT_I64BUF], off[16], lim[16];
	const char	*p[8];
	PGresult	*res;
	int		 limit;

	*out = NULL;
	*n = 0;
	if (total != NULL)
		*total = 0;
	if (actor == NULL || actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only an administrator can list all bookings.");
	if (f->offset < 0)
		return cnt_error_set(err, CNT_E_INVALID,
		    "The page offset cannot be negative.");
	limit = f->limit <= 0 ? 50 : f->limit > 500 ? 500 : f->limit;
	p[0] = f->from != 0 ? cnt_i64(from, f->from) : NULL;
	p[1] = f->to != 0 ? cnt_i64(to, f->to) : NULL;
	p[2] = f->movie_id != 0 ? cnt_i64(mv, f->movie_id) : NULL;
	p[3] = f->theatre_id != 0 ? cnt_i64(th, f->theatre_id) : NULL;
	p[4] = f->showtime_id != 0 ? cnt_i64(sh, f->showtime_id) : NULL;
	p[5] = f->by_status ? cnt_booking_status_name(f->status) : NULL;
	snprintf(off, sizeof off, "%d", f->offset);
	snprintf(lim, sizeof lim, "%d", limit);
	p[6] = off;
	p[7] = lim;
	res = cnt_db_exec(ctx, err, BOOKING_COLUMNS ", count(*) OVER ()"
	    BOOKING_FROM
	    " WHERE ($1::bigint IS NULL OR v.starts_ts >= to_timestamp($1))"
	    " AND ($2::bigint IS NULL OR v.starts_ts < to_timestamp($2))"
	    " AND ($3::bigint IS NULL OR v.movie_id = $3)"
	    " AND ($4::bigint IS NULL OR v.theatre_id = $4)"
	    " AND ($5::bigint IS NULL OR v.showtime_id = $5)"
	    " AND ($6::text IS NULL OR v.status = $6)"
	    " ORDER BY v.starts_ts DESC, v.id DESC OFFSET $7 LIMIT $8", 8, p);
	if (res == NULL)
		return CNT_ERR;
	bookings_from_result(res, out, n);
	if (total != NULL && PQntuples(res) > 0)
		*total = (size_t)cnt_pg_i64(res, 0, BOOKING_NCOLS);
	else if (total != NULL && f->offset > 0) {
		/* Past the last page: count without paging. */
		PGresult *c;

		c = cnt_db_exec(ctx, err, "SELECT count(*) FROM bookings b"
		    " JOIN showtimes st ON st.id = b.showtime_id"
		    " WHERE ($1::bigint IS NULL OR st.starts_at >= to_timestamp($1))"
		    " AND ($2::bigint IS NULL OR st.starts_at < to_timestamp($2))"
		    " AND ($3::bigint IS NULL OR st.movie_id = $3)"
		    " AND ($4::bigint IS NULL OR st.theatre_id = $4)"
		    " AND ($5::bigint IS NULL OR b.showtime_id = $5)"
		    " AND ($6::text IS NULL OR b.status = $6)", 6, p);
		if (c != NULL) {
			*total = (size_t)cnt_pg_i64(c, 0, 0);
			PQclear(c);
		}
	}
	PQclear(res);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Confirm and walk-up sale                                             */

struct confirm_args {
	int64_t		hold_id;
	const char     *holder;		/* hold owner: account id or NULL */
	const char     *account;	/* booking's account or NULL */
	const struct cnt_ticket_choice *choices;
	size_t		nchoices;
	const struct cnt_payment_input *pay;
	const char     *last4;
	const char     *staff;		/* sold_by / taken_by or NULL */
	const char     *channel;
	const char     *customer;
};

/* cnt_confirm_booking() answers with the booking (cnt_booking_view) and
 * one row per ticket: the columns booking_from_row and
 * booking_tickets_from_rows read. */
#define CONFIRM_BOOKING_SQL						\
    BOOKING_COLUMNS ", c.t_id, c.t_seat_id, c.t_row_label, c.t_number,"	\
    " c.t_seat_type, c.t_ticket_type, c.t_label, c.t_price_cents,"	\
    " c.t_status, c.t_checked_in_at"					\
    " FROM cnt_confirm_booking($1, $2, $3, $4::bigint[], $5::text[], $6,"	\
    " $7, $8, $9, $10, $11, $12) c CROSS JOIN LATERAL (SELECT (c.b).*) v"

/*
 * Call cnt_confirm(), drawing a new booking code when one collides.
 * *BOOKING_ID, *TOTAL, *SHOWTIME and *ENDS get the result. With OUT, the
 * same call loads the booking into it (cnt_confirm_booking): one round
 * trip for the sale and the receipt.
 */
static int
confirm_exec(struct cnt_ctx *ctx, const struct confirm_args *a,
    int64_t *booking_id, int *total, int64_t *showtime, time_t *ends,
    struct cnt_booking *out, struct cnt_error *err)
{
	char		 hb[CNT_I64BUF], cash[16], code[8];
	char		*cseats, *ctypes;
	const char	*p[12];
	const char     **types;
	int64_t		*ids;
	PGresult	*res = NULL;
	struct cnt_error local;
	size_t		 i;
	int		 attempt;

	if (err == NULL)
		err = &local;
	ids = xcalloc(a->nchoices + 1, sizeof *ids);
	types = xcalloc(a->nchoices + 1, sizeof *types);
	for (i = 0; i < a->nchoices; i++) {
		ids[i] = a->choices[i].seat_id;
		types[i] = a->choices[i].ticket_type != NULL ?
		    a->choices[i].ticket_type : "adult";
	}
	cseats = i64_array(ids, a->nchoices);
	ctypes = text_array(types, a->nchoices);
	free(ids);
	free(types);
	snprintf(cash, sizeof cash, "%d", a->pay->cash_given_cents);
	p[0] = cnt_i64(hb, a->hold_id);
	p[1] = a->holder;
	p[2] = a->account;
	p[3] = cseats;
	p[4] = ctypes;
	p[5] = cnt_pay_method_name(a->pay->method);
	p[6] = a->last4[0] != '\0' ? a->last4 : NULL;
	p[7] = a->pay->method == CNT_PAY_CASH ? cash : NULL;
	p[8] = a->staff;
	p[9] = a->channel;
	p[10] = a->customer;
	p[11] = code;
	for (attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
		cnt_code_generate(code);
		res = cnt_db_exec(ctx, err, out != NULL ? CONFIRM_BOOKING_SQL :
		    "SELECT * FROM cnt_confirm($1, $2, $3, $4::bigint[],"
		    " $5::text[], $6, $7, $8, $9, $10, $11, $12)", 12, p);
		if (res != NULL || strcmp(err->sqlstate, "23505") != 0 ||
		    ctx->pg_txn > 0)
			break;
	}
	free(cseats);
	free(ctypes);
	if (res == NULL) {
		if (strcmp(err->sqlstate, "23505") == 0)
			cnt_error_set(err, CNT_E_CONFLICT,
			    "Seat taken: these seats were sold meanwhile.");
		return CNT_ERR;
	}
	if (out != NULL) {
		booking_from_row(res, 0, out);
		booking_tickets_from_rows(res, out);
		*booking_id = out->id;
		*total = out->total_cents;
		*showtime = out->showtime_id;
		*ends = out->ends_at;
	} else {
		*booking_id = cnt_pg_i64(res, 0, 0);
		*total = cnt_pg_int(res, 0, 1);
		*showtime = cnt_pg_i64(res, 0, 2);
		*ends = (time_t)cnt_pg_i64(res, 0, 3);
	}
	PQclear(res);
	return CNT_OK;
}

/* After a sale: tell viewers, schedule completion (best effort both). */
static void
confirm_after(struct cnt_ctx *ctx, int64_t showtime, time_t ends)
{
	char	key[CNT_I64BUF];

	cnt_events_seats_changed(ctx, showtime);
	cnt_i64(key, showtime);
	cnt_jobs_schedule(ctx, "showtime_complete", key, key,
	    ends + ctx->cfg.complete_after_minutes * 60);
}

int
cnt_booking_confirm(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t hold_id, const struct cnt_ticket_choice *choices,
    size_t nchoices, const struct cnt_payment_input *pay,
    struct cnt_booking *out, struct cnt_error *err)
{
	struct confirm_args a;
	char		 ab[CNT_I64BUF], last4[5];
	int64_t		 booking_id, showtime;
	int		 total;
	time_t		 ends;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (!is_signed_in(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in to book.");
	if (payment_authorise(actor, pay, last4, err) != CNT_OK)
		return CNT_ERR;
	memset(&a, 0, sizeof a);
	a.hold_id = hold_id;
	a.holder = actor_param(actor, ab);
	a.choices = choices;
	a.nchoices = nchoices;
	a.pay = pay;
	a.last4 = last4;
	if (is_staff(actor)) {
		/* Staff confirming their own hold sell at the box office. */
		a.account = NULL;
		a.staff = a.holder;
		a.channel = "boxoffice";
	} else {
		a.account = a.holder;
		a.staff = NULL;
		a.channel = "ssh";
	}
	if (confirm_exec(ctx, &a, &booking_id, &total, &showtime, &ends,
	    out, err) != CNT_OK)
		return CNT_ERR;
	log_info("event=booking booking=%" PRId64 " hold=%" PRId64
	    " total=%d channel=%s", booking_id, hold_id, total, a.channel);
	confirm_after(ctx, showtime, ends);
	if (out != NULL && pay->method == CNT_PAY_CASH)
		out->change_cents = pay->cash_given_cents - total;
	return CNT_OK;
}

int
cnt_walkup_sell(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const struct cnt_walkup *w, struct cnt_booking *out,
    struct cnt_error *err)
{
	struct confirm_args a;
	char		 sb[CNT_I64BUF], last4[5];
	int64_t		 booking_id, showtime, hold_id;
	int		 total;
	time_t		 ends;
	PGresult	*res;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (!is_staff(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only box-office staff can sell walk-up tickets.");
	if (w->customer_name != NULL && strlen(w->customer_name) > 200)
		return cnt_error_field(err, CNT_E_INVALID, "customer_name",
		    "The customer's name is too long (200 characters at most).");
	if (cnt_text_field(w->customer_name, 0, "customer_name",
	    "The customer's name", err) != CNT_OK)
		return CNT_ERR;
	if (payment_authorise(actor, &w->pay, last4, err) != CNT_OK)
		return CNT_ERR;
	if (cnt_db_begin(ctx, err) != CNT_OK)
		return CNT_ERR;
	res = hold_exec(ctx, NULL, w->showtime_id, w->seat_ids, w->nseats,
	    WALKUP_HOLD_S, err);
	if (res == NULL)
		goto fail;
	hold_id = PQntuples(res) > 0 ? cnt_pg_i64(res, 0, 0) : 0;
	PQclear(res);
	memset(&a, 0, sizeof a);
	a.hold_id = hold_id;
	a.holder = NULL;
	a.account = NULL;
	a.choices = w->choices;
	a.nchoices = w->nchoices;
	a.pay = &w->pay;
	a.last4 = last4;
	a.staff = actor_param(actor, sb);
	a.channel = "boxoffice";
	a.customer = w->customer_name;
	if (confirm_exec(ctx, &a, &booking_id, &total, &showtime, &ends,
	    out, err) != CNT_OK)
		goto fail;
	if (cnt_db_commit(ctx, err) != CNT_OK)
		goto fail;
	log_info("event=walkup booking=%" PRId64 " total=%d method=%s",
	    booking_id, total, cnt_pay_method_name(w->pay.method));
	confirm_after(ctx, showtime, ends);
	if (out != NULL && w->pay.method == CNT_PAY_CASH)
		out->change_cents = w->pay.cash_given_cents - total;
	return CNT_OK;
fail:
	cnt_db_rollback(ctx);
	cnt_booking_free(out);	/* loaded before a failed commit */
	return CNT_ERR;
}

/* ------------------------------------------------------------------ */
/* Cancel, check-in, no-show                                            */

int
cnt_booking_cancel(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t booking_id, const char *reason, struct cnt_booking *out,
    struct cnt_error *err)
{
	char		 bb[CNT_I64BUF], ab[CNT_I64BUF], cut[16];
	const char	*p[5];
	PGresult	*res;
	int64_t		 showtime;
	int		 refunded;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (!is_signed_in(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Please sign in to cancel a booking.");
	if (reason != NULL && strlen(reason) > 500)
		return cnt_error_field(err, CNT_E_INVALID, "reason",
		    "The reason is too long (500 characters at most).");
	if (cnt_text_field(reason, CNT_TEXT_LINES, "reason", "The reason",
	    err) != CNT_OK)
		return CNT_ERR;
	snprintf(cut, sizeof cut, "%d", ctx->cfg.cancel_cutoff_minutes);
	p[0] = cnt_i64(bb, booking_id);
	p[1] = is_staff(actor) ? NULL : cnt_i64(ab, actor->account_id);
	p[2] = is_staff(actor) ? "0" : cut;
	p[3] = actor_param(actor, ab);
	p[4] = reason;
	res = cnt_db_exec(ctx, err, "SELECT * FROM cnt_cancel($1, $2, $3, $4,"
	    " $5)", 5, p);
	if (res == NULL)
		return CNT_ERR;
	showtime = cnt_pg_i64(res, 0, 0);
	refunded = cnt_pg_int(res, 0, 1);
	PQclear(res);
	log_info("event=cancel booking=%" PRId64 " refunded=%d by=%" PRId64,
	    booking_id, refunded, actor->account_id);
	if (is_staff(actor))
		cnt_audit(ctx, actor, "booking.cancel", "bookings", booking_id,
		    reason, NULL);
	cnt_events_seats_changed(ctx, showtime);
	if (out != NULL)
		return booking_load_id(ctx, booking_id, out, err);
	return CNT_OK;
}

int
cnt_checkin(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    const char *code, const int64_t *ticket_ids, size_t n,
    struct cnt_booking *out, struct cnt_error *err)
{
	char		 norm[8], open[16], *arr = NULL;
	const char	*p[3];
	PGresult	*res;
	int64_t		 booking_id;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (!is_staff(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only box-office staff can check people in.");
	if (cnt_code_normalize(code, norm) != 0)
		return cnt_error_field(err, CNT_E_INVALID, "code",
		    "A booking code looks like K7P-4QX.");
	if (n > 0)
		arr = i64_array(ticket_ids, n);
	snprintf(open, sizeof open, "%d", ctx->cfg.checkin_open_minutes);
	p[0] = norm;
	p[1] = arr;
	p[2] = open;
	res = cnt_db_exec(ctx, err, "SELECT * FROM cnt_checkin($1,"
	    " $2::bigint[], $3)", 3, p);
	free(arr);
	if (res == NULL)
		return CNT_ERR;
	booking_id = cnt_pg_i64(res, 0, 0);
	log_info("event=checkin booking=%" PRId64 " tickets=%d", booking_id,
	    cnt_pg_int(res, 0, 1));
	PQclear(res);
	if (out != NULL)
		return booking_load_id(ctx, booking_id, out, err);
	return CNT_OK;
}

int
cnt_booking_no_show(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t booking_id, struct cnt_error *err)
{
	char		 bb[CNT_I64BUF];
	const char	*p[1];
	PGresult	*res;

	if (!is_staff(actor))
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only box-office staff can mark no-shows.");
	p[0] = cnt_i64(bb, booking_id);
	if ((res = cnt_db_exec(ctx, err, "SELECT cnt_no_show($1)", 1, p)) ==
	    NULL)
		return CNT_ERR;
	PQclear(res);
	cnt_audit(ctx, actor, "booking.no_show", "bookings", booking_id, NULL,
	    NULL);
	return CNT_OK;
}

/* ------------------------------------------------------------------ */
/* Showtime cancel and the worker's operations                          */

int
cnt_showtime_cancel(struct cnt_ctx *ctx, const struct cnt_actor *actor,
    int64_t showtime_id, int *refunded, struct cnt_error *err)
{
	char		 sb[CNT_I64BUF], ab[CNT_I64BUF];
	const char	*p[2];
	PGresult	*res;
	int		 n;

	if (refunded != NULL)
		*refunded = 0;
	if (actor == NULL || actor->role != CNT_ROLE_ADMIN)
		return cnt_error_set(err, CNT_E_FORBIDDEN,
		    "Only an administrator can cancel a showtime.");
	p[0] = cnt_i64(sb, showtime_id);
	p[1] = actor_param(actor, ab);
	if ((res = cnt_db_exec(ctx, err, "SELECT cnt_showtime_cancel($1, $2)",
	    2, p)) == NULL)
		return CNT_ERR;
	n = cnt_pg_int(res, 0, 0);
	PQclear(res);
	log_info("event=showtime_cancel showtime=%" PRId64 " refunded=%d",
	    showtime_id, n);
	cnt_audit(ctx, actor, "showtime.cancel", "showtimes", showtime_id,
	    NULL, NULL);
	cnt_events_seats_changed(ctx, showtime_id);
	if (refunded != NULL)
		*refunded = n;
	return CNT_OK;
}

int
cnt_hold_expire(struct cnt_ctx *ctx, int64_t hold_id, int *released,
    struct cnt_error *err)
{
	char		 hb[CNT_I64BUF];
	const char	*p[1];
	PGresult	*res;
	int64_t		 show;
	int		 n;

	if (released != NULL)
		*released = 0;
	p[0] = cnt_i64(hb, hold_id);
	if ((res = cnt_db_exec(ctx, err, "SELECT * FROM cnt_hold_expire($1)",
	    1, p)) == NULL)
		return CNT_ERR;
	show = cnt_pg_i64(res, 0, 0);
	n = cnt_pg_int(res, 0, 1);
	PQclear(res);
	if (n > 0)
		cnt_events_seats_changed(ctx, show);
	if (released != NULL)
		*released = n;
	return CNT_OK;
}

int
cnt_holds_sweep(struct cnt_ctx *ctx, int *released, struct cnt_error *err)
{
	PGresult	*res;
	int		 i, total = 0;

	if (released != NULL)
		*released = 0;
	if ((res = cnt_db_exec(ctx, err, "SELECT showtime_id, released FROM"
	    " cnt_holds_sweep()", 0, NULL)) == NULL)
		return CNT_ERR;
	for (i = 0; i < PQntuples(res); i++) {
		total += cnt_pg_int(res, i, 1);
		if (i == 0 || cnt_pg_i64(res, i, 0) != cnt_pg_i64(res, i - 1, 0))
			cnt_events_seats_changed(ctx, cnt_pg_i64(res, i, 0));
	}
	PQclear(res);
	if (released != NULL)
		*released = total;
	return CNT_OK;
}

int
cnt_showtime_complete(struct cnt_ctx *ctx, int64_t showtime_id,
    int *completed, struct cnt_error *err)
{
	char		 sb[CNT_I64BUF], after[16];
	const char	*p[2];
	PGresult	*res;

	if (completed != NULL)
		*completed = 0;
	snprintf(after, sizeof after, "%d", ctx->cfg.complete_after_minutes);
	p[0] = cnt_i64(sb, showtime_id);
	p[1] = after;
	if ((res = cnt_db_exec(ctx, err, "SELECT cnt_showtime_complete($1,"
	    " $2)", 2, p)) == NULL)
		return CNT_ERR;
	if (completed != NULL)
		*completed = cnt_pg_int(res, 0, 0);
	PQclear(res);
	return CNT_OK;
}

int
cnt_showtimes_sweep_complete(struct cnt_ctx *ctx, int *n,
    struct cnt_error *err)
{
	char		 after[16];
	const char	*p[1];
	PGresult	*res;

	if (n != NULL)
		*n = 0;
	snprintf(after, sizeof after, "%d", ctx->cfg.complete_after_minutes);
	p[0] = after;
	if ((res = cnt_db_exec(ctx, err, "SELECT coalesce(sum("
	    "cnt_showtime_complete(id, $1)), 0) FROM showtimes"
	    " WHERE status = 'scheduled'"
	    " AND ends_at + make_interval(mins => $1) <= now()", 1, p)) == NULL)
		return CNT_ERR;
	if (n != NULL)
		*n = cnt_pg_int(res, 0, 0);
	PQclear(res);
	return CNT_OK;
}
