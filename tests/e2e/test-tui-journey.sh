#!/bin/sh
# test-tui-journey.sh - the customer's journey on real terminals (tmux):
# Ann signs up, picks tomorrow's first showtime, 3 seats with keys and 1
# best available, holds them, has a card declined, pays, sees her code and
# My tickets, cancels. Meanwhile Ben (a guest) watches the same seat map in
# a second session and sees her hold, the sale and the cancellation appear
# without pressing a key; his window is resized and shrunk on the way.
BUILD=${CINETTY_BUILD:-build}
TMP=${CINETTY_TEST_TMP:-/tmp}
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
SOCK=cinetty-tui-journey-$$
SOCKDIR=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
tm() { tmux -L "$SOCK" "$@"; }
stop() { tm kill-server 2>/dev/null; rm -f "$SOCKDIR/$SOCK"; }
trap stop EXIT

CINETTY_STATEMENT_TIMEOUT_MS=120000 "$BUILD/cinetty" seed >"$TMP/journey-seed.out" 2>&1 ||
	{ nok "cinetty seed"; cat "$TMP/journey-seed.out"; exit 1; }

# wait_for SESSION TEXT [SECONDS]: until the pane shows TEXT.
wait_for() {
	i=0
	while [ "$i" -lt "$(( ${3:-5} * 10 ))" ]; do
		tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check() {	# check SESSION TEXT DESCRIPTION [SECONDS]
	if wait_for "$1" "$2" "${4:-5}"; then ok "$3"; else
		nok "$3 (expected \"$2\")"; tm capture-pane -p -t "$1" | sed 's/^/# /'
	fi
}
keys() { s=$1; shift; tm send-keys -t "$s" "$@"; sleep 0.15; }
text() { tm send-keys -t "$1" -l "$2"; sleep 0.15; }

tm new-session -d -s ann -x 100 -y 30 "env LANG=C.UTF-8 $BUILD/cinetty tui; sleep 60"
tm new-session -d -s ben -x 100 -y 30 "env LANG=C.UTF-8 $BUILD/cinetty tui; sleep 60"
check ann "Welcome to" "Ann's app starts"
check ben "Welcome to" "Ben's app starts"

# Ann signs up.
keys ann u
check ann "Create an account" "u opens the sign-up form"
text ann ann; keys ann Tab
text ann ann@example.com; keys ann Tab
text ann "Ann Example"; keys ann Tab
text ann "correct horse battery"; keys ann Tab
text ann "correct horse battery"; keys ann Enter
check ann "Welcome, ann!" "signing up signs Ann in"

# Both open tomorrow's first showtime.
keys ann f; keys ann Right
check ann "Showing on" "Ann sees the films by date"
keys ann Enter
check ann "SCREEN" "Enter on a showtime opens its seat map"
check ann "Held 0 · Sold 0" "the seat map starts empty"
keys ben b; keys ben Right
check ben "Showing on" "Ben browses as a guest"
keys ben Enter
check ben "Held 0 · Sold 0" "Ben sees the same empty seat map"

# Ann picks 3 seats with keys and 1 best available, and holds them.
keys ann k; keys ann k; keys ann Space; keys ann l; keys ann Space
keys ann l; keys ann Space
check ann "Your seats (3 of at most 10)" "3 seats picked with the keys"
keys ann b; keys ann 1
check ann "Your seats (4 of at most 10)" "b 1 adds the best seat"
t0=$(date +%s%N)
tm send-keys -t ann Enter
if wait_for ben "Held 4 · Sold 0" 3; then
	t1=$(date +%s%N)
	ok "Ben sees Ann's hold live, without a key ($(( (t1 - t0) / 1000000 )) ms after her Enter)"
else
	nok "Ben sees Ann's hold live, without a key"
	tm capture-pane -p -t ben | sed 's/^/# /'
fi
check ann "Seats held for you for" "Enter holds the seats and opens the checkout"

# Ben's window changes size while he watches.
tm resize-window -t ben -x 60 -y 15
check ben "Please enlarge the terminal" "60x15 asks Ben to enlarge"
tm resize-window -t ben -x 90 -y 26
check ben "Held 4 · Sold 0" "the seat map redraws at 90x26"
tm resize-window -t ben -x 100 -y 30
check ben "SCREEN" "and at 100x30 again"

# A declined card, then a good one.
text ann "4000 0000 0000 0002"; keys ann Tab
text ann "12/30"; keys ann Tab
text ann "123"; keys ann Enter
check ann "Your card was declined." "a declined card shows the decline"
check ann "Nothing was charged" "and says nothing was charged"
keys ann C-u
text ann "4242 4242 4242 4242"; keys ann Enter; keys ann Enter; keys ann Enter
check ann "Paid - enjoy the show! Your booking code:" "a good card pays and shows the code" 10
code=$(tm capture-pane -p -t ann | sed -n 's/^ *\([0-9A-Z]\{3\}-[0-9A-Z]\{3\}\) *.*/\1/p' | head -1)
if [ -n "$code" ]; then ok "the booking code $code is shown"; else nok "a booking code is shown"; fi
check ben "Held 0 · Sold 4" "Ben sees the sale live" 3

keys ann t
check ann "Upcoming" "t opens My tickets"
check ann "${code:-confirmed}" "My tickets lists the booking"
keys ann c
check ann "Cancel booking" "c asks before canceling"
keys ann y
check ann "canceled and refunded" "the booking is canceled and refunded"
keys ann Escape
check ann "Held 0 · Sold 0" "back on the map Ann's seats are free again"
check ben "Held 0 · Sold 0" "Ben sees them free again live" 3

# A hold that runs out: the checkout says so and goes back to the map.
keys ann Space
keys ann Enter
check ann "Seats held for you for" "one seat held again"
psql -qX -c "UPDATE showtime_seats SET hold_expires = now() - interval '1 second' WHERE state = 'held'" >/dev/null
check ann "Your hold expired" "an expired hold is reported" 10
check ann "SCREEN" "and the seat map is back"

# A seat Ben picked (not held) is taken by Ann: his map says so and drops it.
keys ann c
keys ben b; keys ben 1
check ben "Your seats (1 of at most 10)" "Ben picks the best seat"
keys ann b; keys ann 1
check ann "Your seats (1 of at most 10)" "Ann picks the same best seat"
keys ann Enter
check ann "Seats held for you for" "and holds it"
check ben "just taken by someone else" "Ben is told his seat was just taken" 3
check ben "Your seats (0 of at most 10)" "and it is dropped from his picks"
