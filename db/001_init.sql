-- 001_init.sql - the whole cinetty schema.
--
-- Money is integer cents, times are timestamptz, keys are bigint. The
-- guards that matter live here, not only in C:
--  * one live hold or sale per seat per showtime: showtime_seats has exactly
--    one row per (showtime, seat), created with the showtime, and a seat's
--    state moves free -> held -> sold on that row only (seat inventory, shape
--    C of DESIGN.md); tickets add a partial unique index as a second guard;
--  * no overlapping showtimes in a theatre, cleaning buffer included: an
--    exclusion constraint over tstzrange(starts_at, blocked_until).

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Accounts ---------------------------------------------------------------

CREATE TABLE accounts (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE
                  CHECK (username ~ '^[a-z0-9._-]{3,32}$'),
    email         text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    full_name     text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    role          text NOT NULL DEFAULT 'customer'
                  CHECK (role IN ('customer', 'staff', 'admin')),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    locked        boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));

CREATE TABLE ssh_keys (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    key_type    text NOT NULL,
    key_base64  text NOT NULL,
    fingerprint text NOT NULL,          -- "SHA256:..." as ssh-keygen -lf
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (key_type, key_base64)
);
CREATE INDEX ssh_keys_account ON ssh_keys (account_id);

-- Catalogue --------------------------------------------------------------

CREATE TABLE genres (
    id   bigserial PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40)
);
CREATE UNIQUE INDEX genres_name_key ON genres (lower(name));

CREATE TABLE movies (
    id          bigserial PRIMARY KEY,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    runtime_min integer NOT NULL CHECK (runtime_min BETWEEN 1 AND 600),
    rating      text NOT NULL DEFAULT 'NR'
                CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17', 'NR')),
    poster_url  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX movies_title_key ON movies (lower(title));

CREATE TABLE movie_genres (
    movie_id bigint NOT NULL REFERENCES movies ON DELETE CASCADE,
    genre_id bigint NOT NULL REFERENCES genres ON DELETE CASCADE,
    PRIMARY KEY (movie_id, genre_id)
);

-- Theatres and seats -----------------------------------------------------

CREATE TABLE theatres (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    layout     text NOT NULL,           -- the layout text it was made from
    capacity   integer NOT NULL CHECK (capacity > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX theatres_name_key ON theatres (lower(name));

CREATE TABLE seats (
    id         bigserial PRIMARY KEY,
    theatre_id bigint NOT NULL REFERENCES theatres ON DELETE CASCADE,
    row_label  text NOT NULL CHECK (row_label ~ '^[A-Z]{1,2}$'),
    number     integer NOT NULL CHECK (number > 0),
    seat_type  text NOT NULL
               CHECK (seat_type IN ('standard', 'premium', 'vip',
                                    'wheelchair', 'companion')),
    x          integer NOT NULL CHECK (x >= 0),
    y          integer NOT NULL CHECK (y >= 0),
    UNIQUE (theatre_id, row_label, number),
    UNIQUE (theatre_id, y, x)
);

-- Prices -----------------------------------------------------------------

-- A seat's price is the showtime's base price times the seat type's
-- percentage, times the ticket type's percentage, rounded to the cent.
CREATE TABLE seat_type_prices (
    seat_type text PRIMARY KEY
              CHECK (seat_type IN ('standard', 'premium', 'vip',
                                   'wheelchair', 'companion')),
    percent   integer NOT NULL CHECK (percent BETWEEN 0 AND 1000)
);
INSERT INTO seat_type_prices VALUES
    ('standard', 100), ('premium', 125), ('vip', 160),
    ('wheelchair', 100), ('companion', 100);

CREATE TABLE ticket_types (
    code      text PRIMARY KEY CHECK (code ~ '^[a-z]{2,16}$'),
    label     text NOT NULL,
    percent   integer NOT NULL CHECK (percent BETWEEN 0 AND 1000),
    position  integer NOT NULL DEFAULT 0,
    active    boolean NOT NULL DEFAULT true
);
INSERT INTO ticket_types VALUES
    ('adult', 'Adult', 100, 1, true),
    ('child', 'Child (under 12)', 70, 2, true),
    ('senior', 'Senior (65+)', 80, 3, true);

-- Showtimes and their seat inventory -------------------------------------

CREATE TABLE showtimes (
    id               bigserial PRIMARY KEY,
    movie_id         bigint NOT NULL REFERENCES movies,
    theatre_id       bigint NOT NULL REFERENCES theatres,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    -- ends_at plus the cleaning buffer: the theatre is busy until then.
    -- A column, not an expression, because timestamptz + interval is not
    -- immutable and so cannot appear in the exclusion constraint.
    blocked_until    timestamptz NOT NULL,
    base_price_cents integer NOT NULL CHECK (base_price_cents BETWEEN 0 AND 1000000),
    status           text NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'canceled', 'completed')),
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (blocked_until >= ends_at),
    CONSTRAINT showtimes_no_overlap EXCLUDE USING gist (
        theatre_id WITH =,
        tstzrange(starts_at, blocked_until, '[)') WITH &&
    ) WHERE (status <> 'canceled')
);
CREATE INDEX showtimes_starts ON showtimes (starts_at);
CREATE INDEX showtimes_movie ON showtimes (movie_id, starts_at);

-- One row per seat per showtime. state: 'free', 'held' (hold_id, account,
-- hold_expires set) or 'sold' (booking_id set). A hold never needs a
-- booking row: it is the hold_id on its seats until it is confirmed.
-- An expired hold is free for every reader and writer (the hold path takes
-- seats WHERE state = 'free' OR (state = 'held' AND hold_expires <= now())),
-- so correctness never waits for the worker. No foreign keys on the
-- columns a hold writes, and fillfactor < 100 so updates stay HOT.
CREATE SEQUENCE holds_id_seq;

CREATE TABLE showtime_seats (
    showtime_id  bigint NOT NULL REFERENCES showtimes ON DELETE CASCADE,
    seat_id      bigint NOT NULL REFERENCES seats,
    state        text NOT NULL DEFAULT 'free'
                 CHECK (state IN ('free', 'held', 'sold')),
    hold_id      bigint,
    account_id   bigint,                -- who holds it (NULL: walk-up)
    hold_expires timestamptz,
    price_cents  integer,               -- seat price fixed at hold time
    booking_id   bigint,
    PRIMARY KEY (showtime_id, seat_id),
    CHECK (state <> 'held' OR (hold_id IS NOT NULL AND hold_expires IS NOT NULL)),
    CHECK (state <> 'sold' OR booking_id IS NOT NULL)
) WITH (fillfactor = 80);
CREATE INDEX showtime_seats_hold ON showtime_seats (hold_id)
    WHERE hold_id IS NOT NULL;

-- The inventory follows the showtime: created with it, from its theatre.
CREATE FUNCTION showtime_seats_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO showtime_seats (showtime_id, seat_id)
    SELECT NEW.id, s.id FROM seats s WHERE s.theatre_id = NEW.theatre_id;
    RETURN NULL;
END $$;
CREATE TRIGGER showtimes_inventory AFTER INSERT ON showtimes
    FOR EACH ROW EXECUTE FUNCTION showtime_seats_create();

-- Bookings ---------------------------------------------------------------

CREATE TABLE bookings (
    id            bigserial PRIMARY KEY,
    code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{3}-[A-Z0-9]{3}$'),
    account_id    bigint REFERENCES accounts,   -- NULL: walk-up sale
    customer_name text NOT NULL DEFAULT '',
    showtime_id   bigint NOT NULL REFERENCES showtimes,
    hold_id       bigint UNIQUE,                -- the hold it was made from
    status        text NOT NULL DEFAULT 'confirmed'
                  CHECK (status IN ('confirmed', 'canceled', 'refunded',
                                    'completed', 'no_show')),
    channel       text NOT NULL CHECK (channel IN ('ssh', 'boxoffice')),
    total_cents   integer NOT NULL CHECK (total_cents >= 0),
    sold_by       bigint REFERENCES accounts,   -- staff member, walk-up
    created_at    timestamptz NOT NULL DEFAULT now(),
    canceled_at   timestamptz,
    completed_at  timestamptz,
    CHECK (account_id IS NOT NULL OR channel = 'boxoffice')
);
CREATE INDEX bookings_account ON bookings (account_id, showtime_id);
CREATE INDEX bookings_showtime ON bookings (showtime_id, status);
CREATE INDEX bookings_name ON bookings (lower(customer_name))
    WHERE customer_name <> '';

CREATE TABLE tickets (
    id            bigserial PRIMARY KEY,
    booking_id    bigint NOT NULL REFERENCES bookings ON DELETE CASCADE,
    showtime_id   bigint NOT NULL,
    seat_id       bigint NOT NULL REFERENCES seats,
    ticket_type   text NOT NULL REFERENCES ticket_types,
    price_cents   integer NOT NULL CHECK (price_cents >= 0),
    status        text NOT NULL DEFAULT 'valid'
                  CHECK (status IN ('valid', 'canceled', 'refunded')),
    checked_in_at timestamptz
);
CREATE INDEX tickets_booking ON tickets (booking_id);
-- Second guard: never two valid tickets for one seat of one showtime.
CREATE UNIQUE INDEX tickets_one_per_seat ON tickets (showtime_id, seat_id)
    WHERE status = 'valid';

CREATE TABLE payments (
    id           bigserial PRIMARY KEY,
    booking_id   bigint NOT NULL REFERENCES bookings ON DELETE CASCADE,
    method       text NOT NULL CHECK (method IN ('card', 'cash', 'demo')),
    amount_cents integer NOT NULL CHECK (amount_cents >= 0),
    card_last4   text CHECK (card_last4 ~ '^[0-9]{4}$'),
    status       text NOT NULL DEFAULT 'approved'
                 CHECK (status IN ('approved', 'refunded')),
    taken_by     bigint REFERENCES accounts,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_booking ON payments (booking_id);
CREATE INDEX payments_taken_by ON payments (taken_by, created_at);

CREATE TABLE refunds (
    id           bigserial PRIMARY KEY,
    booking_id   bigint NOT NULL REFERENCES bookings ON DELETE CASCADE,
    payment_id   bigint REFERENCES payments,
    amount_cents integer NOT NULL CHECK (amount_cents >= 0),
    reason       text NOT NULL DEFAULT '',
    refunded_by  bigint REFERENCES accounts,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_booking ON refunds (booking_id);

-- Mail and jobs ----------------------------------------------------------

-- Written in the same transaction as the booking change it reports, so a
-- message is never lost and never sent for a rolled-back booking.
CREATE TABLE mail_outbox (
    id          bigserial PRIMARY KEY,
    booking_id  bigint REFERENCES bookings ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('confirmation', 'cancellation')),
    recipient   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX mail_outbox_unsent ON mail_outbox (created_at) WHERE sent_at IS NULL;

-- What the worker gave up on, kept for people (Redis holds the live queue).
CREATE TABLE jobs_dead (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL,
    job_key    text NOT NULL,
    payload    text NOT NULL DEFAULT '',
    attempts   integer NOT NULL,
    last_error text NOT NULL DEFAULT '',
    died_at    timestamptz NOT NULL DEFAULT now()
);

-- Audit ------------------------------------------------------------------

CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor_id  bigint,                   -- NULL: the system (CLI, worker)
    action    text NOT NULL,            -- 'film.create', 'account.promote'
    entity    text NOT NULL,
    entity_id bigint,
    detail    text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
