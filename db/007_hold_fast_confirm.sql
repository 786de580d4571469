-- 007_hold_fast_confirm.sql - a confirm that answers with the booking.
--
-- After cnt_confirm the app always read the booking back (the view, then
-- its tickets): another round trip, another statement to parse and plan.
-- cnt_confirm_booking does both in one call: the booking as a row of
-- cnt_booking_view and its tickets as cnt_booking_tickets() gives them,
-- one row per ticket.

CREATE FUNCTION cnt_confirm_booking(p_hold bigint, p_holder bigint,
                                    p_account bigint, p_cseats bigint[],
                                    p_ctypes text[], p_method text,
                                    p_last4 text, p_cash_given integer,
                                    p_staff bigint, p_channel text,
                                    p_customer text, p_code text)
RETURNS TABLE (b cnt_booking_view, t_id bigint, t_seat_id bigint,
               t_row_label text, t_number integer, t_seat_type text,
               t_ticket_type text, t_label text, t_price_cents integer,
               t_status text, t_checked_in_at bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_book bigint;
BEGIN
    SELECT c.booking_id INTO v_book
      FROM cnt_confirm(p_hold, p_holder, p_account, p_cseats, p_ctypes,
                       p_method, p_last4, p_cash_given, p_staff, p_channel,
                       p_customer, p_code) c;
    RETURN QUERY
        SELECT v, k.id, k.seat_id, k.row_label, k.number, k.seat_type,
               k.ticket_type, k.label, k.price_cents, k.status,
               k.checked_in_at
          FROM cnt_booking_view v
          LEFT JOIN LATERAL cnt_booking_tickets(v.id) k ON true
         WHERE v.id = v_book;
END $$;
