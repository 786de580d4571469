-- 006_jobs.sql - hold expiry in batches (issue 10, job lateness).
--
-- The worker claims many due hold-expiry jobs at once and frees all of
-- their expired seats in one call, instead of one round trip per hold.
-- The sweep uses the same function, so it too is one statement.

-- Free the expired ones of holds P_HOLDS. Idempotent. One row per hold
-- asked for: the showtime and seats freed now (NULL, 0 if none), and for a
-- hold still held and not yet expired, the ms until it expires (LEFT_MS >
-- 0; else NULL or <= 0). Seats are locked in (showtime, seat) order, the
-- order every hold takes them in, so this never deadlocks with a hold that
-- is taking over expired seats at the same moment.
CREATE FUNCTION cnt_holds_expire(p_holds bigint[])
RETURNS TABLE (hold_id bigint, showtime_id bigint, released integer,
               left_ms bigint)
LANGUAGE sql AS $$
    WITH cand AS (
        SELECT ss.showtime_id, ss.seat_id, ss.hold_id
          FROM showtime_seats ss
         WHERE ss.hold_id = ANY (p_holds) AND ss.state = 'held'
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
                 WHERE ss.hold_id = h.id AND ss.state = 'held'
                 LIMIT 1) END
      FROM unnest(p_holds) h(id)
      LEFT JOIN per ON per.hold_id = h.id
$$;

-- Free every expired hold (the worker's sweep): one statement. One row per
-- hold freed, by showtime.
CREATE OR REPLACE FUNCTION cnt_holds_sweep()
RETURNS TABLE (showtime_id bigint, released integer)
LANGUAGE sql AS $$
    SELECT e.showtime_id, e.released
      FROM cnt_holds_expire(ARRAY(
               SELECT DISTINCT ss.hold_id FROM showtime_seats ss
                WHERE ss.hold_id IS NOT NULL AND ss.state = 'held'
                  AND ss.hold_expires <= now())) e
     WHERE e.released > 0
     ORDER BY e.showtime_id
$$;
