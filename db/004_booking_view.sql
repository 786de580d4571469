-- 004_booking_view.sql - one booking as a row: the view every booking
-- lookup reads, and plpgsql wrappers for the single-booking reads on the
-- hot path (after a confirm, a cancel, a check-in). Planning the view's
-- joins and subqueries costs more than running them for one booking, and
-- a plpgsql function keeps its plan for the session while an unnamed
-- statement is planned on every call.

CREATE VIEW cnt_booking_view AS
SELECT b.id, b.code, coalesce(b.account_id, 0) AS account_id,
       coalesce(a.username, '') AS username,
       coalesce(a.email, '') AS email,
       CASE WHEN b.customer_name <> '' THEN b.customer_name
            ELSE coalesce(a.full_name, '') END AS customer,
       b.showtime_id, st.movie_id, m.title, st.theatre_id,
       t.name AS theatre,
       extract(epoch FROM st.starts_at)::bigint AS starts_at,
       extract(epoch FROM st.ends_at)::bigint AS ends_at,
       b.status, b.channel, b.total_cents,
       (SELECT count(*) FROM tickets k WHERE k.booking_id = b.id) AS nseats,
       (SELECT string_agg(s.row_label || s.number, ' ' ORDER BY s.y, s.x)
          FROM tickets k JOIN seats s ON s.id = k.seat_id
         WHERE k.booking_id = b.id) AS seats_text,
       coalesce(b.sold_by, 0) AS sold_by,
       extract(epoch FROM b.created_at)::bigint AS created_at,
       coalesce(extract(epoch FROM b.canceled_at)::bigint, 0) AS canceled_at,
       coalesce(pay.method, '') AS pay_method,
       coalesce(pay.status, '') AS pay_status,
       coalesce(pay.card_last4, '') AS card_last4,
       coalesce(pay.amount_cents, 0) AS paid_cents,
       (SELECT coalesce(sum(r.amount_cents), 0) FROM refunds r
         WHERE r.booking_id = b.id) AS refunded_cents,
       -- for filters
       st.starts_at AS starts_ts, st.ends_at AS ends_ts,
       b.customer_name AS customer_raw, a.full_name AS full_name_raw
  FROM bookings b
  JOIN showtimes st ON st.id = b.showtime_id
  JOIN movies m ON m.id = st.movie_id
  JOIN theatres t ON t.id = st.theatre_id
  LEFT JOIN accounts a ON a.id = b.account_id
  LEFT JOIN LATERAL (SELECT p.method, p.status, p.card_last4, p.amount_cents
                       FROM payments p WHERE p.booking_id = b.id
                      ORDER BY p.id LIMIT 1) pay ON true;

CREATE FUNCTION cnt_booking_one(p_id bigint)
RETURNS SETOF cnt_booking_view LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY SELECT * FROM cnt_booking_view v WHERE v.id = p_id;
END $$;

CREATE FUNCTION cnt_booking_by_code(p_code text)
RETURNS SETOF cnt_booking_view LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY SELECT * FROM cnt_booking_view v WHERE v.code = p_code;
END $$;

-- The tickets of one booking, seats and ticket type labels included.
CREATE FUNCTION cnt_booking_tickets(p_id bigint)
RETURNS TABLE (id bigint, seat_id bigint, row_label text, number integer,
               seat_type text, ticket_type text, label text,
               price_cents integer, status text, checked_in_at bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        SELECT k.id, k.seat_id, s.row_label, s.number, s.seat_type,
               k.ticket_type, tt.label, k.price_cents, k.status,
               coalesce(extract(epoch FROM k.checked_in_at)::bigint, 0)
          FROM tickets k JOIN seats s ON s.id = k.seat_id
          JOIN ticket_types tt ON tt.code = k.ticket_type
         WHERE k.booking_id = p_id ORDER BY s.y, s.x;
END $$;
