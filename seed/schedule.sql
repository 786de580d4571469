-- schedule.sql - demo showtimes and past sales, relative to today.
--
-- Defines session-local functions (pg_temp) that `cinetty seed` calls with
-- parameters; nothing here is permanent. All times are in the session's
-- TimeZone, which cinetty sets to the cinema's `timezone`.

-- Showtimes for every theatre and every day from P_FROM to P_TO that has
-- none yet: from late morning to late evening, films in rotation, each
-- start after the previous show's end plus the cleaning buffer, rounded up
-- to the quarter hour. Returns the number of showtimes created.
CREATE OR REPLACE FUNCTION pg_temp.seed_schedule(p_from date, p_to date,
                                      p_trailer int, p_clean int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    th      record;
    d       date;
    slot    timestamptz;
    ends    timestamptz;
    film    record;
    films   bigint[];
    n       int := 0;
    k       int;
BEGIN
    SELECT array_agg(id ORDER BY id) INTO films FROM movies;
    IF films IS NULL THEN
        RETURN 0;
    END IF;
    FOR th IN SELECT id FROM theatres ORDER BY id LOOP
        FOR d IN SELECT g::date FROM generate_series(p_from, p_to,
                                                     interval '1 day') g LOOP
            CONTINUE WHEN EXISTS (
                SELECT 1 FROM showtimes
                WHERE theatre_id = th.id
                  AND starts_at >= d::timestamptz
                  AND starts_at < (d + 1)::timestamptz);
            slot := (d + time '10:30') + (th.id % 4) * interval '20 minutes';
            k := 0;
            WHILE slot < (d + time '22:45')::timestamptz LOOP
                SELECT id, runtime_min INTO film FROM movies
                WHERE id = films[1 + ((th.id * 5 + (d - date '2000-01-01') * 3
                                       + k) % array_length(films, 1))];
                ends := slot + make_interval(mins => film.runtime_min + p_trailer);
                INSERT INTO showtimes (movie_id, theatre_id, starts_at, ends_at,
                                       blocked_until, base_price_cents)
                VALUES (film.id, th.id, slot, ends,
                        ends + make_interval(mins => p_clean),
                        CASE WHEN slot::time >= time '17:00' THEN 1250
                             ELSE 950 END);
                n := n + 1;
                k := k + 1;
                slot := to_timestamp(ceil(extract(epoch FROM
                            ends + make_interval(mins => p_clean)) / 900) * 900);
            END LOOP;
        END LOOP;
    END LOOP;
    RETURN n;
END $$;

-- A booking code like K7P-4QX from an alphabet without look-alikes.
CREATE OR REPLACE FUNCTION pg_temp.seed_code() RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(CASE WHEN i = 4 THEN '-' ELSE
               substr('ACDEFGHJKMNPQRTUVWXY34679',
                      1 + floor(random() * 25)::int, 1) END, '' ORDER BY i)
    FROM generate_series(1, 7) i
$$;

-- Sales for showtimes that have ended and have no bookings: seats taken in
-- groups of 1-4 along each row, about P_FILL of them, by the given
-- customers or as walk-ups; most tickets checked in; bookings completed.
-- Returns the number of bookings created.
CREATE OR REPLACE FUNCTION pg_temp.seed_past_sales(p_customers bigint[], p_staff bigint,
                                        p_fill float8)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    st      record;
    seat    record;
    grp     bigint[] := '{}';
    want    int := 0;
    n       int := 0;
    fill    float8;
BEGIN
    FOR st IN
        SELECT s.id, s.starts_at, s.ends_at, s.base_price_cents
        FROM showtimes s
        WHERE s.ends_at < now() AND s.status = 'scheduled'
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.showtime_id = s.id)
        ORDER BY s.id
    LOOP
        fill := least(0.95, greatest(0.1, p_fill + (random() - 0.5) * 0.5));
        grp := '{}';
        want := 1 + floor(random() * 4)::int;
        FOR seat IN
            SELECT ss.seat_id, se.y
            FROM showtime_seats ss JOIN seats se ON se.id = ss.seat_id
            WHERE ss.showtime_id = st.id AND se.seat_type NOT IN ('wheelchair', 'companion')
            ORDER BY se.y, se.x
        LOOP
            grp := grp || seat.seat_id;
            IF array_length(grp, 1) >= want THEN
                IF random() < fill THEN
                    PERFORM pg_temp.seed_sell(st.id, st.starts_at,
                        st.base_price_cents, grp,
                        CASE WHEN random() < 0.7 THEN
                            p_customers[1 + floor(random() *
                                array_length(p_customers, 1))::int]
                        END, p_staff);
                    n := n + 1;
                END IF;
                grp := '{}';
                want := 1 + floor(random() * 4)::int;
            END IF;
        END LOOP;
        UPDATE showtimes SET status = 'completed', completed_at = ends_at
        WHERE id = st.id;
    END LOOP;
    RETURN n;
END $$;

-- One completed booking of P_SEATS (account P_ACCOUNT, or a walk-up sold by
-- P_STAFF when NULL) with its tickets, payment and sold seats.
CREATE OR REPLACE FUNCTION pg_temp.seed_sell(p_showtime bigint, p_starts timestamptz,
                                  p_base int, p_seats bigint[],
                                  p_account bigint, p_staff bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    bid     bigint;
    total   int;
    ttype   text := CASE WHEN random() < 0.75 THEN 'adult'
                         WHEN random() < 0.5 THEN 'child' ELSE 'senior' END;
    walkup  boolean := p_account IS NULL;
BEGIN
    SELECT sum(p_base * sp.percent / 100 * tt.percent / 100)
    INTO total
    FROM seats se
    JOIN seat_type_prices sp ON sp.seat_type = se.seat_type
    JOIN ticket_types tt ON tt.code = ttype
    WHERE se.id = ANY (p_seats);

    LOOP
        BEGIN
            INSERT INTO bookings (code, account_id, customer_name, showtime_id,
                                  status, channel, total_cents, sold_by,
                                  created_at, completed_at)
            VALUES (pg_temp.seed_code(), p_account,
                    CASE WHEN walkup THEN 'Walk-up guest' ELSE '' END,
                    p_showtime, 'completed',
                    CASE WHEN walkup THEN 'boxoffice' ELSE 'ssh' END,
                    total, CASE WHEN walkup THEN p_staff END,
                    p_starts - (1 + random() * 72) * interval '1 hour',
                    p_starts + interval '3 hours')
            RETURNING id INTO bid;
            EXIT;
        EXCEPTION WHEN unique_violation THEN
            NULL;   -- the random code was taken: draw another
        END;
    END LOOP;

    INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type,
                         price_cents, status, checked_in_at)
    SELECT bid, p_showtime, se.id, ttype,
           p_base * sp.percent / 100 * tt.percent / 100, 'valid',
           CASE WHEN random() < 0.9 THEN
               p_starts - random() * interval '30 minutes' END
    FROM seats se
    JOIN seat_type_prices sp ON sp.seat_type = se.seat_type
    JOIN ticket_types tt ON tt.code = ttype
    WHERE se.id = ANY (p_seats);

    INSERT INTO payments (booking_id, method, amount_cents, card_last4,
                          taken_by, created_at)
    VALUES (bid, CASE WHEN walkup AND random() < 0.6 THEN 'cash' ELSE 'card' END,
            total, NULL, CASE WHEN walkup THEN p_staff END,
            p_starts - interval '1 hour');
    UPDATE payments SET card_last4 = '4242'
    WHERE booking_id = bid AND method = 'card';

    UPDATE showtime_seats SET state = 'sold', booking_id = bid
    WHERE showtime_id = p_showtime AND seat_id = ANY (p_seats);
END $$;
