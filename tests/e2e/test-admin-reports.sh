#!/bin/sh
# test-admin-reports.sh - the reports screen on the seeded data: the totals
# on screen equal an independent SQL query written here and the CLI's
# total line; the CSV the screen writes equals `cinetty report ... --csv`
# byte for byte, by film and by day, revenue and occupancy.
. tests/e2e/office-lib.sh

TO=$(date -u +%Y-%m-%d)
FROM=$(date -u -d "-6 days" +%Y-%m-%d)

# Money as the app prints it: 1234 -> 12.34.
money() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

q="SELECT COALESCE(sum(t.price_cents) FILTER (WHERE b.status IN ('completed', 'no_show') OR t.checked_in_at IS NOT NULL), 0),
 COALESCE(sum(t.price_cents) FILTER (WHERE b.status = 'confirmed' AND t.checked_in_at IS NULL), 0),
 count(t.id)
 FROM showtimes s JOIN bookings b ON b.showtime_id = s.id
 JOIN tickets t ON t.booking_id = b.id
 WHERE s.status <> 'canceled' AND t.status = 'valid'
 AND b.status IN ('confirmed', 'completed', 'no_show')
 AND (s.starts_at AT TIME ZONE 'UTC')::date BETWEEN '$FROM' AND '$TO'"
set -- $(sql "$q" | tr '|' ' ')
real=$1 pot=$2 tickets=$3
[ "$tickets" -gt 0 ] && ok "the seeded data has $tickets tickets in $FROM..$TO" ||
	nok "the seeded data has tickets in $FROM..$TO"

cat >"$TMP/rep.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key p
expect Revenue by film, $FROM to $TO
expect Realized $(money "$real")  potential $(money "$pot")
expect Tickets $tickets  avg price
key w
key C-u
key Backspace 60
type $TMP/screen-film.csv
key Enter
expect Wrote
key b
key b
expect Revenue by day
key w
key Backspace 60
type $TMP/screen-day.csv
key Enter
key m
expect Occupancy by day
key w
key Backspace 60
type $TMP/screen-occ.csv
key Enter
expect Wrote
KEYS
if headless rep admin; then
	ok "the screen's totals equal an independent SQL query (realized $(money "$real"), potential $(money "$pot"), $tickets tickets)"
else
	nok "the screen's totals equal an independent SQL query"
	cat "$TMP/rep.err" "$TMP/rep.screen"
fi

# Writing again to a file that exists, or through a link, is refused and
# leaves the file alone (the app never overwrites).
cp "$TMP/screen-film.csv" "$TMP/before.csv"
ln -s "$TMP/before.csv" "$TMP/link.csv"
cat >"$TMP/again.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key p
expect Revenue by film
key w
key Backspace 60
type $TMP/screen-film.csv
key Enter
expect screen-film.csv exists; give a new file name.
key w
key Backspace 60
type $TMP/link.csv
key Enter
expect link.csv exists; give a new file name.
KEYS
if headless again admin && cmp -s "$TMP/before.csv" "$TMP/screen-film.csv" &&
    [ -L "$TMP/link.csv" ]; then
	ok "writing the CSV over an existing file or link is refused, the file kept"
else
	nok "writing the CSV over an existing file or link is refused"
	cat "$TMP/again.err" "$TMP/again.screen"
fi

cli="$BUILD/cinetty report"
$cli revenue --from "$FROM" --to "$TO" --by film >"$TMP/cli.txt" 2>&1
if grep -q "^total.* $tickets .*$(money "$real") .*$(money "$pot")" "$TMP/cli.txt"; then
	ok "the CLI's total line agrees"
else
	nok "the CLI's total line agrees"; cat "$TMP/cli.txt"
fi
for v in "film revenue" "day revenue" "occ occupancy"; do
	set -- $v
	by=$1
	[ "$by" = occ ] && by=day
	$cli "$2" --from "$FROM" --to "$TO" --by "$by" --csv >"$TMP/cli-$1.csv"
	if cmp -s "$TMP/cli-$1.csv" "$TMP/screen-$1.csv"; then
		ok "the screen's CSV ($2 by $by) equals cinetty report --csv"
	else
		nok "the screen's CSV ($2 by $by) equals cinetty report --csv"
		diff "$TMP/cli-$1.csv" "$TMP/screen-$1.csv" | head
	fi
done
