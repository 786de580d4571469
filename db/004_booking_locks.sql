-- 004_booking_locks.sql - one lock order for everything that changes a
-- showtime's sales, so cancelling a showtime while customers pay neither
-- deadlocks nor misses a booking: the showtime row first (cnt_confirm and
-- cnt_cancel share it, cnt_showtime_cancel takes it alone; FOR NO KEY
-- UPDATE so the bookings foreign key's KEY SHARE never waits on it), then
-- bookings, then seats in seat-id order. cnt_showtime_cancel frees the
-- seats before it looks for bookings. Replaces these three functions of
-- 004_booking.sql; holds still never touch the showtime row.

-- Confirm hold P_HOLD of P_HOLDER (NULL: a walk-up hold) as booking code
-- P_CODE for P_ACCOUNT (NULL: a box-office sale). P_CSEATS/P_CTYPES choose
-- a ticket type per seat (others are 'adult'). In this one statement: the
-- payment, the booking, its tickets, the seats sold and a confirmation
-- mail. P_CASH_GIVEN is checked against the total for cash.
CREATE OR REPLACE FUNCTION cnt_confirm(p_hold bigint, p_holder bigint, p_account bigint,
                            p_cseats bigint[], p_ctypes text[],
                            p_method text, p_last4 text,
                            p_cash_given integer, p_staff bigint,
                            p_channel text, p_customer text, p_code text)
RETURNS TABLE (booking_id bigint, total_cents integer, showtime_id bigint,
               ends_at bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_show   bigint;
    v_n      integer;
    v_start  timestamptz;
    v_end    timestamptz;
    v_status text;
    v_total  integer;
    v_bad    text;
    v_book   bigint;
    v_email  text;
    v_ids    bigint[];
    v_codes  text[];
    v_prices integer[];
BEGIN
    -- The showtime first (shared: confirms do not wait for each other),
    -- then the live hold's seats in seat order: the same order as
    -- cnt_showtime_cancel, which takes the showtime exclusively.
    SELECT min(ss.showtime_id) INTO v_show FROM showtime_seats ss
     WHERE ss.hold_id = p_hold;
    IF v_show IS NOT NULL THEN
        SELECT st.starts_at, st.ends_at, st.status
          INTO v_start, v_end, v_status
          FROM showtimes st WHERE st.id = v_show FOR SHARE;
    END IF;
    SELECT count(*), array_agg(x.seat_id) INTO v_n, v_ids FROM (
        SELECT ss.seat_id FROM showtime_seats ss
         WHERE ss.hold_id = p_hold AND ss.showtime_id = v_show
           AND ss.state = 'held'
           AND ss.hold_expires > now()
           AND ss.account_id IS NOT DISTINCT FROM p_holder
         ORDER BY ss.seat_id FOR UPDATE) x;
    IF v_n = 0 THEN
        RAISE EXCEPTION 'Your hold expired and the seats were released; nothing was charged. Please choose your seats again.'
            USING ERRCODE = 'CN409';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_cseats) c WHERE c <> ALL (v_ids)) THEN
        RAISE EXCEPTION 'A ticket type was chosen for a seat that is not in this hold.'
            USING ERRCODE = 'CN422';
    END IF;
    SELECT string_agg(DISTINCT t, ', ') INTO v_bad
      FROM unnest(p_ctypes) t
     WHERE NOT EXISTS (SELECT 1 FROM ticket_types tt
                        WHERE tt.code = t AND tt.active);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'Unknown ticket type: %.', v_bad
            USING ERRCODE = 'CN422';
    END IF;
    IF v_status <> 'scheduled' OR v_start <= now() THEN
        RAISE EXCEPTION 'This showtime has already started or was canceled.'
            USING ERRCODE = 'CN422';
    END IF;

    SELECT array_agg(h.seat_id ORDER BY h.seat_id),
           array_agg(tt.code ORDER BY h.seat_id),
           array_agg(cnt_price_apply(h.price_cents, tt.percent)
                     ORDER BY h.seat_id)
      INTO v_ids, v_codes, v_prices
      FROM (SELECT ss.seat_id, ss.price_cents,
                   coalesce((SELECT c.t FROM unnest(p_cseats, p_ctypes)
                                          AS c (s, t)
                              WHERE c.s = ss.seat_id LIMIT 1),
                            'adult') AS code
              FROM showtime_seats ss
             WHERE ss.showtime_id = v_show AND ss.seat_id = ANY (v_ids)) h
      JOIN ticket_types tt ON tt.code = h.code AND tt.active;
    IF coalesce(cardinality(v_ids), 0) <> v_n THEN
        RAISE EXCEPTION 'The adult ticket type is not on sale; choose a ticket type for each seat.'
            USING ERRCODE = 'CN422';
    END IF;
    v_total := (SELECT sum(x) FROM unnest(v_prices) x);

    IF p_method = 'cash' AND coalesce(p_cash_given, 0) < v_total THEN
        RAISE EXCEPTION 'Not enough cash: the total is %.',
            to_char(v_total / 100.0, 'FM9999990.00') USING ERRCODE = 'CN422';
    END IF;

    INSERT INTO bookings (code, account_id, customer_name, showtime_id,
                          hold_id, channel, total_cents, sold_by)
    VALUES (p_code, p_account, coalesce(p_customer, ''), v_show, p_hold,
            p_channel, v_total, p_staff)
    RETURNING id INTO v_book;
    INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type,
                         price_cents)
    SELECT v_book, v_show, u.s, u.t, u.p
      FROM unnest(v_ids, v_codes, v_prices) AS u (s, t, p);
    INSERT INTO payments (booking_id, method, amount_cents, card_last4,
                          taken_by)
    VALUES (v_book, p_method, v_total, p_last4, p_staff);
    UPDATE showtime_seats ss SET state = 'sold', booking_id = v_book,
           account_id = p_account, hold_id = NULL, hold_expires = NULL
     WHERE ss.showtime_id = v_show AND ss.seat_id = ANY (v_ids)
       AND ss.hold_id = p_hold;
    IF p_account IS NOT NULL THEN
        SELECT a.email INTO v_email FROM accounts a WHERE a.id = p_account;
        INSERT INTO mail_outbox (booking_id, kind, recipient)
        VALUES (v_book, 'confirmation', v_email);
    END IF;
    RETURN QUERY SELECT v_book, v_total, v_show,
                        extract(epoch FROM v_end)::bigint;
END $$;

-- Cancel and refund booking P_BOOKING. P_OWNER set: only that account's
-- booking, and only until P_CUTOFF minutes before the start. Staff pass
-- NULL and 0. Frees the seats and queues a cancellation mail. Returns the
-- showtime and the amount refunded.
CREATE OR REPLACE FUNCTION cnt_cancel(p_booking bigint, p_owner bigint, p_cutoff integer,
                           p_by bigint, p_reason text)
RETURNS TABLE (showtime_id bigint, refunded_cents integer)
LANGUAGE plpgsql AS $$
DECLARE
    b        bookings%ROWTYPE;
    v_start  timestamptz;
    v_pay    bigint;
    v_paid   integer;
    v_email  text;
BEGIN
    -- Lock order: the showtime (shared), then the booking, then seats,
    -- as cnt_confirm and cnt_showtime_cancel do.
    PERFORM 1 FROM showtimes st
      WHERE st.id = (SELECT bb.showtime_id FROM bookings bb
                      WHERE bb.id = p_booking)
      FOR SHARE;
    SELECT * INTO b FROM bookings WHERE id = p_booking FOR UPDATE;
    IF NOT FOUND OR (p_owner IS NOT NULL
                     AND b.account_id IS DISTINCT FROM p_owner) THEN
        RAISE EXCEPTION 'No such booking.' USING ERRCODE = 'CN404';
    END IF;
    IF b.status IN ('canceled', 'refunded') THEN
        RAISE EXCEPTION 'This booking was canceled already.'
            USING ERRCODE = 'CN409';
    END IF;
    IF b.status <> 'confirmed' THEN
        RAISE EXCEPTION 'This booking is %; it can no longer be canceled.',
            replace(b.status, '_', '-') USING ERRCODE = 'CN409';
    END IF;
    SELECT st.starts_at INTO v_start FROM showtimes st
     WHERE st.id = b.showtime_id;
    IF v_start <= now() THEN
        RAISE EXCEPTION 'The show has started; the booking can no longer be canceled.'
            USING ERRCODE = 'CN422';
    END IF;
    IF p_owner IS NOT NULL
       AND v_start - make_interval(mins => p_cutoff) < now() THEN
        RAISE EXCEPTION 'Bookings can be canceled up to % minutes before the start; please ask at the box office.',
            p_cutoff USING ERRCODE = 'CN403';
    END IF;

    SELECT p.id, p.amount_cents INTO v_pay, v_paid FROM payments p
     WHERE p.booking_id = b.id AND p.status = 'approved'
     ORDER BY p.id LIMIT 1;
    IF v_pay IS NOT NULL THEN
        INSERT INTO refunds (booking_id, payment_id, amount_cents, reason,
                             refunded_by)
        VALUES (b.id, v_pay, v_paid, coalesce(p_reason, ''), p_by);
        UPDATE payments SET status = 'refunded' WHERE id = v_pay;
    END IF;
    UPDATE tickets SET status = 'refunded'
     WHERE tickets.booking_id = b.id AND status = 'valid';
    UPDATE bookings SET status = CASE WHEN v_pay IS NULL THEN 'canceled'
                                      ELSE 'refunded' END,
           canceled_at = now()
     WHERE id = b.id;
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL,
           booking_id = NULL
     WHERE ss.showtime_id = b.showtime_id
       AND ss.seat_id = ANY (ARRAY(SELECT t.seat_id FROM tickets t
                                    WHERE t.booking_id = b.id))
       AND ss.booking_id = b.id;
    IF b.account_id IS NOT NULL THEN
        SELECT a.email INTO v_email FROM accounts a WHERE a.id = b.account_id;
        INSERT INTO mail_outbox (booking_id, kind, recipient)
        VALUES (b.id, 'cancellation', v_email);
    END IF;
    RETURN QUERY SELECT b.showtime_id, coalesce(v_paid, 0);
END $$;

-- Cancel showtime P_SHOWTIME (not started): refund every confirmed
-- booking, free every seat. Returns the number of bookings refunded.
CREATE OR REPLACE FUNCTION cnt_showtime_cancel(p_showtime bigint, p_by bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_start  timestamptz;
    v_status text;
    v_b      bigint;
    v_n      integer := 0;
BEGIN
    SELECT st.starts_at, st.status INTO v_start, v_status
      FROM showtimes st WHERE st.id = p_showtime FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No such showtime.' USING ERRCODE = 'CN404';
    END IF;
    IF v_status = 'canceled' THEN
        RAISE EXCEPTION 'This showtime was canceled already.'
            USING ERRCODE = 'CN409';
    END IF;
    IF v_status <> 'scheduled' OR v_start <= now() THEN
        RAISE EXCEPTION 'This showtime has started; it can no longer be canceled.'
            USING ERRCODE = 'CN422';
    END IF;
    UPDATE showtimes SET status = 'canceled' WHERE id = p_showtime;
    -- Seats first: this waits for any confirm that holds seat locks, so
    -- its booking is committed before the loop below looks for bookings,
    -- and a confirm that comes later finds its seats free ("expired").
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL,
           booking_id = NULL
     WHERE ss.showtime_id = p_showtime AND ss.state <> 'free';
    FOR v_b IN SELECT b.id FROM bookings b
                WHERE b.showtime_id = p_showtime AND b.status = 'confirmed'
                ORDER BY b.id LOOP
        PERFORM cnt_cancel(v_b, NULL, 0, p_by, 'showtime canceled');
        v_n := v_n + 1;
    END LOOP;
    RETURN v_n;
END $$;

