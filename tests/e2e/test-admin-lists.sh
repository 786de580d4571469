#!/bin/sh
# test-admin-lists.sh - the back office's lists on the seeded data, headless:
# all reservations page through every booking (counts equal SQL, the last
# page reached with End) and filter by status; prices change a seat-type
# percent and add a ticket type (checked in the database); the shift
# summary of a clerk equals the payments they took, by SQL.
. tests/e2e/office-lib.sh

# A clerk's shift: a cash sale (tomorrow's first show), then the summary.
cat >"$TMP/shift.keys" <<KEYS
type cinetty-demo
key Enter
key x
key t
key ]
key Enter
type b3
key Enter
key Enter
type 100
key Enter
expect Change due
key Enter
key Esc
key s
expect Shift of bob
expect Cash in the drawer
KEYS
if headless shift bob; then :; else nok "the shift screen opens"; cat "$TMP/shift.err" "$TMP/shift.screen"; fi
cash=$(sql "SELECT COALESCE(sum(amount_cents), 0) FROM payments p JOIN accounts a ON a.id = p.taken_by WHERE a.username = 'bob' AND p.method = 'cash' AND p.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")
refund=$(sql "SELECT COALESCE(sum(r.amount_cents), 0) FROM refunds r JOIN accounts a ON a.id = r.refunded_by JOIN payments p ON p.id = r.payment_id WHERE a.username = 'bob' AND p.method = 'cash' AND r.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")
drawer=$((cash - refund))
m=$(printf '%d.%02d' $((drawer / 100)) $((drawer % 100)))
if [ "$drawer" -gt 0 ] && grep -q "Cash in the drawer *$m\$" "$TMP/shift.screen"; then
	ok "the shift summary's drawer ($m) equals bob's cash payments less cash refunds today"
else
	nok "the shift summary's drawer equals SQL ($m)"; cat "$TMP/shift.screen"
fi

total=$(sql "SELECT count(*) FROM bookings")
done=$(sql "SELECT count(*) FROM bookings WHERE status = 'confirmed'")
page=28		# 36 rows: the table shows LINES - 8 rows a page
last=$(( (total - 1) / page * page + 1 ))
cat >"$TMP/resv.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key r
expect Reservations 1-$page of $total
key PgDn
expect Reservations $((page + 1))-$((2 * page)) of $total
key Up
expect Reservations 1-$page of $total
key End
expect Reservations $last-$total of $total
key f
key Tab 4
type confirmed
key Enter
key Enter
expect of $done
expect Status confirmed
KEYS
if headless resv admin; then
	ok "reservations page through $total bookings and filter $done confirmed ones"
else nok "reservations page and filter"; cat "$TMP/resv.err" "$TMP/resv.screen"; fi

cat >"$TMP/prices.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key c
expect Seat types
key Down
key Enter
type 135
key Enter
expect 135%
key n
type matinee
key Tab
type Matinee special
key Tab
type 75
key Enter
expect Matinee special
KEYS
if headless prices admin; then ok "the prices screen saves"; else
	nok "the prices screen saves"; cat "$TMP/prices.err" "$TMP/prices.screen"; fi
p=$(sql "SELECT percent FROM seat_type_prices WHERE seat_type = 'premium'")
[ "$p" = 135 ] && ok "premium seats cost 135% in the database" || nok "premium seats cost 135% ($p)"
p=$(sql "SELECT percent || ' ' || active FROM ticket_types WHERE code = 'matinee'")
[ "$p" = "75 true" ] && ok "the new ticket type is stored active at 75%" || nok "the new ticket type ($p)"


# The system screen: PostgreSQL and Redis up, the job counts; with Redis
# gone the app still runs and says so.
cat >"$TMP/sys.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key y
expect PostgreSQL  up
expect Redis       up
expect dead
expect Dead job
KEYS
if headless sys admin; then ok "the system screen shows PostgreSQL, Redis and the job queue"
else nok "the system screen shows PostgreSQL, Redis and the job queue"; cat "$TMP/sys.err" "$TMP/sys.screen"; fi
cat >"$TMP/sysdown.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key y
expect PostgreSQL  up
reject Redis       up
expect unknown while Redis is down
KEYS
if CINETTY_REDIS=unix:$TMP/no-such-redis.sock CINETTY_REDIS_TIMEOUT_MS=200 headless sysdown admin; then
	ok "with Redis down the system screen says so and the app keeps working"
else nok "with Redis down the system screen says so"; cat "$TMP/sysdown.err" "$TMP/sysdown.screen"; fi
