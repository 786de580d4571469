-- 007_hold_fast.sql - a shorter booking hot path (issue 10), measured with
-- pg_stat_statements on the bench (tests/bench/run.sh):
--
--  * Every hold updated its seat rows out of place (not HOT) because the
--    partial index on showtime_seats.hold_id covers a column the hold
--    writes: two index entries per seat per hold, and a growing index. The
--    index goes; a hold id now carries its showtime, so a lookup by hold id
--    is a primary-key range scan of that showtime's seats:
--        hold_id = nextval('holds_id_seq') * 2^28 + showtime_id
--    Ids still grow with the sequence (later holds have larger ids), a
--    showtime id must stay below 2^28 (268 million) and the sequence below
--    2^35. cnt_hold_showtime() decodes it; 006_jobs.sql's batch expiry
--    is redone here to use it.
--  * plpgsql re-planned the hold's UPDATE and its result query on every call
--    (custom plans won the plan cache's cost comparison): a third of the
--    time. The hot functions force generic plans, which are the same
--    primary-key scans.
--  * A hold read the account's previous hold in a separate scan of the
--    showtime's seats, then updated by primary key, then read the seats
--    again for the answer. Now: one read of the seats asked for (prices
--    included), one UPDATE over the showtime's seats in seat order that
--    takes the new seats and frees the account's previous hold together,
--    and the answer from the arrays already read.
--  * A confirm ran a dozen statements plus eighteen foreign-key checks, two
--    of them on rows every confirm shares (the seat rows of a theatre, the
--    'adult' ticket type: MultiXact churn), and took the showtime row FOR
--    SHARE. Now: the showtime (still FOR SHARE: see cnt_confirm), the
--    locked seats with their prices, the ticket types, and one statement
--    that writes booking, tickets, payment, mail and seats.
--    tickets.seat_id and tickets.ticket_type lose their foreign keys: a
--    ticket's seat comes from the showtime's inventory (whose seat_id has
--    one; seats are deleted only with their theatre, which a booked
--    showtime keeps), and ticket types are checked (active) by cnt_confirm;
--    a trigger keeps a used ticket type from being deleted or renamed.

DROP INDEX showtime_seats_hold;

-- Live holds get ids in the new form (the old ids are all below 2^28, the
-- new ones above, so nothing collides). A hold expiry job queued under an
-- old id finds nothing; the sweep frees those seats.
UPDATE showtime_seats SET hold_id = hold_id * 268435456 + showtime_id
 WHERE hold_id IS NOT NULL AND hold_id < 268435456;

-- The showtime a hold id belongs to (NULL for an id of the old form). The
-- plpgsql functions below spell the expression out: a SQL function called
-- from plpgsql is planned again on every call.
CREATE FUNCTION cnt_hold_showtime(p_hold bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT CASE WHEN p_hold >= 268435456 THEN p_hold % 268435456 END $$;

-- Hold P_SEATS of P_SHOWTIME for P_ACCOUNT (NULL: a walk-up sale at the box
-- office) for P_LIFETIME seconds, all or none. The account's previous hold
-- on the showtime is released in the same UPDATE, which walks the
-- showtime's seats in primary-key order, so seats are always locked in
-- ascending seat id. Seats whose hold expired count as free. Returns the
-- hold's seats, ordered by seat id.
CREATE OR REPLACE FUNCTION cnt_hold(p_showtime bigint, p_account bigint,
                         p_seats bigint[], p_lifetime integer,
                         p_max integer)
RETURNS TABLE (hold_id bigint, expires_at bigint, seat_id bigint,
               row_label text, number integer, seat_type text,
               price_cents integer)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_start  timestamptz;
    v_status text;
    v_want   integer;
    v_got    integer;
    v_ids    bigint[];
    v_rows   text[];
    v_nums   integer[];
    v_types  text[];
    v_prices integer[];
    v_hold   bigint;
    v_exp    timestamptz;
    v_taken  text;
BEGIN
    -- The showtime and the seats asked for (of its theatre), priced.
    SELECT st.starts_at, st.status,
           (SELECT count(DISTINCT x) FROM unnest(p_seats) x),
           s.ids, s.rows, s.nums, s.types, s.prices
      INTO v_start, v_status, v_want,
           v_ids, v_rows, v_nums, v_types, v_prices
      FROM showtimes st
      LEFT JOIN LATERAL (
          SELECT array_agg(se.id ORDER BY se.id) AS ids,
                 array_agg(se.row_label ORDER BY se.id) AS rows,
                 array_agg(se.number ORDER BY se.id) AS nums,
                 array_agg(se.seat_type ORDER BY se.id) AS types,
                 array_agg(cnt_price_apply(st.base_price_cents, p.percent)
                           ORDER BY se.id) AS prices
            FROM seats se JOIN seat_type_prices p USING (seat_type)
           WHERE se.id = ANY (p_seats) AND se.theatre_id = st.theatre_id
      ) s ON true
     WHERE st.id = p_showtime;
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
    IF v_want = 0 THEN
        RAISE EXCEPTION 'Choose at least one seat.' USING ERRCODE = 'CN422';
    END IF;
    IF v_want > p_max THEN
        RAISE EXCEPTION 'At most % seats can be booked at once.', p_max
            USING ERRCODE = 'CN422';
    END IF;
    IF p_showtime >= 268435456 THEN
        RAISE EXCEPTION 'showtime id % is too large for a hold id', p_showtime;
    END IF;
    v_ids := coalesce(v_ids, '{}');

    v_hold := nextval('holds_id_seq') * 268435456 + p_showtime;
    v_exp := now() + make_interval(secs => p_lifetime);
    WITH u AS (
        UPDATE showtime_seats ss SET
            state = CASE WHEN ss.seat_id = ANY (v_ids) THEN 'held' ELSE 'free' END,
            hold_id = CASE WHEN ss.seat_id = ANY (v_ids) THEN v_hold END,
            account_id = CASE WHEN ss.seat_id = ANY (v_ids) THEN p_account END,
            hold_expires = CASE WHEN ss.seat_id = ANY (v_ids) THEN v_exp END,
            price_cents = v_prices[array_position(v_ids, ss.seat_id)],
            booking_id = NULL
         WHERE ss.showtime_id = p_showtime
           AND ((ss.seat_id = ANY (v_ids)
                 AND (ss.state = 'free'
                      OR (ss.state = 'held'
                          AND (ss.hold_expires <= now()
                               OR ss.account_id = p_account))))
             OR (ss.state = 'held' AND ss.account_id = p_account))
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
        SELECT v_hold, extract(epoch FROM v_exp)::bigint,
               u.i, u.r, u.n, u.t, u.p
          FROM unnest(v_ids, v_rows, v_nums, v_types, v_prices)
               AS u (i, r, n, t, p);
END $$;

-- Release hold P_HOLD now (the owner gave up). P_ANY: anyone's (staff),
-- else only P_ACCOUNT's. Returns the showtime, or NULL when nothing was
-- held.
CREATE OR REPLACE FUNCTION cnt_hold_release(p_hold bigint, p_account bigint,
                                            p_any boolean)
RETURNS bigint LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_show bigint := CASE WHEN p_hold >= 268435456
                               THEN p_hold % 268435456 END;
    v_n    integer;
BEGIN
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL
     WHERE ss.showtime_id = v_show AND ss.hold_id = p_hold
       AND ss.state = 'held' AND (p_any OR ss.account_id = p_account);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN CASE WHEN v_n > 0 THEN v_show END;
END $$;

-- Free hold P_HOLD if it has expired. Idempotent. Returns seats freed.
CREATE OR REPLACE FUNCTION cnt_hold_expire(p_hold bigint)
RETURNS TABLE (showtime_id bigint, released integer)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_show bigint := CASE WHEN p_hold >= 268435456
                               THEN p_hold % 268435456 END;
    v_n    integer;
BEGIN
    UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
           account_id = NULL, hold_expires = NULL, price_cents = NULL
     WHERE ss.showtime_id = v_show AND ss.hold_id = p_hold
       AND ss.state = 'held' AND ss.hold_expires <= now();
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN QUERY SELECT CASE WHEN v_n > 0 THEN v_show END, v_n;
END $$;

-- 006_jobs.sql's batch expiry, finding seats by hold id through the
-- showtime each id names (the primary key) now that hold_id has no index;
-- otherwise unchanged. An id of the old form finds nothing.
CREATE OR REPLACE FUNCTION cnt_holds_expire(p_holds bigint[])
RETURNS TABLE (hold_id bigint, showtime_id bigint, released integer,
               left_ms bigint)
LANGUAGE sql AS $$
    WITH cand AS (
        SELECT ss.showtime_id, ss.seat_id, ss.hold_id
          FROM showtime_seats ss
         WHERE ss.showtime_id = ANY (ARRAY(
                   SELECT DISTINCT cnt_hold_showtime(h)
                     FROM unnest(p_holds) h))
           AND ss.hold_id = ANY (p_holds) AND ss.state = 'held'
           AND ss.hold_expires <= now()
         ORDER BY ss.showtime_id, ss.seat_id
           FOR UPDATE
    ), freed AS (
        UPDATE showtime_seats ss SET state = 'free', hold_id = NULL,
               account_id = NULL, hold_expires = NULL, price_cents = NULL
          FROM cand c
         WHERE ss.showtime_id = c.showtime_id AND ss.seat_id = c.seat_id
           AND ss.hold_id = c.hold_id AND ss.state = 'held'
           AND ss.hold_expires <= now()
        RETURNING c.hold_id, c.showtime_id
    ), per AS (
        SELECT f.hold_id, min(f.showtime_id) AS showtime_id,
               count(*)::integer AS n
          FROM freed f GROUP BY f.hold_id
    )
    SELECT h.id, per.showtime_id, coalesce(per.n, 0),
           CASE WHEN per.n IS NULL THEN
               (SELECT ceil(extract(epoch FROM ss.hold_expires - now())
                            * 1000)::bigint
                  FROM showtime_seats ss
                 WHERE ss.showtime_id = cnt_hold_showtime(h.id)
                   AND ss.hold_id = h.id AND ss.state = 'held'
                 LIMIT 1) END
      FROM unnest(p_holds) h(id)
      LEFT JOIN per ON per.hold_id = h.id
$$;

-- Tickets keep their seat and ticket type without foreign keys (see the
-- top); a ticket type in use stays.
ALTER TABLE tickets DROP CONSTRAINT tickets_seat_id_fkey;
ALTER TABLE tickets DROP CONSTRAINT tickets_ticket_type_fkey;

CREATE FUNCTION ticket_types_keep_used() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'DELETE' OR NEW.code IS DISTINCT FROM OLD.code)
       AND EXISTS (SELECT 1 FROM tickets t WHERE t.ticket_type = OLD.code)
    THEN
        RAISE EXCEPTION 'Ticket type % is used by tickets; deactivate it instead.',
            OLD.code USING ERRCODE = '23503';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER ticket_types_keep_used BEFORE DELETE OR UPDATE OF code
    ON ticket_types FOR EACH ROW EXECUTE FUNCTION ticket_types_keep_used();

-- Confirm hold P_HOLD of P_HOLDER (NULL: a walk-up hold) as booking code
-- P_CODE for P_ACCOUNT (NULL: a box-office sale). P_CSEATS/P_CTYPES choose
-- a ticket type per seat (others are 'adult'). In this one call: the
-- payment, the booking, its tickets, the seats sold and a confirmation
-- mail. P_CASH_GIVEN is checked against the total for cash.
--
-- Lock order as in 004_booking_locks.sql: the showtime FOR SHARE, then the
-- seats in seat order. The seat locks alone do not order a confirm after
-- cnt_showtime_cancel: a hold that commits while the cancel's UPDATE of the
-- seats runs is not seen by it (its snapshot is older), and that hold's
-- confirm would then sell on a canceled showtime (test-race caught it).
CREATE OR REPLACE FUNCTION cnt_confirm(p_hold bigint, p_holder bigint, p_account bigint,
                            p_cseats bigint[], p_ctypes text[],
                            p_method text, p_last4 text,
                            p_cash_given integer, p_staff bigint,
                            p_channel text, p_customer text, p_code text)
RETURNS TABLE (booking_id bigint, total_cents integer, showtime_id bigint,
               ends_at bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_show   bigint := CASE WHEN p_hold >= 268435456
                               THEN p_hold % 268435456 END;
    v_n      integer;
    v_start  timestamptz;
    v_end    timestamptz;
    v_status text;
    v_total  integer;
    v_bad    text;
    v_book   bigint;
    v_ids    bigint[];
    v_base   integer[];
    v_codes  text[];
    v_prices integer[];
BEGIN
    -- The showtime (shared: confirms do not wait for each other), then the
    -- live hold's seats, locked in seat order, with their prices.
    SELECT st.starts_at, st.ends_at, st.status INTO v_start, v_end, v_status
      FROM showtimes st WHERE st.id = v_show FOR SHARE;
    SELECT count(*), array_agg(x.seat_id), array_agg(x.price_cents)
      INTO v_n, v_ids, v_base FROM (
        SELECT ss.seat_id, ss.price_cents FROM showtime_seats ss
         WHERE ss.showtime_id = v_show AND ss.hold_id = p_hold
           AND ss.state = 'held'
           AND ss.hold_expires > now()
           AND ss.account_id IS NOT DISTINCT FROM p_holder
         ORDER BY ss.seat_id FOR UPDATE) x;
    IF v_n = 0 THEN
        RAISE EXCEPTION 'Your hold expired and the seats were released; nothing was charged. Please choose your seats again.'
            USING ERRCODE = 'CN409';
    END IF;
    IF cardinality(p_cseats) > 0 THEN
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
    END IF;
    IF v_status <> 'scheduled' OR v_start <= now() THEN
        RAISE EXCEPTION 'This showtime has already started or was canceled.'
            USING ERRCODE = 'CN422';
    END IF;

    -- Ticket type and price per seat, in seat order.
    SELECT array_agg(tt.code ORDER BY h.o),
           array_agg(cnt_price_apply(h.price, tt.percent) ORDER BY h.o)
      INTO v_codes, v_prices
      FROM unnest(v_ids, v_base) WITH ORDINALITY AS h (seat, price, o)
      JOIN ticket_types tt
        ON tt.code = coalesce(p_ctypes[array_position(p_cseats, h.seat)],
                              'adult')
       AND tt.active;
    IF coalesce(cardinality(v_codes), 0) <> v_n THEN
        RAISE EXCEPTION 'The adult ticket type is not on sale; choose a ticket type for each seat.'
            USING ERRCODE = 'CN422';
    END IF;
    v_total := (SELECT sum(x) FROM unnest(v_prices) x);

    IF p_method = 'cash' AND coalesce(p_cash_given, 0) < v_total THEN
        RAISE EXCEPTION 'Not enough cash: the total is %.',
            to_char(v_total / 100.0, 'FM9999990.00') USING ERRCODE = 'CN422';
    END IF;

    -- Everything written in one statement.
    WITH b AS (
        INSERT INTO bookings (code, account_id, customer_name, showtime_id,
                              hold_id, channel, total_cents, sold_by)
        VALUES (p_code, p_account, coalesce(p_customer, ''), v_show,
                p_hold, p_channel, v_total, p_staff)
        RETURNING id
    ), t AS (
        INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type,
                             price_cents)
        SELECT b.id, v_show, u.s, u.t, u.p
          FROM b, unnest(v_ids, v_codes, v_prices) AS u (s, t, p)
    ), pay AS (
        INSERT INTO payments (booking_id, method, amount_cents, card_last4,
                              taken_by)
        SELECT b.id, p_method, v_total, p_last4, p_staff FROM b
    ), m AS (
        INSERT INTO mail_outbox (booking_id, kind, recipient)
        SELECT b.id, 'confirmation', a.email
          FROM b, accounts a WHERE a.id = p_account
    ), s AS (
        UPDATE showtime_seats ss SET state = 'sold', booking_id = b.id,
               account_id = p_account, hold_id = NULL, hold_expires = NULL
          FROM b
         WHERE ss.showtime_id = v_show AND ss.seat_id = ANY (v_ids)
           AND ss.hold_id = p_hold
    )
    SELECT b.id INTO v_book FROM b;
    RETURN QUERY SELECT v_book, v_total, v_show,
                        extract(epoch FROM v_end)::bigint;
END $$;
