-- 008_jobs_sweep.sql - freeing many holds at once stays linear.
--
-- 007_hold_fast.sql finds a batch's seats as the seats of the holds'
-- showtimes whose hold_id = ANY (the batch): every seat of those showtimes
-- compared with every hold id. For a worker's batch of 100 that is cheap;
-- for the sweep after a backlog (thousands of expired holds) it was
-- quadratic: 1,350 holds over 450 showtimes took 1.6 s, during which the
-- worker ran no job. Now each hold looks up its own showtime's seats by
-- primary key (linear in the holds). Same answer, same lock order
-- (showtime, seat).
CREATE OR REPLACE FUNCTION cnt_holds_expire(p_holds bigint[])
RETURNS TABLE (hold_id bigint, showtime_id bigint, released integer,
               left_ms bigint)
LANGUAGE sql AS $$
    WITH ids AS MATERIALIZED (
        SELECT DISTINCT h AS id FROM unnest(p_holds) h WHERE h IS NOT NULL
    ), cand AS (
        SELECT ss.showtime_id, ss.seat_id, ss.hold_id
          FROM ids JOIN showtime_seats ss
            ON ss.showtime_id = cnt_hold_showtime(ids.id)
           AND ss.hold_id = ids.id
         WHERE ss.state = 'held' AND ss.hold_expires <= now()
         ORDER BY ss.showtime_id, ss.seat_id
           FOR UPDATE OF ss
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
