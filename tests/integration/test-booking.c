/*
 * test-booking.c - seat maps, holds and their refusals, expiry without a
 * worker, confirm with the demo card provider, walk-up sales, best
 * available, on a real PostgreSQL.
 */
#include "test-booking.h"

static struct cnt_ctx *ctx;

static int
setup(void **state)
{
	(void)state;
	ctx = test_ctx();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cnt_ctx_free(ctx);
	return 0;
}

static enum cnt_seat_state
state_of(const struct cnt_seatmap *m, int64_t seat)
{
	size_t	i;

	for (i = 0; i < m->nseats; i++)
		if (m->seats[i].seat_id == seat)
			return m->seats[i].state;
	fail_msg("seat %lld not on the map", (long long)seat);
	return CNT_SEAT_FREE;
}

/*
 * The receipt a confirm answers with is built without cnt_booking_view
 * (db/007_hold_fast_receipt.sql): it must equal the booking read back
 * through the view, field by field and ticket by ticket.
 */
static void
assert_same_booking(const struct cnt_booking *got,
    const struct cnt_booking *want)
{
	size_t	i;

	assert_int_equal(got->id, want->id);
	assert_string_equal(got->code, want->code);
	assert_int_equal(got->account_id, want->account_id);
	assert_string_equal(got->account_name, want->account_name);
	assert_string_equal(got->email, want->email);
	assert_string_equal(got->customer_name, want->customer_name);
	assert_int_equal(got->showtime_id, want->showtime_id);
	assert_int_equal(got->movie_id, want->movie_id);
	assert_string_equal(got->movie_title, want->movie_title);
	assert_int_equal(got->theatre_id, want->theatre_id);
	assert_string_equal(got->theatre_name, want->theatre_name);
	assert_int_equal(got->starts_at, want->starts_at);
	assert_int_equal(got->ends_at, want->ends_at);
	assert_int_equal(got->status, want->status);
	assert_string_equal(got->channel, want->channel);
	assert_int_equal(got->total_cents, want->total_cents);
	assert_int_equal(got->nseats, want->nseats);
	assert_string_equal(got->seats_text, want->seats_text);
	assert_int_equal(got->sold_by, want->sold_by);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->canceled_at, want->canceled_at);
	assert_string_equal(got->pay_method, want->pay_method);
	assert_string_equal(got->pay_status, want->pay_status);
	assert_string_equal(got->card_last4, want->card_last4);
	assert_int_equal(got->paid_cents, want->paid_cents);
	assert_int_equal(got->refunded_cents, want->refunded_cents);
	assert_int_equal(got->ntickets, want->ntickets);
	for (i = 0; i < got->ntickets; i++) {
		const struct cnt_ticket *g = &got->tickets[i];
		const struct cnt_ticket *w = &want->tickets[i];

		assert_int_equal(g->id, w->id);
		assert_int_equal(g->seat_id, w->seat_id);
		assert_string_equal(g->row, w->row);
		assert_int_equal(g->number, w->number);
		assert_int_equal(g->seat_type, w->seat_type);
		assert_string_equal(g->ticket_type, w->ticket_type);
		assert_string_equal(g->ticket_label, w->ticket_label);
		assert_int_equal(g->price_cents, w->price_cents);
		assert_string_equal(g->status, w->status);
		assert_int_equal(g->checked_in_at, w->checked_in_at);
	}
}

/* The seat map has every seat with states free / held / mine / sold. */
static void
test_seatmap_states(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	int64_t		 show = bk_show(ctx);
	int64_t		 a1 = bk_seat(ctx, show, "A1"), b2 = bk_seat(ctx, show, "B2");
	int64_t		 c3 = bk_seat(ctx, show, "C3");
	struct cnt_hold	 h;
	struct cnt_seatmap m;
	struct cnt_booking bk;
	struct cnt_error err;
	size_t		 i;

	(void)state;
	assert_ok(cnt_hold_seats(ctx, &alice, show, &a1, 1, &h, &err), &err);
	cnt_hold_free(&h);
	assert_ok(cnt_hold_seats(ctx, &bob, show, &b2, 1, &h, &err), &err);
	assert_ok(cnt_booking_confirm(ctx, &bob, h.hold_id, NULL, 0,
	    &bk_card_ok, NULL, &err), &err);
	cnt_hold_free(&h);

	assert_ok(cnt_seatmap_get(ctx, &alice, show, &m, &err), &err);
	assert_int_equal(m.nseats, 40);
	assert_int_equal(m.nfree, 38);
	assert_true(m.bookable);
	assert_int_equal(state_of(&m, a1), CNT_SEAT_MINE);
	assert_int_equal(state_of(&m, b2), CNT_SEAT_SOLD);
	assert_int_equal(state_of(&m, c3), CNT_SEAT_FREE);
	assert_true(m.my_hold_id != 0);
	assert_true(m.my_hold_expires > time(NULL) + 500);
	assert_int_equal(m.width, 9);
	assert_int_equal(m.height, 5);
	for (i = 0; i < m.nseats; i++) {
		if (m.seats[i].seat_id == c3) {
			assert_string_equal(m.seats[i].row, "C");
			assert_int_equal(m.seats[i].number, 3);
			assert_int_equal(m.seats[i].type, CNT_SEAT_PREMIUM);
			assert_int_equal(m.seats[i].price_cents, 1250);
		}
	}
	cnt_seatmap_free(&m);

	/* The same hold is "held" for others and for guests. */
	assert_ok(cnt_seatmap_get(ctx, &guest, show, &m, &err), &err);
	assert_int_equal(state_of(&m, a1), CNT_SEAT_HELD);
	assert_int_equal(m.my_hold_id, 0);
	cnt_seatmap_free(&m);

	assert_refused(cnt_seatmap_get(ctx, &guest, 999999, &m, &err), &err,
	    CNT_E_NOTFOUND);
	(void)bk;
}

/* A hold gives prices by seat type, and a new hold replaces the old. */
static void
test_hold_and_replace(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	int64_t		 seats[2] = { bk_seat(ctx, show, "D5"),
			     bk_seat(ctx, show, "C5") };
	int64_t		 other = bk_seat(ctx, show, "A1");
	struct cnt_hold	 h, h2;
	struct cnt_seatmap m;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_hold_seats(ctx, &alice, show, seats, 2, &h, &err), &err);
	assert_true(h.hold_id > 0);
	assert_int_equal(h.nseats, 2);
	/* Ordered by seat id: C5 (premium, 1250) before D5 (vip, 1600). */
	assert_string_equal(h.seats[0].row, "C");
	assert_int_equal(h.seats[0].price_cents, 1250);
	assert_int_equal(h.seats[1].type, CNT_SEAT_VIP);
	assert_int_equal(h.seats[1].price_cents, 1600);
	assert_int_equal(h.total_cents, 2850);
	assert_true(h.expires_at >= time(NULL) + 9 * 60);
	assert_true(h.expires_at <= time(NULL) + 10 * 60 + 5);

	/* A second hold on the same showtime replaces the first. */
	assert_ok(cnt_hold_seats(ctx, &alice, show, &other, 1, &h2, &err),
	    &err);
	assert_true(h2.hold_id != h.hold_id);
	assert_ok(cnt_seatmap_get(ctx, &alice, show, &m, &err), &err);
	assert_int_equal(state_of(&m, seats[0]), CNT_SEAT_FREE);
	assert_int_equal(state_of(&m, seats[1]), CNT_SEAT_FREE);
	assert_int_equal(state_of(&m, other), CNT_SEAT_MINE);
	cnt_seatmap_free(&m);
	cnt_hold_free(&h);

	/* cnt_hold_get finds it; release frees it at once. */
	assert_ok(cnt_hold_get(ctx, &alice, show, &h, &err), &err);
	assert_int_equal(h.hold_id, h2.hold_id);
	assert_ok(cnt_hold_release(ctx, &alice, h.hold_id, &err), &err);
	cnt_hold_free(&h);
	assert_refused(cnt_hold_get(ctx, &alice, show, &h, &err), &err,
	    CNT_E_NOTFOUND);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state <> 'free'", show), 0);
	cnt_hold_free(&h);
	cnt_hold_free(&h2);

	/* A new hold may overlap the old one: A2 stays, A1 is let go. */
	seats[0] = bk_seat(ctx, show, "A1");
	seats[1] = bk_seat(ctx, show, "A2");
	assert_ok(cnt_hold_seats(ctx, &alice, show, seats, 2, &h, &err), &err);
	seats[0] = bk_seat(ctx, show, "A3");
	assert_ok(cnt_hold_seats(ctx, &alice, show, seats, 2, &h2, &err),
	    &err);
	assert_int_equal(h2.nseats, 2);
	assert_ok(cnt_seatmap_get(ctx, &alice, show, &m, &err), &err);
	assert_int_equal(state_of(&m, bk_seat(ctx, show, "A1")),
	    CNT_SEAT_FREE);
	assert_int_equal(state_of(&m, seats[0]), CNT_SEAT_MINE);
	assert_int_equal(state_of(&m, seats[1]), CNT_SEAT_MINE);
	assert_int_equal(m.my_hold_id, h2.hold_id);
	cnt_seatmap_free(&m);
	cnt_hold_free(&h);
	cnt_hold_free(&h2);
}

/*
 * The hot path's shape (db/005_hold_fast.sql): a hold id carries its
 * showtime and grows with time; the inventory has no index but its primary
 * key, so holds update seat rows in place (HOT); ids of the old form are
 * simply not found; a ticket type that tickets use cannot be deleted.
 */
static void
test_hold_fast_path(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx), show2 = bk_show(ctx);
	int64_t		 a1 = bk_seat(ctx, show, "A1"), a2 = bk_seat(ctx, show, "A2");
	int64_t		 b1 = bk_seat(ctx, show2, "B1");
	struct cnt_hold	 h, h2;
	struct cnt_booking bk;
	struct cnt_error err;
	char		 hb[CNT_I64BUF];
	int		 released = -1;
	PGresult	*res;

	(void)state;
	assert_ok(cnt_hold_seats(ctx, &alice, show, &a1, 1, &h, &err), &err);
	assert_ok(cnt_hold_seats(ctx, &bob, show2, &b1, 1, &h2, &err), &err);
	if (sql_i64(ctx, "SELECT cnt_hold_showtime($1)", cnt_i64(hb, h.hold_id),
	    NULL, NULL) != show)
		fail_msg("expected hold %lld to decode to showtime %lld",
		    (long long)h.hold_id, (long long)show);
	assert_int_equal(sql_i64(ctx, "SELECT cnt_hold_showtime($1)",
	    cnt_i64(hb, h2.hold_id), NULL, NULL), show2);
	if (h2.hold_id <= h.hold_id)
		fail_msg("expected a later hold to have a larger id: %lld, %lld",
		    (long long)h.hold_id, (long long)h2.hold_id);
	assert_int_equal(sql_i64(ctx, "SELECT count(*) FROM pg_index WHERE"
	    " indrelid = 'showtime_seats'::regclass AND NOT indisprimary",
	    NULL, NULL, NULL), 0);

	/* Old-form ids (below 2^28) find nothing and change nothing. */
	assert_ok(cnt_hold_release(ctx, &alice, h.hold_id % 268435456, &err),
	    &err);
	assert_ok(cnt_hold_expire(ctx, 5, &released, &err), &err);
	assert_int_equal(released, 0);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 1);
	/* Bob's hold id does not release Alice's seats, nor his own for her. */
	assert_ok(cnt_hold_release(ctx, &alice, h2.hold_id, &err), &err);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show2), 1);
	cnt_hold_free(&h2);

	/* Replacing a hold frees the old seats in the same call. */
	assert_ok(cnt_hold_seats(ctx, &alice, show, &a2, 1, &h2, &err), &err);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 1);
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &bk_card_ok, NULL, &err), &err, CNT_E_CONFLICT);
	assert_ok(cnt_booking_confirm(ctx, &alice, h2.hold_id, NULL, 0,
	    &bk_card_ok, &bk, &err), &err);
	assert_int_equal(bk.ntickets, 1);
	assert_int_equal(bk.tickets[0].seat_id, a2);
	assert_string_equal(bk.tickets[0].ticket_type, "adult");
	assert_int_equal(bk.nseats, 1);
	cnt_booking_free(&bk);
	cnt_hold_free(&h);
	cnt_hold_free(&h2);

	/* The ticket type 'adult' is used now: it stays. */
	res = cnt_db_exec(ctx, &err, "DELETE FROM ticket_types"
	    " WHERE code = 'adult'", 0, NULL);
	if (res != NULL) {
		PQclear(res);
		fail_msg("expected deleting a ticket type in use to fail");
	}
	assert_string_equal(err.sqlstate, "23503");
	assert_contains(err.msg, "deactivate it instead");
}

/* Every refusal of the hold path, each changing nothing. */
static void
test_hold_refusals(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	int64_t		 show = bk_show(ctx);
	int64_t		 past = bk_show_at(ctx, "now() - interval '10 minutes'",
			     NULL);
	int64_t		 elsewhere = bk_show(ctx);
	int64_t		 seats[11], pair[2], mixed[2];
	struct cnt_hold	 h;
	struct cnt_error err;
	int		 i;
	char		 label[8];

	(void)state;
	for (i = 0; i < 8; i++) {
		snprintf(label, sizeof label, "A%d", i + 1);
		seats[i] = bk_seat(ctx, show, label);
	}
	for (i = 8; i < 11; i++) {
		snprintf(label, sizeof label, "B%d", i - 7);
		seats[i] = bk_seat(ctx, show, label);
	}
	assert_refused(cnt_hold_seats(ctx, &guest, show, seats, 1, &h, &err),
	    &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_hold_seats(ctx, &alice, show, seats, 0, &h, &err),
	    &err, CNT_E_INVALID);
	assert_refused(cnt_hold_seats(ctx, &alice, show, seats, 11, &h, &err),
	    &err, CNT_E_INVALID);
	assert_contains(err.msg, "At most 10 seats");
	assert_ok(cnt_hold_seats(ctx, &alice, show, seats, 10, &h, &err),
	    &err);
	cnt_hold_free(&h);

	pair[0] = bk_seat(ctx, past, "A1");
	assert_refused(cnt_hold_seats(ctx, &alice, past, pair, 1, &h, &err),
	    &err, CNT_E_INVALID);
	assert_contains(err.msg, "already started");
	assert_refused(cnt_hold_seats(ctx, &alice, 999999, pair, 1, &h, &err),
	    &err, CNT_E_NOTFOUND);

	/* A seat of another theatre. */
	mixed[0] = bk_seat(ctx, show, "C1");
	mixed[1] = bk_seat(ctx, elsewhere, "C1");
	assert_refused(cnt_hold_seats(ctx, &bob, show, mixed, 2, &h, &err),
	    &err, CNT_E_INVALID);

	/* Taken seats: CONFLICT naming them, and nothing held. */
	pair[0] = bk_seat(ctx, show, "A3");
	pair[1] = bk_seat(ctx, show, "C2");
	assert_refused(cnt_hold_seats(ctx, &bob, show, pair, 2, &h, &err),
	    &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "Seat taken");
	assert_contains(err.msg, "A3");
	if (strstr(err.msg, "C2") != NULL)
		fail_msg("C2 was free, but the message names it: %s", err.msg);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 10);

	/* A canceled showtime. */
	assert_ok(cnt_showtime_cancel(ctx, &CNT_ACTOR_SYSTEM, elsewhere, NULL,
	    &err), &err);
	pair[0] = bk_seat(ctx, elsewhere, "A1");
	assert_refused(cnt_hold_seats(ctx, &bob, elsewhere, pair, 1, &h,
	    &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "canceled");
}

/* An expired hold blocks nobody, with no worker running. */
static void
test_hold_expiry_without_worker(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	int64_t		 seats[2] = { bk_seat(ctx, show, "B4"),
			     bk_seat(ctx, show, "B5") };
	struct cnt_hold	 h, h2;
	struct cnt_booking bk;
	struct cnt_error err;
	int		 released;

	(void)state;
	assert_ok(cnt_hold_seats_for(ctx, &alice, show, seats, 2, 1, &h,
	    &err), &err);
	assert_refused(cnt_hold_seats(ctx, &bob, show, seats, 2, &h2, &err),
	    &err, CNT_E_CONFLICT);
	/* Not expired yet: the worker's call leaves it alone. */
	assert_ok(cnt_hold_expire(ctx, h.hold_id, &released, &err), &err);
	assert_int_equal(released, 0);
	usleep(1100 * 1000);
	assert_ok(cnt_hold_seats(ctx, &bob, show, seats, 2, &h2, &err), &err);
	assert_int_equal(h2.nseats, 2);
	/* Alice's expired hold cannot be confirmed: nothing charged. */
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &bk_card_ok, &bk, &err), &err, CNT_E_CONFLICT);
	assert_contains(err.msg, "hold expired");
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM payments p JOIN"
	    " bookings b ON b.id = p.booking_id WHERE b.showtime_id = $1",
	    show), 0);
	/* The expiry job and the sweep are idempotent no-ops now. */
	assert_ok(cnt_hold_expire(ctx, h.hold_id, &released, &err), &err);
	assert_int_equal(released, 0);
	cnt_hold_free(&h);
	cnt_hold_free(&h2);
}

/* The worker's expiry and sweep free expired holds only. */
static void
test_hold_expire_and_sweep(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	int64_t		 a = bk_seat(ctx, show, "E3"), b = bk_seat(ctx, show, "E4");
	struct cnt_hold	 h1, h2;
	struct cnt_error err;
	int		 released;

	(void)state;
	assert_ok(cnt_hold_seats_for(ctx, &alice, show, &a, 1, 1, &h1, &err),
	    &err);
	assert_ok(cnt_hold_seats(ctx, &bob, show, &b, 1, &h2, &err), &err);
	usleep(1100 * 1000);
	assert_ok(cnt_holds_sweep(ctx, &released, &err), &err);
	assert_true(released >= 1);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state = 'held'", show), 1);
	assert_ok(cnt_hold_expire(ctx, h1.hold_id, &released, &err), &err);
	assert_int_equal(released, 0);
	assert_ok(cnt_hold_expire(ctx, h2.hold_id, &released, &err), &err);
	assert_int_equal(released, 0);	/* live: left alone */
	cnt_hold_free(&h1);
	cnt_hold_free(&h2);
}

/* Confirm: code, tickets with types, payment, seats sold, mail. */
static void
test_confirm(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	int64_t		 seats[3] = { bk_seat(ctx, show, "A4"),
			     bk_seat(ctx, show, "A5"), bk_seat(ctx, show, "C4") };
	struct cnt_ticket_choice ch[2] = { { 0, "child" }, { 0, "senior" } };
	struct cnt_hold	 h;
	struct cnt_booking bk, again;
	struct cnt_seatmap m;
	struct cnt_error err;
	size_t		 i;
	const char	*c;

	(void)state;
	ch[0].seat_id = seats[0];
	ch[1].seat_id = seats[2];
	assert_ok(cnt_hold_seats(ctx, &alice, show, seats, 3, &h, &err), &err);
	assert_ok(cnt_booking_confirm(ctx, &alice, h.hold_id, ch, 2,
	    &bk_card_ok, &bk, &err), &err);
	assert_int_equal(strlen(bk.code), 7);
	assert_int_equal(bk.code[3], '-');
	for (c = bk.code; *c != '\0'; c++)
		if (*c != '-' && strchr(CNT_CODE_ALPHABET, *c) == NULL)
			fail_msg("code %s has '%c', not in the alphabet",
			    bk.code, *c);
	assert_int_equal(bk.status, CNT_BOOKING_CONFIRMED);
	assert_string_equal(bk.channel, "ssh");
	assert_int_equal(bk.account_id, alice.account_id);
	/* child 70% of 1000, adult 1000, senior 80% of 1250. */
	assert_int_equal(bk.total_cents, 700 + 1000 + 1000);
	assert_int_equal(bk.ntickets, 3);
	for (i = 0; i < bk.ntickets; i++) {
		if (bk.tickets[i].seat_id == seats[0]) {
			assert_string_equal(bk.tickets[i].ticket_type, "child");
			assert_int_equal(bk.tickets[i].price_cents, 700);
		} else if (bk.tickets[i].seat_id == seats[2]) {
			assert_string_equal(bk.tickets[i].ticket_type,
			    "senior");
			assert_int_equal(bk.tickets[i].price_cents, 1000);
		} else
			assert_string_equal(bk.tickets[i].ticket_type,
			    "adult");
	}
	assert_string_equal(bk.seats_text, "A4 A5 C4");
	assert_string_equal(bk.pay_method, "card");
	assert_string_equal(bk.pay_status, "approved");
	assert_string_equal(bk.card_last4, "4242");
	assert_int_equal(bk.paid_cents, 2700);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE booking_id = $1 AND kind = 'confirmation'"
	    " AND recipient LIKE '%@example.org'", bk.id), 1);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM payments"
	    " WHERE booking_id = $1 AND card_last4 = '4242'", bk.id), 1);

	assert_ok(cnt_seatmap_get(ctx, &alice, show, &m, &err), &err);
	assert_int_equal(state_of(&m, seats[1]), CNT_SEAT_SOLD);
	assert_int_equal(m.my_hold_id, 0);
	cnt_seatmap_free(&m);

	/* Confirming the same hold twice does not sell twice. */
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &bk_card_ok, NULL, &err), &err, CNT_E_CONFLICT);
	assert_ok(cnt_booking_get_by_code(ctx, &alice, bk.code, &again, &err),
	    &err);
	assert_same_booking(&bk, &again);
	cnt_booking_free(&again);
	cnt_booking_free(&bk);
	cnt_hold_free(&h);
}

/* The demo provider: declines, bad numbers, expiry, CVC; who may pay. */
static void
test_confirm_refusals(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	struct cnt_actor guest = { 0, CNT_ROLE_GUEST };
	int64_t		 show = bk_show(ctx);
	int64_t		 seat = bk_seat(ctx, show, "B1");
	struct cnt_payment_input pay = bk_card_ok;
	struct cnt_ticket_choice bad = { 0, "pensioner" };
	struct cnt_hold	 h;
	struct cnt_seatmap m;
	struct cnt_error err;

	(void)state;
	assert_ok(cnt_hold_seats(ctx, &alice, show, &seat, 1, &h, &err),
	    &err);

	pay.card.number = "4000 0000 0000 0002";
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &pay, NULL, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "declined");
	assert_string_equal(err.field, "number");
	pay.card.number = "4242 4242 4242 4241";
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &pay, NULL, &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "number");
	pay.card.number = "4242424242424242";
	pay.card.exp_year = 2020;
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &pay, NULL, &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "expiry");
	pay.card.exp_year = 34;
	pay.card.exp_month = 13;
	assert_refused(cnt_card_check(&pay.card, &err), &err, CNT_E_INVALID);
	pay.card.exp_month = 1;
	pay.card.cvc = "12a";
	assert_refused(cnt_card_check(&pay.card, &err), &err, CNT_E_INVALID);
	assert_string_equal(err.field, "cvc");
	pay.card.cvc = "1234";
	assert_ok(cnt_card_check(&pay.card, &err), &err);

	/* Nothing was charged and the hold is still alice's. */
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1", show), 0);
	assert_ok(cnt_seatmap_get(ctx, &alice, show, &m, &err), &err);
	assert_int_equal(state_of(&m, seat), CNT_SEAT_MINE);
	cnt_seatmap_free(&m);

	/* Unknown ticket type; cash from a customer; a guest; bob. */
	bad.seat_id = seat;
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, &bad, 1,
	    &bk_card_ok, NULL, &err), &err, CNT_E_INVALID);
	assert_contains(err.msg, "pensioner");
	pay = bk_card_ok;
	pay.method = CNT_PAY_CASH;
	pay.cash_given_cents = 5000;
	assert_refused(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &pay, NULL, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_booking_confirm(ctx, &guest, h.hold_id, NULL, 0,
	    &bk_card_ok, NULL, &err), &err, CNT_E_FORBIDDEN);
	assert_refused(cnt_booking_confirm(ctx, &bob, h.hold_id, NULL, 0,
	    &bk_card_ok, NULL, &err), &err, CNT_E_CONFLICT);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM bookings"
	    " WHERE showtime_id = $1", show), 0);

	/* And then the right card works. */
	assert_ok(cnt_booking_confirm(ctx, &alice, h.hold_id, NULL, 0,
	    &bk_card_ok, NULL, &err), &err);
	cnt_hold_free(&h);
}

/* Walk-up: staff sell with cash (change due) or card, in one call. */
static void
test_walkup(void **state)
{
	struct cnt_actor clerk = bk_account(ctx, "staff");
	struct cnt_actor alice = bk_account(ctx, "customer");
	int64_t		 show = bk_show(ctx);
	int64_t		 seats[2] = { bk_seat(ctx, show, "B3"),
			     bk_seat(ctx, show, "B4") };
	struct cnt_walkup w;
	struct cnt_booking bk, again;
	struct cnt_error err;

	(void)state;
	memset(&w, 0, sizeof w);
	w.showtime_id = show;
	w.seat_ids = seats;
	w.nseats = 2;
	w.customer_name = "Walk-up Wanda";
	w.pay.method = CNT_PAY_CASH;
	w.pay.cash_given_cents = 1500;

	assert_refused(cnt_walkup_sell(ctx, &alice, &w, &bk, &err), &err,
	    CNT_E_FORBIDDEN);
	assert_refused(cnt_walkup_sell(ctx, &clerk, &w, &bk, &err), &err,
	    CNT_E_INVALID);
	assert_contains(err.msg, "Not enough cash");
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM showtime_seats"
	    " WHERE showtime_id = $1 AND state <> 'free'", show), 0);

	w.pay.cash_given_cents = 5000;
	assert_ok(cnt_walkup_sell(ctx, &clerk, &w, &bk, &err), &err);
	assert_int_equal(bk.total_cents, 2000);
	assert_int_equal(bk.change_cents, 3000);
	assert_string_equal(bk.channel, "boxoffice");
	assert_string_equal(bk.customer_name, "Walk-up Wanda");
	assert_int_equal(bk.account_id, 0);
	assert_int_equal(bk.sold_by, clerk.account_id);
	assert_string_equal(bk.pay_method, "cash");
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM payments"
	    " WHERE booking_id = $1 AND taken_by IS NOT NULL", bk.id), 1);
	assert_int_equal(bk_count(ctx, "SELECT count(*) FROM mail_outbox"
	    " WHERE booking_id = $1", bk.id), 0);
	assert_ok(cnt_booking_get(ctx, &clerk, bk.id, &again, &err), &err);
	assert_same_booking(&bk, &again);
	cnt_booking_free(&again);
	cnt_booking_free(&bk);

	/* The same seats again: taken. A card sale of others works. */
	w.pay = bk_card_ok;
	assert_refused(cnt_walkup_sell(ctx, &clerk, &w, &bk, &err), &err,
	    CNT_E_CONFLICT);
	seats[0] = bk_seat(ctx, show, "E5");
	w.nseats = 1;
	w.customer_name = NULL;
	assert_ok(cnt_walkup_sell(ctx, &clerk, &w, &bk, &err), &err);
	assert_string_equal(bk.card_last4, "4242");
	assert_int_equal(bk.change_cents, 0);
	cnt_booking_free(&bk);
}

/* Best available: middle row, centre, no lone seats, accessible only when
 * asked. */
static void
test_best_available(void **state)
{
	struct cnt_actor alice = bk_account(ctx, "customer");
	struct cnt_actor bob = bk_account(ctx, "customer");
	/* One wide block of 6 rows x 10, plus a wheelchair row. */
	static const char layout[] =
	    "SSSSSSSSSS\n"
	    "SSSSSSSSSS\n"
	    "SSSSSSSSSS\n"
	    "SSSSSSSSSS\n"
	    "SSSSSSSSSS\n"
	    "WCSSSSSSCW\n";
	int64_t		 show = bk_show_at(ctx, "now() + interval '1 day'",
			     layout);
	int64_t		 ids[4], block[5];
	struct cnt_hold	 h;
	struct cnt_error err;
	char		 label[8];
	int		 i;

	(void)state;
	assert_ok(cnt_best_available(ctx, &alice, show, 2, false, ids, &err),
	    &err);
	/* Middle of 6 rows is between C and D; centre seats 5 and 6. */
	assert_true(ids[0] == bk_seat(ctx, show, "C5") ||
	    ids[0] == bk_seat(ctx, show, "D5"));
	assert_int_equal(ids[1], ids[0] + 1);

	/* Take C1..C3 and C5..C10 leaves only C4 alone if someone took
	 * it; instead fill rows B..E except a gap of 3 in D: the best pair
	 * would leave one seat there, so another row must be chosen. */
	for (i = 0; i < 5; i++) {
		snprintf(label, sizeof label, "D%d", i + 1);
		block[i] = bk_seat(ctx, show, label);
	}
	assert_ok(cnt_hold_seats(ctx, &bob, show, block, 5, &h, &err), &err);
	cnt_hold_free(&h);
	for (i = 0; i < 4; i++) {
		snprintf(label, sizeof label, "C%d", i + 7);
		block[i] = bk_seat(ctx, show, label);
	}
	snprintf(label, sizeof label, "D9");
	block[4] = bk_seat(ctx, show, label);
	{
		struct cnt_actor carol = bk_account(ctx, "customer");

		assert_ok(cnt_hold_seats(ctx, &carol, show, block, 5, &h,
		    &err), &err);
		cnt_hold_free(&h);
	}
	/* D6..D8 free between D5 (taken) and D9 (taken): a pair there
	 * leaves a lone seat. C1..C6 has room without that. */
	assert_ok(cnt_best_available(ctx, &alice, show, 2, false, ids, &err),
	    &err);
	if (ids[0] == bk_seat(ctx, show, "D6") ||
	    ids[0] == bk_seat(ctx, show, "D7"))
		fail_msg("best available left a lone seat in row D");
	/* Three fit D6..D8 exactly, no lone seat: fine to pick. */
	assert_ok(cnt_best_available(ctx, &alice, show, 3, false, ids, &err),
	    &err);

	/* Accessible: a block with a wheelchair place; never otherwise. */
	assert_ok(cnt_best_available(ctx, &alice, show, 2, true, ids, &err),
	    &err);
	assert_true(ids[0] == bk_seat(ctx, show, "F1") ||
	    ids[1] == bk_seat(ctx, show, "F10"));
	assert_ok(cnt_best_available(ctx, &alice, show, 4, false, ids, &err),
	    &err);
	for (i = 0; i < 4; i++)
		if (ids[i] == bk_seat(ctx, show, "F1") ||
		    ids[i] == bk_seat(ctx, show, "F2"))
			fail_msg("a wheelchair place was offered unasked");
	assert_refused(cnt_best_available(ctx, &alice, show, 11, false, ids,
	    &err), &err, CNT_E_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seatmap_states),
		cmocka_unit_test(test_hold_and_replace),
		cmocka_unit_test(test_hold_fast_path),
		cmocka_unit_test(test_hold_refusals),
		cmocka_unit_test(test_hold_expiry_without_worker),
		cmocka_unit_test(test_hold_expire_and_sweep),
		cmocka_unit_test(test_confirm),
		cmocka_unit_test(test_confirm_refusals),
		cmocka_unit_test(test_walkup),
		cmocka_unit_test(test_best_available),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
