#!/bin/bash
# fault-pgrestart.sh - PostgreSQL stopped (fast) and started again while
# SSH sessions are open and a headless booking load runs. The sessions do
# not crash: an action says "service unavailable ..., retrying", and once
# the database is back the session recovers by itself ("The service is
# back.") and the same action works. The load recovers by itself too, and
# no booking is left half done.
. "$(dirname "$0")/lib.sh"

ft_stack
ft_data
for u in zed yan; do
	printf 'fault-pass-1\n' | "$BUILD/cinetty" user add --password-stdin \
	    "$u" "$u@example.org" "Fault $u" >/dev/null ||
		{ nok "cinetty user add $u"; exit 1; }
done
cat >"$FT/cinetty.conf" <<EOF
host_key = $FT/hostkey
shutdown_grace_seconds = 3
EOF
start_daemon || exit 1

login() {	# login SESSION USER: a signed-in SSH session in tmux
	pane_open "$1" "sshpass -p fault-pass-1 ssh $SSHOPTS -o PubkeyAuthentication=no -p $PORT -t $2@127.0.0.1"
	pane_wait "$1" "Signed in as $2" 20
}
login a zed || { nok "zed's SSH session opens"; pane_show a; exit 1; }
login b yan || { nok "yan's SSH session opens"; pane_show b; exit 1; }
# zed: a seat picked on the first showtime's map (the load leaves that
# showtime alone); yan: the films list.
pane_keys a f
pane_wait a "Fault Hall" 10
pane_keys a Enter
pane_wait a "SCREEN" 10 || { nok "zed's seat map opens"; pane_show a; }
pane_keys a Space
pane_wait a "Your seats (1 of" 5
pane_keys b f
pane_wait b "Fault Hall" 10 || { nok "yan's films list opens"; pane_show b; }

FAULT_LOAD_SKIP=1 "$BUILD/fault/fault-load" 4 30 4 >"$FT/load.out" 2>"$FT/load.err" &
LPID=$!
PIDS="$PIDS $LPID"
t0=$(date +%s)
sleep 4

pg_ctl -m fast -w stop >/dev/null || nok "pg_ctl stop -m fast"
down_at=$(($(date +%s) - t0))
note "PostgreSQL stopped (fast) at ${down_at} s"
sleep 1
pane_keys a Enter		# hold the picked seat
pane_keys b Right		# the next day's showtimes
if pane_wait a "service unavailable" 10 && pane_wait a "retrying" 2; then
	ok "an open session's hold says \"$(pane_text a | tail -1 | sed 's/^ *//')\""
else
	nok "an open session's hold says service unavailable, retrying"
	pane_show a
fi
check "a second session's list says service unavailable too" \
    pane_wait b "service unavailable" 10
sleep 2
alive=0
for s in a b; do
	[ "$(tmux -L "$TMUX_SOCK" display -p -t $s '#{pane_dead}')" = 0 ] &&
	    alive=$((alive + 1))
done
check "both sessions are still open while the database is down" [ "$alive" = 2 ]
check "cinettyd is still running" kill -0 "$DPID"

pg_ctl -l "$(pg_data)/../run/postgresql.log" -w start >/dev/null ||
	nok "pg_ctl start"
up_at=$(($(date +%s) - t0))
note "PostgreSQL started again at ${up_at} s"
s=$(date +%s%N)
if pane_wait a "The service is back." 15; then
	ms=$((($(date +%s%N) - s) / 1000000))
	ok "without a key pressed, the session says \"The service is back.\" (${ms} ms after the restart)"
else
	nok "without a key pressed, the session recovers"
	pane_show a
fi
check "the second session recovers by itself too" \
    pane_wait b "The service is back." 15
pane_keys a Enter
if pane_wait a "Seats held for you" 10; then
	ok "after the restart the same hold works"
else
	nok "after the restart the same hold works"
	pane_show a
fi

wait "$LPID"
sed 's/^/# load: /' "$FT/load.err" | head -8
note "load: $(grep -v '^sec=' "$FT/load.out" | tr '\n' ' ')"
# Errors are expected while the database is down (and for the moment the
# restart takes); from 3 s after it is back, none.
late=$(awk -F'[ =]' -v t=$((up_at + 3)) '/^sec=/ && $2 >= t { e += $6; o += $4 } END { print e + 0, o + 0 }' "$FT/load.out")
check "the load recovers by itself: no errors from 3 s after the restart (errors, successes: $late)" \
    eval '[ "${late%% *}" = 0 ] && [ "${late##* }" -gt 0 ]'
if inv=$(ft_invariants); then
	ok "no half-done booking: every hold whole or absent, no payment without its booking"
else
	nok "no half-done booking:"
	echo "$inv" | sed 's/^/# /'
fi
if grep -q -e 'AddressSanitizer' -e 'runtime error:' "$LOG" "$FT/load.err"; then
	nok "no sanitizer report"
	grep -h -A5 -e Sanitizer -e 'runtime error' "$LOG" "$FT/load.err" | head -30 | sed 's/^/# /'
fi
exit 0
