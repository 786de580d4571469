-- 006_reports.sql - per-showtime sales totals for the reports (issue 10,
-- report speed).
--
-- A month's report read every valid ticket of the month (~100k rows of
-- 1M) and joined the upcoming ones to their bookings: 300-500 ms. Now it
-- reads one showtime_sales row per showtime (~1k rows). The totals are
-- kept by statement-level triggers on tickets and bookings, so they are
-- right whatever changes the rows (the booking functions, staff tools,
-- tests writing SQL directly). A ticket counts when it is valid and its
-- booking live (confirmed, completed or no-show); it is realized money
-- when the booking is completed or no-show, or the ticket checked in.
-- Each trigger adds what its statement changed, judged with the other
-- table as it is now, so the totals stay equal to that definition
-- whichever of tickets and bookings a change touches first.
-- cnt_showtime_sales_check() lists any showtime where they do not.
--
-- Cost on the hot path: a confirm's one INSERT of its tickets fires one
-- statement trigger (one INSERT .. ON CONFLICT of one row); holds do not
-- touch tickets or bookings.

CREATE TABLE showtime_sales (
    showtime_id    bigint PRIMARY KEY REFERENCES showtimes ON DELETE CASCADE,
    tickets        integer NOT NULL DEFAULT 0,
    revenue_cents  bigint NOT NULL DEFAULT 0,   -- realized + potential
    realized_cents bigint NOT NULL DEFAULT 0
);

-- The totals of the showtimes P_SHOWS (all if NULL) from the detail rows.
CREATE FUNCTION cnt_showtime_sales_compute(p_shows bigint[])
RETURNS TABLE (showtime_id bigint, tickets integer, revenue_cents bigint,
               realized_cents bigint)
LANGUAGE sql STABLE AS $$
    SELECT t.showtime_id, count(*)::integer, sum(t.price_cents)::bigint,
           coalesce(sum(t.price_cents) FILTER (WHERE
               b.status IN ('completed', 'no_show')
               OR t.checked_in_at IS NOT NULL), 0)::bigint
      FROM tickets t JOIN bookings b ON b.id = t.booking_id
     WHERE t.status = 'valid'
       AND b.status IN ('confirmed', 'completed', 'no_show')
       AND (p_shows IS NULL OR t.showtime_id = ANY (p_shows))
     GROUP BY t.showtime_id
$$;

-- Set the totals of showtimes P_SHOWS (all if NULL) from the detail rows:
-- after a bulk load that bypassed the triggers, or to repair.
CREATE FUNCTION cnt_showtime_sales_rebuild(p_shows bigint[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM showtime_sales s
     WHERE p_shows IS NULL OR s.showtime_id = ANY (p_shows);
    INSERT INTO showtime_sales
    SELECT c.* FROM cnt_showtime_sales_compute(p_shows) c
     ORDER BY c.showtime_id;
END $$;

-- Showtimes whose kept totals differ from the detail (none, normally).
CREATE FUNCTION cnt_showtime_sales_check()
RETURNS TABLE (showtime_id bigint, kept_tickets integer,
               true_tickets integer, kept_revenue bigint,
               true_revenue bigint, kept_realized bigint,
               true_realized bigint)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(k.showtime_id, c.showtime_id),
           coalesce(k.tickets, 0), coalesce(c.tickets, 0),
           coalesce(k.revenue_cents, 0), coalesce(c.revenue_cents, 0),
           coalesce(k.realized_cents, 0), coalesce(c.realized_cents, 0)
      FROM showtime_sales k
      FULL JOIN cnt_showtime_sales_compute(NULL) c
        ON c.showtime_id = k.showtime_id
     WHERE coalesce(k.tickets, 0) <> coalesce(c.tickets, 0)
        OR coalesce(k.revenue_cents, 0) <> coalesce(c.revenue_cents, 0)
        OR coalesce(k.realized_cents, 0) <> coalesce(c.realized_cents, 0)
$$;

-- The triggers add per-showtime deltas to the totals, in showtime order
-- so two writers never deadlock on them.

-- Tickets inserted: what they add.
CREATE FUNCTION showtime_sales_tickets_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO showtime_sales AS s
           (showtime_id, tickets, revenue_cents, realized_cents)
    SELECT n.showtime_id, count(*), sum(n.price_cents),
           coalesce(sum(n.price_cents) FILTER (WHERE
               b.status IN ('completed', 'no_show')
               OR n.checked_in_at IS NOT NULL), 0)
      FROM new_rows n JOIN bookings b ON b.id = n.booking_id
     WHERE n.status = 'valid'
       AND b.status IN ('confirmed', 'completed', 'no_show')
     GROUP BY n.showtime_id
     ORDER BY n.showtime_id
    ON CONFLICT (showtime_id) DO UPDATE
       SET tickets = s.tickets + EXCLUDED.tickets,
           revenue_cents = s.revenue_cents + EXCLUDED.revenue_cents,
           realized_cents = s.realized_cents + EXCLUDED.realized_cents;
    RETURN NULL;
END $$;

-- Tickets updated (status, check-in): new contribution minus old.
CREATE FUNCTION showtime_sales_tickets_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO showtime_sales AS s
           (showtime_id, tickets, revenue_cents, realized_cents)
    SELECT d.showtime_id, sum(d.sign), sum(d.sign * d.price_cents),
           coalesce(sum(d.sign * d.price_cents) FILTER (WHERE d.realized), 0)
      FROM (SELECT n.showtime_id, 1 AS sign, n.price_cents,
                   (b.status IN ('completed', 'no_show')
                    OR n.checked_in_at IS NOT NULL) AS realized
              FROM new_rows n JOIN bookings b ON b.id = n.booking_id
             WHERE n.status = 'valid'
               AND b.status IN ('confirmed', 'completed', 'no_show')
            UNION ALL
            SELECT o.showtime_id, -1, o.price_cents,
                   (b.status IN ('completed', 'no_show')
                    OR o.checked_in_at IS NOT NULL)
              FROM old_rows o JOIN bookings b ON b.id = o.booking_id
             WHERE o.status = 'valid'
               AND b.status IN ('confirmed', 'completed', 'no_show')) d
     GROUP BY d.showtime_id
    HAVING sum(d.sign) <> 0 OR sum(d.sign * d.price_cents) <> 0
        OR coalesce(sum(d.sign * d.price_cents) FILTER (WHERE d.realized),
                    0) <> 0
     ORDER BY d.showtime_id
    ON CONFLICT (showtime_id) DO UPDATE
       SET tickets = s.tickets + EXCLUDED.tickets,
           revenue_cents = s.revenue_cents + EXCLUDED.revenue_cents,
           realized_cents = s.realized_cents + EXCLUDED.realized_cents;
    RETURN NULL;
END $$;

-- Tickets deleted (rare: a booking deleted, cascading): recount those
-- showtimes from what is left. Their bookings may be gone already, so a
-- delta could not be judged.
CREATE FUNCTION showtime_sales_tickets_del() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cnt_showtime_sales_rebuild(ARRAY(
        SELECT DISTINCT o.showtime_id FROM old_rows o
         WHERE EXISTS (SELECT 1 FROM showtimes st
                        WHERE st.id = o.showtime_id)));
    RETURN NULL;
END $$;

CREATE FUNCTION showtime_sales_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM showtime_sales;
    RETURN NULL;
END $$;

-- Bookings whose status changed: the contribution of their valid tickets
-- under the new status minus under the old.
CREATE FUNCTION showtime_sales_bookings_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO showtime_sales AS s
           (showtime_id, tickets, revenue_cents, realized_cents)
    SELECT d.showtime_id, sum(d.sign), sum(d.sign * d.price_cents),
           coalesce(sum(d.sign * d.price_cents) FILTER (WHERE d.realized), 0)
      FROM (SELECT t.showtime_id, v.sign, t.price_cents,
                   (v.status IN ('completed', 'no_show')
                    OR t.checked_in_at IS NOT NULL) AS realized
              FROM new_rows n JOIN old_rows o ON o.id = n.id
             CROSS JOIN LATERAL (VALUES (1, n.status), (-1, o.status))
                   v(sign, status)
              JOIN tickets t ON t.booking_id = n.id AND t.status = 'valid'
             WHERE n.status IS DISTINCT FROM o.status
               AND v.status IN ('confirmed', 'completed', 'no_show')) d
     GROUP BY d.showtime_id
    HAVING sum(d.sign) <> 0 OR sum(d.sign * d.price_cents) <> 0
        OR coalesce(sum(d.sign * d.price_cents) FILTER (WHERE d.realized),
                    0) <> 0
     ORDER BY d.showtime_id
    ON CONFLICT (showtime_id) DO UPDATE
       SET tickets = s.tickets + EXCLUDED.tickets,
           revenue_cents = s.revenue_cents + EXCLUDED.revenue_cents,
           realized_cents = s.realized_cents + EXCLUDED.realized_cents;
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_sales_ins AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION showtime_sales_tickets_ins();
CREATE TRIGGER tickets_sales_upd AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION showtime_sales_tickets_upd();
CREATE TRIGGER tickets_sales_del AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION showtime_sales_tickets_del();
CREATE TRIGGER tickets_sales_truncate AFTER TRUNCATE ON tickets
    FOR EACH STATEMENT EXECUTE FUNCTION showtime_sales_truncate();
CREATE TRIGGER bookings_sales_upd AFTER UPDATE ON bookings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION showtime_sales_bookings_upd();

-- What was sold before this migration.
SELECT cnt_showtime_sales_rebuild(NULL);
