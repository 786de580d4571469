#!/bin/sh
# test-staff-boxoffice.sh - the box office on a real terminal (tmux): staff
# sign in, reach the box-office menu, sell 2 seats for cash from the day
# list in under 15 keystrokes (the code and the change due shown), check
# the code in, a second check-in says "already checked in", a second sale
# is found by its code and refunded (its seats free again), and a customer
# sees no box-office entry and cannot open one. Setup (a film, a theatre
# and a showtime starting in 30 minutes) goes through the admin screens.
. tests/e2e/office-lib.sh

soon 30
cat >"$TMP/setup.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
expect Back office
key d
key f
key n
type Box Office Test Film
key Tab
type A film for the box-office test
key Tab
type 90
key Tab
key C-u
type PG
key Tab
key Tab
type Drama, Test
key Enter
expect Saved "Box Office Test Film"
key Esc
key t
key n
type Counter Hall
key Tab
type SSSSSSSS
key Enter
type SSSSSSSS
key Enter
type PPPPPPPP
key C-s
expect Saved Counter Hall: 24 seats
key Esc
key s
key a
type Box Office Test
key Tab
type Counter
key Tab
key C-u
type $DAY
key Tab
type $HHMM
key Tab
key C-u
type 10.00
key Enter
key Enter
expect Scheduled Box Office Test Film
KEYS
if headless setup admin; then ok "setup: admin adds a film, a theatre and a showtime at $HHMM"
else nok "setup through the admin screens"; cat "$TMP/setup.err" "$TMP/setup.screen"; exit 1; fi
st=$(sql "SELECT s.id FROM showtimes s JOIN movies m ON m.id = s.movie_id WHERE m.title = 'Box Office Test Film'")

start_tui t alice cinetty-demo
check "Box office (staff)" "staff see the box office entry after signing in"
tm send-keys -t t x
check "Today at this cinema" "the box office menu opens"
tm send-keys -t t t
check "Box Office Test Film" "today's list shows the new showtime"
[ "$DAY" != "$TODAY" ] && tm send-keys -t t ']'
# Select our showtime: it starts first among the shows not started yet,
# which is where the list starts. From here we count keystrokes.
keys="Enter b 2 Enter Enter 4 0 Enter"
n=0
for k in $keys; do
	tm send-keys -t t "$k"
	n=$((n + 1))
	[ "$k" = Enter ] && sleep 0.3
done
check "Change due" "a cash sale shows the change due"
code1=$(sql "SELECT code FROM bookings WHERE showtime_id = $st ORDER BY id DESC LIMIT 1")
total=$(sql "SELECT total_cents FROM bookings WHERE code = '$code1'")
seats=$(sql "SELECT count(*) FROM showtime_seats WHERE showtime_id = $st AND state = 'sold'")
if [ -n "$code1" ] && [ "$seats" = 2 ]; then
	ok "the sale sold 2 seats of the showtime ($code1, $total cents)"
else
	nok "the sale sold 2 seats of the showtime (code '$code1', $seats sold)"
fi
if [ "$n" -lt 15 ]; then ok "a 2-ticket cash sale took $n keystrokes from the day list (< 15)"
else nok "a 2-ticket cash sale took $n keystrokes from the day list (want < 15)"; fi
check "$code1" "the booking code is shown"
change=$(( 4000 - total ))
check "Change due $((change / 100)).$(printf %02d $((change % 100)))" "the change due is 40.00 minus the total"

# Check it in, twice.
tm send-keys -t t Enter
check "day before / after" "Enter goes back to the day list"
tm send-keys -t t Escape
tm send-keys -t t c
check "Check-in: scan" "the check-in screen opens"
tm send-keys -t t -l "$code1"
tm send-keys -t t Enter
check "Seats " "a valid code is admitted with its seats"
if screen | grep -q "█"; then ok "the answer is drawn in large letters"; else nok "the answer is drawn in large letters"; fi
n=$(sql "SELECT count(*) FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE b.code = '$code1' AND t.checked_in_at IS NOT NULL")
[ "$n" = 2 ] && ok "both tickets are checked in in the database" || nok "both tickets are checked in in the database ($n)"
tm send-keys -t t -l "$code1"
tm send-keys -t t Enter
check "Already checked in at" "a second check-in says already checked in"
tm send-keys -t t -l "ZZZ-ZZZ"
tm send-keys -t t Enter
check "is not a booking code" "a code that cannot exist is refused"
tm send-keys -t t -l "QQQ-QQQ"
tm send-keys -t t Enter
check "No booking has the code QQQ-QQQ" "an unknown code is not found"

# A second sale (exact cash), then find it and refund it.
tm send-keys -t t Escape
tm send-keys -t t t
check "Box Office Test Film" "back at the day list"
[ "$DAY" != "$TODAY" ] && tm send-keys -t t ']'
for k in Enter b 2 Enter Enter Enter; do tm send-keys -t t "$k"; sleep 0.2; done
check "Change due 0.00" "an exact cash sale has no change"
code2=$(sql "SELECT code FROM bookings WHERE showtime_id = $st ORDER BY id DESC LIMIT 1")
tm send-keys -t t Enter
sleep 0.3
tm send-keys -t t Escape
tm send-keys -t t f
check "Code, name or email" "the find screen opens"
tm send-keys -t t -l "$code2"
tm send-keys -t t Enter
check "Booking $code2" "finding by code opens the booking"
tm send-keys -t t x
check "Cancel and refund" "cancel asks for confirmation"
tm send-keys -t t y
check "refunded" "the refund is confirmed on screen"
status=$(sql "SELECT status FROM bookings WHERE code = '$code2'")
sold=$(sql "SELECT count(*) FROM showtime_seats WHERE showtime_id = $st AND state = 'sold'")
[ "$status" = refunded ] && ok "the booking is refunded" || nok "the booking is refunded ($status)"
[ "$sold" = 2 ] && ok "its seats are free again (2 sold remain)" || nok "its seats are free again ($sold sold)"
tm send-keys -t t C-c

# A customer sees no box-office or back-office entry, and the keys do nothing.
cat >"$TMP/customer.keys" <<KEYS
type cinetty-demo
key Enter
expect Signed in as carol
reject Box office
reject Back office
key x
key d
reject Today at this cinema
reject Check-in
expect Signed in as carol
KEYS
if headless customer carol; then ok "a customer cannot reach the staff or admin screens"
else nok "a customer cannot reach the staff or admin screens"; cat "$TMP/customer.err" "$TMP/customer.screen"; fi
