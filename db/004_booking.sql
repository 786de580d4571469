-- 004_booking.sql - the booking hot path as plpgsql functions: hold,
-- confirm, cancel, check-in, expiry and completion.
--
-- Each function is one round trip from C (an unnamed PQexecParams call).
-- Errors meant for people are raised with SQLSTATE CN403 (forbidden),
-- CN404 (not found), CN409 (conflict) and CN422 (invalid); core/db.c maps
-- them to error kinds. Permission (who may call what) is decided in C and
-- passed in as the owner to check (NULL: staff, any booking).
--
-- Lock order: seat rows are always locked through the primary key
-- (showtime_id, seat_id = ANY(...)) or with ORDER BY seat_id FOR UPDATE, so
-- two transactions take the seats of one showtime in ascending seat order
-- and never deadlock. No function locks the showtimes row on the hot path.

-- Prices: round(cents * percent / 100), half up, integers only. The same
-- rule as cnt_price_apply() in core/pricing.c.
CREATE FUNCTION cnt_price_apply(p_cents integer, p_percent integer)
RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT ((p_cents::bigint * p_percent + 50) / 100)::integer $$;

-- Sold seats no longer carry a hold id, so the partial index on hold_id
-- holds only live or expired holds: the sweep finds them without reading
-- the whole inventory.
UPDATE showtime_seats SET hold_id = NULL WHERE state = 'sold';

-- Hold P_SEATS of P_SHOWTIME for P_ACCOUNT (NULL: a walk-up sale at the box
-- office) for P_LIFETIME seconds, all or none. The account's previous hold
-- on the showtime is released in the same UPDATE (its seats are part of the
-- same primary-key scan, so the lock order stays ascending). Seats whose
-- hold expired count as free. Returns the hold's seats, ordered by seat id.
CREATE FUNCTION cnt_hold(p_showtime bigint, p_account bigint,
                         p_seats bigint[], p_lifetime integer,
                         p_max integer)
RETURNS TABLE (hold_id bigint, expires_at bigint, seat_id bigint,
               row_label text, number integer, seat_type text,
               price_cents integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_start  timestamptz;
    v_status text;
    v_base   integer;
    v_want   integer;
    v_got    integer;
    v_old    bigint[];
    v_all    bigint[];
    v_hold   bigint;
    v_exp    timestamptz;
    v_taken  text;
BEGIN
    SELECT st.starts_at, st.status, st.base_price_cents
      INTO v_start, v_status, v_base
      FROM showtimes st WHERE st.id = p_showtime;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No such showtime.' USING ERRCODE = 'CN404';
    END IF;
    IF v_status = 'canceled' THEN
        RAISE EXCEPTION 'This showtime was canceled.' USING ERRCODE = 'CN422';
    END IF;
    IF v_status <> 'scheduled' OR v_start <= now() THEN
        RAISE EXCEPTION 'This showtime has already started.'
            USING ERRCODE = 'CN422';
    END IF;
    v_want := (SELECT count(DISTINCT s) FROM unnest(p_seats) s);
    IF v_want = 0 THEN
        RAISE EXCEPTION 'Choose at least one seat.' USING ERRCODE = 'CN422';
    END IF;
    IF v_want > p_max THEN
        RAISE EXCEPTION 'At most % seats can be booked at once.', p_max
            USING ERRCODE = 'CN422';
    END IF;

    -- The account's current hold here (read without locks; the UPDATE
    -- re-checks each row).
    IF p_account IS NOT NULL THEN
        SELECT coalesce(array_agg(ss.seat_id), '{}') INTO v_old
          FROM showtime_seats ss
         WHERE ss.showtime_id = p_showtime AND ss.account_id = p_account
           AND ss.state = 'held' AND ss.seat_id <> ALL (p_seats);
    ELSE
        v_old := '{}';
    END IF;
    v_all := p_seats || v_old;

    v_hold := nextval('holds_id_seq');
    v_exp := now() + make_interval(secs => p_lifetime);
    WITH u AS (
        UPDATE showtime_seats ss SET
            state = CASE WHEN ss.seat_id = ANY (p_seats) THEN 'held' ELSE 'free' END,
            hold_id = CASE WHEN ss.seat_id = ANY (p_seats) THEN v_hold END,
            account_id = CASE WHEN ss.seat_id = ANY (p_seats) THEN p_account END,
            hold_expires = CASE WHEN ss.seat_id = ANY (p_seats) THEN v_exp END,
            price_cents = CASE WHEN ss.seat_id = ANY (p_seats) THEN
                (SELECT cnt_price_apply(v_base, p.percent)
                   FROM seats s JOIN seat_type_prices p USING (seat_type)
                  WHERE s.id = ss.seat_id) END,
            booking_id = NULL
         WHERE ss.showtime_id = p_showtime AND ss.seat_id = ANY (v_all)
           AND ((ss.seat_id = ANY (p_seats)
                 AND (ss.state = 'free'
                      OR (ss.state = 'held'
                          AND (ss.hold_expires <= now()
                               OR ss.account_id = p_account))))
             OR (ss.seat_id = ANY (v_old) AND ss.state = 'held'
                 AND ss.account_id = p_account))
        RETURNING ss.state
    )
    SELECT count(*) FILTER (WHERE u.state = 'held') INTO v_got FROM u;

    IF v_got < v_want THEN
        IF (SELECT count(*) FROM showtime_seats ss
             WHERE ss.showtime_id = p_showtime
               AND ss.seat_id = ANY (p_seats)) < v_want THEN
            RAISE EXCEPTION 'Some of these seats are not in this theatre.'
                USING ERRCODE = 'CN422';
        END IF;
        SELECT string_agg(s.row_label || s.number, ', ' ORDER BY s.y, s.x)
          INTO v_taken
          FROM showtime_seats ss JOIN seats s ON s.id = ss.seat_id
         WHERE ss.showtime_id = p_showtime AND ss.seat_id = ANY (p_seats)
           AND ss.hold_id IS DISTINCT FROM v_hold;
        RAISE EXCEPTION 'Seat taken: % % just taken by someone else.',
            v_taken, CASE WHEN v_taken LIKE '%,%' THEN 'were' ELSE 'was' END
            USING ERRCODE = 'CN409';
    END IF;

    RETURN QUERY
        SELECT v_hold, extract(epoch FROM v_exp)::bigint, s.id, s.row_label,
               s.number, s.seat_type, ss.price_cents
          FROM showtime_seats ss JOIN seats s ON s.id = ss.seat_id
         WHERE ss.showtime_id = p_showtime AND ss.seat_id = ANY (p_seats)
         ORDER BY s.id;
END $$;

-- Release hold P_HOLD now (the owner gave up). P_ACCOUNT NULL: anyone's
-- (staff). Returns the showtime, or NULL when nothing was held.
CREATE FUNCTION cnt_hold_release(p_hold bigint, p_account bigint,
                                 p_any boolean)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_show  bigint;
    v_seats bigint[];
BEGIN
    SELECT min(ss.showtime_id), array_agg(ss.seat_id)
      INTO v_show, v_seats
      FROM showtime_seats ss
     WHERE ss.hold_id = p_hold AND ss.state = 'held'
       AND (p_any OR ss.account_id = p_account);
    IF v_show IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL
     WHERE ss.showtime_id = v_show AND ss.seat_id = ANY (v_seats)
       AND ss.hold_id = p_hold AND ss.state = 'held';
    RETURN v_show;
END $$;

-- Free hold P_HOLD if it has expired. Idempotent. Returns seats freed.
CREATE FUNCTION cnt_hold_expire(p_hold bigint)
RETURNS TABLE (showtime_id bigint, released integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_show  bigint;
    v_seats bigint[];
    v_n     integer;
BEGIN
    SELECT min(ss.showtime_id), array_agg(ss.seat_id)
      INTO v_show, v_seats
      FROM showtime_seats ss
     WHERE ss.hold_id = p_hold AND ss.state = 'held'
       AND ss.hold_expires <= now();
    IF v_show IS NULL THEN
        RETURN QUERY SELECT NULL::bigint, 0;
        RETURN;
    END IF;
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL
     WHERE ss.showtime_id = v_show AND ss.seat_id = ANY (v_seats)
       AND ss.hold_id = p_hold AND ss.state = 'held'
       AND ss.hold_expires <= now();
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN QUERY SELECT v_show, v_n;
END $$;

-- Confirm hold P_HOLD of P_HOLDER (NULL: a walk-up hold) as booking code
-- P_CODE for P_ACCOUNT (NULL: a box-office sale). P_CSEATS/P_CTYPES choose
-- a ticket type per seat (others are 'adult'). In this one statement: the
-- payment, the booking, its tickets, the seats sold and a confirmation
-- mail. P_CASH_GIVEN is checked against the total for cash.
CREATE FUNCTION cnt_confirm(p_hold bigint, p_holder bigint, p_account bigint,
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
    -- Lock the live hold's seats in seat order.
    SELECT min(x.showtime_id), count(*), array_agg(x.seat_id)
      INTO v_show, v_n, v_ids FROM (
        SELECT ss.showtime_id, ss.seat_id FROM showtime_seats ss
         WHERE ss.hold_id = p_hold AND ss.state = 'held'
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
    SELECT st.starts_at, st.ends_at, st.status INTO v_start, v_end, v_status
      FROM showtimes st WHERE st.id = v_show;
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
CREATE FUNCTION cnt_cancel(p_booking bigint, p_owner bigint, p_cutoff integer,
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

-- Check in booking P_CODE: the tickets P_TICKETS (NULL: all) from
-- P_OPEN minutes before the start until the end. Returns the booking id
-- and how many tickets were checked in now.
CREATE FUNCTION cnt_checkin(p_code text, p_tickets bigint[], p_open integer)
RETURNS TABLE (booking_id bigint, checked integer)
LANGUAGE plpgsql AS $$
DECLARE
    b        bookings%ROWTYPE;
    v_start  timestamptz;
    v_end    timestamptz;
    v_n      integer;
    v_first  timestamptz;
BEGIN
    SELECT * INTO b FROM bookings WHERE code = p_code FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No booking has the code %.', p_code
            USING ERRCODE = 'CN404';
    END IF;
    IF b.status IN ('canceled', 'refunded') THEN
        RAISE EXCEPTION 'Booking % was canceled.', p_code
            USING ERRCODE = 'CN409';
    END IF;
    IF b.status = 'no_show' THEN
        RAISE EXCEPTION 'Booking % was marked as a no-show.', p_code
            USING ERRCODE = 'CN409';
    END IF;
    SELECT st.starts_at, st.ends_at INTO v_start, v_end
      FROM showtimes st WHERE st.id = b.showtime_id;
    IF now() < v_start - make_interval(mins => p_open) THEN
        RAISE EXCEPTION 'Check-in opens at % (% minutes before the start).',
            to_char(v_start - make_interval(mins => p_open), 'HH24:MI'),
            p_open USING ERRCODE = 'CN422';
    END IF;
    IF now() > v_end THEN
        RAISE EXCEPTION 'The show ended at %; check-in is closed.',
            to_char(v_end, 'HH24:MI') USING ERRCODE = 'CN422';
    END IF;
    IF p_tickets IS NOT NULL AND (SELECT count(*) FROM tickets t
        WHERE t.booking_id = b.id AND t.id = ANY (p_tickets))
        <> (SELECT count(DISTINCT x) FROM unnest(p_tickets) x) THEN
        RAISE EXCEPTION 'Those tickets are not part of booking %.', p_code
            USING ERRCODE = 'CN404';
    END IF;
    UPDATE tickets t SET checked_in_at = now()
     WHERE t.booking_id = b.id AND t.status = 'valid'
       AND t.checked_in_at IS NULL
       AND (p_tickets IS NULL OR t.id = ANY (p_tickets));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n = 0 THEN
        SELECT min(t.checked_in_at) INTO v_first FROM tickets t
         WHERE t.booking_id = b.id
           AND (p_tickets IS NULL OR t.id = ANY (p_tickets));
        IF v_first IS NULL THEN
            RAISE EXCEPTION 'Booking % has no valid tickets.', p_code
                USING ERRCODE = 'CN409';
        END IF;
        RAISE EXCEPTION 'Already checked in at %.', to_char(v_first, 'HH24:MI')
            USING ERRCODE = 'CN409';
    END IF;
    RETURN QUERY SELECT b.id, v_n;
END $$;

-- Mark P_BOOKING a no-show: confirmed, nothing checked in, show started.
CREATE FUNCTION cnt_no_show(p_booking bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    b       bookings%ROWTYPE;
    v_start timestamptz;
BEGIN
    SELECT * INTO b FROM bookings WHERE id = p_booking FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No such booking.' USING ERRCODE = 'CN404';
    END IF;
    IF b.status <> 'confirmed' THEN
        RAISE EXCEPTION 'Only a confirmed booking can be marked as a no-show (this one is %).',
            replace(b.status, '_', '-') USING ERRCODE = 'CN409';
    END IF;
    SELECT st.starts_at INTO v_start FROM showtimes st
     WHERE st.id = b.showtime_id;
    IF now() < v_start THEN
        RAISE EXCEPTION 'The show has not started yet.' USING ERRCODE = 'CN422';
    END IF;
    IF EXISTS (SELECT 1 FROM tickets t WHERE t.booking_id = b.id
                AND t.checked_in_at IS NOT NULL) THEN
        RAISE EXCEPTION 'This booking was checked in.' USING ERRCODE = 'CN409';
    END IF;
    UPDATE bookings SET status = 'no_show' WHERE id = b.id;
    RETURN b.showtime_id;
END $$;

-- Cancel showtime P_SHOWTIME (not started): refund every confirmed
-- booking, free every seat. Returns the number of bookings refunded.
CREATE FUNCTION cnt_showtime_cancel(p_showtime bigint, p_by bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_start  timestamptz;
    v_status text;
    v_b      bigint;
    v_n      integer := 0;
BEGIN
    SELECT st.starts_at, st.status INTO v_start, v_status
      FROM showtimes st WHERE st.id = p_showtime FOR UPDATE;
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
    FOR v_b IN SELECT b.id FROM bookings b
                WHERE b.showtime_id = p_showtime AND b.status = 'confirmed'
                ORDER BY b.id LOOP
        PERFORM cnt_cancel(v_b, NULL, 0, p_by, 'showtime canceled');
        v_n := v_n + 1;
    END LOOP;
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL,
           booking_id = NULL
     WHERE ss.showtime_id = p_showtime AND ss.state <> 'free';
    RETURN v_n;
END $$;

-- Confirmed bookings of P_SHOWTIME become completed once the show ended
-- more than P_AFTER minutes ago; the showtime too. Idempotent.
CREATE FUNCTION cnt_showtime_complete(p_showtime bigint, p_after integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_n integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM showtimes st WHERE st.id = p_showtime
                    AND st.status <> 'canceled'
                    AND st.ends_at + make_interval(mins => p_after) <= now())
    THEN
        RETURN 0;
    END IF;
    UPDATE bookings b SET status = 'completed', completed_at = now()
     WHERE b.showtime_id = p_showtime AND b.status = 'confirmed';
    GET DIAGNOSTICS v_n = ROW_COUNT;
    UPDATE showtimes SET status = 'completed', completed_at = now()
     WHERE id = p_showtime AND status = 'scheduled';
    RETURN v_n;
END $$;

-- Free every expired hold. Returns one row per hold freed.
CREATE FUNCTION cnt_holds_sweep()
RETURNS TABLE (showtime_id bigint, released integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_h bigint;
BEGIN
    FOR v_h IN SELECT DISTINCT ss.hold_id FROM showtime_seats ss
                WHERE ss.hold_id IS NOT NULL AND ss.state = 'held'
                  AND ss.hold_expires <= now() LOOP
        RETURN QUERY SELECT e.showtime_id, e.released
                       FROM cnt_hold_expire(v_h) e WHERE e.released > 0;
    END LOOP;
END $$;
