#!/bin/sh
# bench-reports.sh - item 5 of `make bench`: reports over 1M tickets.
# Makes 10,000 showtimes in four 100-seat "Report Hall"s (ten films, half
# in the past and completed, half scheduled) with ten 10-ticket bookings
# each (1,000,000 tickets, one booking in twenty canceled), all in set-based
# SQL, then times each report for one month: p50/p95 over 20 runs, next to
# a naive query of the same report (5 runs; see bench-reports.c). Called by run.sh
# with the stack's environment, BUILD and BENCH_ROWS.
set -u
BUILD=${BUILD:-build}
RUNS=${BENCH_REPORT_RUNS:-20}
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$BENCH_ROWS"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "bench: making report data (10,000 showtimes, 1,000,000 tickets)"
t0=$(date +%s)
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 2
BEGIN;
-- Consistent by construction: skip the per-row triggers and foreign-key
-- checks (this is a throwaway superuser stack); capacity and inventory are
-- written set-based below instead of by the showtime triggers.
SET LOCAL session_replication_role = replica;
INSERT INTO movies (title, runtime_min)
SELECT 'Report Film ' || i, 90 + i FROM generate_series(1, 10) i;
INSERT INTO theatres (name, layout, capacity)
SELECT 'Report Hall ' || i, repeat(repeat('S', 10) || E'\n', 10), 100
FROM generate_series(1, 4) i;
INSERT INTO seats (theatre_id, row_label, number, seat_type, x, y)
SELECT t.id, chr(65 + r), n, 'standard', n - 1, r
FROM theatres t, generate_series(0, 9) r, generate_series(1, 10) n
WHERE t.name LIKE 'Report Hall %';
-- 2,500 showtimes per hall, every 3 hours, half before today.
INSERT INTO showtimes (movie_id, theatre_id, starts_at, ends_at,
                       blocked_until, base_price_cents, status, completed_at,
                       capacity)
SELECT m.id, t.id, d, d + interval '2 hours',
       d + interval '2 hours 15 minutes', 900 + 100 * (k % 4),
       CASE WHEN d < now() - interval '3 hours' THEN 'completed' ELSE 'scheduled' END,
       CASE WHEN d < now() - interval '3 hours' THEN d + interval '2 hours' END,
       100
FROM theatres t,
     generate_series(0, 2499) k,
     LATERAL (SELECT date_trunc('day', now()) - 1250 * interval '3 hours'
                     + k * interval '3 hours' AS d) dd,
     LATERAL (SELECT id FROM movies
              WHERE title = 'Report Film ' || (1 + (k + t.id) % 10)) m
WHERE t.name LIKE 'Report Hall %';
INSERT INTO showtime_seats (showtime_id, seat_id)
SELECT s.id, se.id FROM showtimes s JOIN seats se ON se.theatre_id = s.theatre_id
WHERE s.theatre_id IN (SELECT id FROM theatres WHERE name LIKE 'Report Hall %');
-- Ten bookings per showtime, one per seat row; ids drawn up front so the
-- tickets can name them.
CREATE TEMP TABLE rb AS
SELECT s.id AS showtime_id, s.theatre_id, s.status AS show_status,
       s.base_price_cents AS price, k, nextval('bookings_id_seq') AS id,
       (s.id * 10 + k) % 20 = 0 AS canceled
FROM showtimes s, generate_series(0, 9) k
WHERE s.theatre_id IN (SELECT id FROM theatres WHERE name LIKE 'Report Hall %');
INSERT INTO bookings (id, code, account_id, showtime_id, status, channel,
                      total_cents, canceled_at, completed_at)
SELECT rb.id,
       substr(upper(lpad(to_hex(rb.id), 6, '0')), 1, 3) || '-' ||
       substr(upper(lpad(to_hex(rb.id), 6, '0')), 4, 3),
       NULL, rb.showtime_id,
       CASE WHEN rb.canceled THEN 'canceled'
            WHEN rb.show_status = 'completed' THEN 'completed'
            ELSE 'confirmed' END,
       'boxoffice', 10 * rb.price,
       CASE WHEN rb.canceled THEN now() END,
       CASE WHEN NOT rb.canceled AND rb.show_status = 'completed' THEN now() END
FROM rb;
INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type,
                     price_cents, status, checked_in_at)
SELECT rb.id, rb.showtime_id, se.id, 'adult', rb.price,
       CASE WHEN rb.canceled THEN 'canceled' ELSE 'valid' END,
       CASE WHEN rb.show_status = 'completed' AND NOT rb.canceled
                 AND se.number <= 5 THEN now() END
FROM rb JOIN seats se ON se.theatre_id = rb.theatre_id
                     AND se.row_label = chr(65 + rb.k::int);
-- The triggers that keep showtime_sales were skipped too: total it once.
SELECT cnt_showtime_sales_rebuild(NULL);
COMMIT;
VACUUM ANALYZE;
SQL
t1=$(date +%s)
n=$(psql -qXtA -c "SELECT count(*) FROM tickets")
echo "bench: report data made in $((t1 - t0)) s ($n tickets)"

# A month in the middle of the data: partly past (completed), partly ahead.
from=$(psql -qXtA -c "SELECT (date_trunc('day', now()) - interval '15 days')::date")
to=$(psql -qXtA -c "SELECT (date_trunc('day', now()) + interval '15 days')::date")
for by in film theatre day; do
	out=$("$BUILD/bench/bench-reports" "$by" "$from" "$to" "$RUNS") || exit 2
	p95=$(field "$out" p95_ms)
	rp95=$(field "$out" ref_p95_ms)
	echo "report by $by, $from..$to: p50 $(field "$out" p50_ms) ms p95 $p95 ms vs naive p50 $(field "$out" ref_p50_ms) ms p95 $rp95 ms"
	row "report by $by, 1 month (1M tkts)" \
	    "p50 $(field "$out" p50_ms) p95 $p95 ms" \
	    "naive p50 $(field "$out" ref_p50_ms) p95 $rp95 ms" \
	    "$(awk -v a="$p95" -v b="$rp95" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')" \
	    "p95 < 100 ms" \
	    "$(awk -v a="$p95" 'BEGIN { print (a + 0 < 100) ? "PASS" : "FALL SHORT" }')"
done
