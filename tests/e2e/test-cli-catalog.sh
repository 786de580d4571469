#!/bin/sh
# test-cli-catalog.sh - `cinetty film`, `showtime` and `report` on the test
# database: exit statuses (0 done, 1 refused, 2 usage), the overlap message,
# and report CSV equal to an independent SQL query over the same rows.
BUILD=${CINETTY_BUILD:-build}
C="$BUILD/cinetty"
tmp=${CINETTY_TEST_TMP:-/tmp}/cli-catalog.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
export CINETTY_LOG_LEVEL=warn
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

# expect STATUS DESCRIPTION COMMAND...: run it, compare the exit status.
expect() {
	want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$what"
	else
		nok "$what: exit $rc, expected $want: $(cat "$tmp/out" "$tmp/err")"
	fi
}

# has FILE TEXT DESCRIPTION: FILE contains TEXT.
has() {
	if grep -qF -- "$2" "$1"; then ok "$3"; else nok "$3: no \"$2\" in: $(cat "$1")"; fi
}

sql() { psql -qXAt -v ON_ERROR_STOP=1 -c "$1"; }

# A theatre of 10 standard seats, straight into the tables.
sql "INSERT INTO theatres (name, layout, capacity) VALUES ('Cli Hall', 'SSSSSSSSSS', 10);
     INSERT INTO seats (theatre_id, row_label, number, seat_type, x, y)
     SELECT t.id, 'A', n, 'standard', n - 1, 0 FROM theatres t,
     generate_series(1, 10) n WHERE t.name = 'Cli Hall';" >/dev/null ||
	{ nok "theatre fixture"; exit 0; }

expect 0 "film add" "$C" film add --runtime 100 --rating PG --genre Drama "Cli Film"
has "$tmp/out" "\"Cli Film\"" "film add names the film"
expect 1 "film add of a duplicate title is refused" "$C" film add --runtime 90 "CLI FILM"
has "$tmp/err" "already exists" "the refusal says the title exists"
expect 2 "film add without --runtime is a usage error" "$C" film add "No Runtime"
expect 0 "film add --help" "$C" film add --help
expect 2 "film with an unknown subcommand" "$C" film frobnicate
expect 0 "film list" "$C" film list
has "$tmp/out" "Cli Film" "film list shows the film"
expect 0 "film list --csv" "$C" film list --csv Drama
has "$tmp/out" "ID,TITLE,RATING,MINUTES,GENRES,UPCOMING" "CSV header"

day=$(sql "SELECT to_char(current_date + 2, 'YYYY-MM-DD')")
expect 0 "showtime add" "$C" showtime add --film "Cli Film" --theatre "Cli Hall" \
	--start "$day 18:00" --price 12.50
has "$tmp/out" "$day 18:00-19:55" "showtime add prints start and end (runtime + trailer)"
expect 1 "an overlapping showtime is refused" "$C" showtime add --film "Cli Film" \
	--theatre "Cli Hall" --start "$day 20:00" --price 12.50
has "$tmp/err" "Cli Hall is busy 18:00-19:55 with Cli Film" "the refusal names the showtime in the way"
expect 1 "a showtime in the past is refused" "$C" showtime add --film "Cli Film" \
	--theatre "Cli Hall" --start "2001-01-01 18:00" --price 12.50
expect 2 "a bad --price is a usage error" "$C" showtime add --film "Cli Film" \
	--theatre "Cli Hall" --start "$day 22:00" --price 12,50
expect 0 "showtime add --days 2" "$C" showtime add --film "Cli Film" \
	--theatre "Cli Hall" --start "$day 10:00" --price 9 --days 2
expect 0 "showtime list --date" "$C" showtime list --date "$day" --theatre "Cli Hall"
n=$(grep -c "Cli Film" "$tmp/out")
[ "$n" -eq 2 ] && ok "two showtimes listed on the day" || nok "expected 2 showtimes on $day, got $n: $(cat "$tmp/out")"

# Past sales, as the booking code would have left them: yesterday's show
# with a completed booking of 3 x 10.00 and a confirmed one of 2 x 8.00
# with one ticket checked in.
sql "WITH s AS (INSERT INTO showtimes (movie_id, theatre_id, starts_at, ends_at,
       blocked_until, base_price_cents)
     SELECT m.id, t.id, (current_date - 1) + time '12:00',
       (current_date - 1) + time '14:00', (current_date - 1) + time '14:15', 1000
     FROM movies m, theatres t WHERE m.title = 'Cli Film' AND t.name = 'Cli Hall'
     RETURNING id),
   b1 AS (INSERT INTO bookings (code, customer_name, showtime_id, status, channel,
       total_cents) SELECT 'CLI-001', 'a', id, 'completed', 'boxoffice', 3000 FROM s
     RETURNING id, showtime_id),
   b2 AS (INSERT INTO bookings (code, customer_name, showtime_id, status, channel,
       total_cents) SELECT 'CLI-002', 'b', id, 'confirmed', 'boxoffice', 1600 FROM s
     RETURNING id, showtime_id),
   seats AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM seats
     WHERE theatre_id = (SELECT id FROM theatres WHERE name = 'Cli Hall'))
   INSERT INTO tickets (booking_id, showtime_id, seat_id, ticket_type, price_cents,
       checked_in_at)
   SELECT b1.id, b1.showtime_id, seats.id, 'adult', 1000, NULL FROM b1, seats
     WHERE seats.k <= 3
   UNION ALL
   SELECT b2.id, b2.showtime_id, seats.id, 'adult', 800,
     CASE WHEN seats.k = 4 THEN now() END FROM b2, seats WHERE seats.k IN (4, 5);" \
	>/dev/null || nok "sales fixture"

from=$(sql "SELECT to_char(current_date - 3, 'YYYY-MM-DD')")
to=$(sql "SELECT to_char(current_date + 3, 'YYYY-MM-DD')")
expect 0 "report revenue --csv" "$C" report revenue --from "$from" --to "$to" --by film --csv
want=$(sql "SELECT m.title || ',' || count(DISTINCT s.id) || ',' ||
       count(t.id) FILTER (WHERE b.id IS NOT NULL) || ',' ||
       to_char(COALESCE(sum(t.price_cents) FILTER (WHERE b.status = 'completed'
         OR t.checked_in_at IS NOT NULL), 0) / 100.0, 'FM999990.00') || ',' ||
       to_char(COALESCE(sum(t.price_cents) FILTER (WHERE b.status = 'confirmed'
         AND t.checked_in_at IS NULL), 0) / 100.0, 'FM999990.00')
     FROM movies m JOIN showtimes s ON s.movie_id = m.id
     LEFT JOIN tickets t ON t.showtime_id = s.id AND t.status = 'valid'
     LEFT JOIN bookings b ON b.id = t.booking_id
     WHERE s.status <> 'canceled' AND s.starts_at::date BETWEEN '$from' AND '$to'
     GROUP BY m.title")
got=$(sed -n 2p "$tmp/out" | tr -d '\r' | cut -d, -f1-5)
[ "$got" = "$want" ] && ok "report CSV equals the independent query ($got)" ||
	nok "report CSV row \"$got\", the independent query says \"$want\""
has "$tmp/out" "Cli Film,4,5,38.00,8.00,46.00,9.20" "hand figures: 3x10 + 1x8 realized, 1x8 potential"
expect 0 "report occupancy --by day" "$C" report occupancy --from "$from" --to "$to" --by day
n=$(grep -c "^20" "$tmp/out")
[ "$n" -eq 7 ] && ok "every day of the range is listed" || nok "expected 7 day rows, got $n"
has "$tmp/out" "total" "the table ends with a total line"
expect 2 "report with an unknown --by" "$C" report revenue --from "$from" --to "$to" --by week
expect 2 "report without --from" "$C" report revenue --to "$to"
expect 1 "report with a bad date is refused" "$C" report revenue --from 2026-02-30 --to "$to"

id=$(sql "SELECT min(s.id) FROM showtimes s JOIN movies m ON m.id = s.movie_id
     WHERE m.title = 'Cli Film' AND s.starts_at > now()")
expect 0 "showtime cancel" "$C" showtime cancel "$id"
has "$tmp/out" "canceled" "showtime cancel says so"
expect 2 "showtime cancel of a non-number" "$C" showtime cancel first
expect 1 "film rm of a film with bookings is refused" "$C" film rm "Cli Film"
has "$tmp/err" "kept for the reports" "the refusal says why"
"$C" film add --runtime 80 "Gone Soon" >/dev/null 2>&1
expect 0 "film rm" "$C" film rm "Gone Soon"
expect 1 "film rm of an unknown film" "$C" film rm "Gone Soon"
