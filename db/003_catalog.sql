-- 003_catalog.sql - what the catalogue, schedule and reports add.
--
--  * Replacing a theatre's layout keeps the seats that past showtimes and
--    tickets refer to, marked retired; only active seats must be unique by
--    label and by place, and only active seats get inventory.
--  * showtimes.capacity: the seats offered, fixed when the inventory is
--    made, so occupancy reports need not count showtime_seats rows.
--  * An index that lets the reports read a showtime's valid tickets (price,
--    booking, check-in) from the index alone.

ALTER TABLE seats ADD COLUMN retired boolean NOT NULL DEFAULT false;
ALTER TABLE seats DROP CONSTRAINT seats_theatre_id_row_label_number_key;
ALTER TABLE seats DROP CONSTRAINT seats_theatre_id_y_x_key;
CREATE UNIQUE INDEX seats_theatre_label ON seats (theatre_id, row_label, number)
    WHERE NOT retired;
CREATE UNIQUE INDEX seats_theatre_place ON seats (theatre_id, y, x)
    WHERE NOT retired;

ALTER TABLE showtimes ADD COLUMN capacity integer NOT NULL DEFAULT 0
    CHECK (capacity >= 0);
UPDATE showtimes s SET capacity =
    (SELECT count(*) FROM showtime_seats ss WHERE ss.showtime_id = s.id);

-- Capacity before the row is written (no second update of the new row),
-- the inventory after it, both from the theatre's active seats.
CREATE FUNCTION showtime_capacity_set() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.capacity := (SELECT count(*) FROM seats s
                     WHERE s.theatre_id = NEW.theatre_id AND NOT s.retired);
    RETURN NEW;
END $$;
CREATE TRIGGER showtimes_capacity BEFORE INSERT ON showtimes
    FOR EACH ROW EXECUTE FUNCTION showtime_capacity_set();

CREATE OR REPLACE FUNCTION showtime_seats_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO showtime_seats (showtime_id, seat_id)
    SELECT NEW.id, s.id FROM seats s
    WHERE s.theatre_id = NEW.theatre_id AND NOT s.retired;
    RETURN NULL;
END $$;

CREATE INDEX tickets_showtime_report ON tickets (showtime_id)
    INCLUDE (booking_id, price_cents, checked_in_at) WHERE status = 'valid';
