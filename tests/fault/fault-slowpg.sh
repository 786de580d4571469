#!/bin/bash
# fault-slowpg.sh - a stuck query (another session holds locks on the seat
# rows) meets statement_timeout: the app shows an error within the timeout
# and keeps answering keys, and once the lock is gone the same action
# works. Played headless (`cinetty tui --script`) with
# statement_timeout_ms = 1500.
. "$(dirname "$0")/lib.sh"

ft_stack
ft_data
printf 'fault-pass-1\n' | "$BUILD/cinetty" user add --password-stdin zed \
    zed@example.org "Zed Fault" >/dev/null || { nok "cinetty user add"; exit 1; }
export CINETTY_STATEMENT_TIMEOUT_MS=1500

# lock SECONDS SQL: run SQL in a transaction that then sleeps SECONDS.
lock() {
	psql -qX -c "BEGIN" -c "$2" -c "SELECT pg_sleep($1)" -c "COMMIT" \
	    >/dev/null 2>&1 &
	LOCKPID=$!
	PIDS="$PIDS $LOCKPID"
	wait_until 10 sleeping || nok "the locking session started"
}
sleeping() {
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE
	    query LIKE 'SELECT pg_sleep%' AND state = 'active'")" = 1 ]
}

# play NAME: run $FT/NAME.keys as zed; sets RC and MS (wall time).
play() {
	s=$(date +%s%N)
	"$BUILD/cinetty" tui --user zed --script "$FT/$1.keys" \
	    >"$FT/$1.screen" 2>"$FT/$1.err"
	RC=$?
	MS=$((($(date +%s%N) - s) / 1000000))
}
show() { grep -v ' level=' "$FT/$1.err" | sed 's/^/# /'; sed 's/^/# | /' "$FT/$1.screen"; }

# 1. Holding seats whose rows another transaction has locked FOR UPDATE:
# the hold waits on the lock until the timeout; the error is on the
# screen; the keys still work; after the lock is released (5 s) the same
# Enter holds the seat.
cat >"$FT/hold.keys" <<'KEYS'
type fault-pass-1
key Enter
expect Signed in as zed
key f
key Enter
expect SCREEN
key Space
key Enter
expect took too long
reject Seats held for you
key Down
expect Your seats (1 of at most 10)
sleep 5000
key Enter
expect Seats held for you
KEYS
lock 6 "SELECT 1 FROM showtime_seats FOR UPDATE"
play hold
if [ "$RC" = 0 ]; then
	ok "a hold stuck on locked seat rows shows \"took too long\", keys still work, and it works once the lock is gone (${MS} ms in all, 5000 of them a pause)"
else
	nok "a hold stuck on locked seat rows shows an error and recovers (exit $RC)"
	show hold
fi
wait "$LOCKPID" 2>/dev/null

# 2. The whole seat table locked (ACCESS EXCLUSIVE: even reads wait): the
# films list says so within about the timeout, Esc still works.
cat >"$FT/list.keys" <<'KEYS'
type fault-pass-1
key Enter
expect Signed in as zed
key f
expect took too long
key Esc
expect Films and showtimes
KEYS
lock 8 "LOCK TABLE showtime_seats IN ACCESS EXCLUSIVE MODE"
play list
# Sign-in (argon2, cheap here) + one timeout of 1.5 s + slack.
if [ "$RC" = 0 ] && [ "$MS" -lt 5000 ]; then
	ok "a list read stuck behind a table lock shows \"took too long\" in ${MS} ms (timeout 1500 ms) and Esc still works"
else
	nok "a list read stuck behind a table lock shows an error within 5 s (exit $RC, ${MS} ms)"
	show list
fi
# The lock still held: the app did not wait for it.
check "the app gave up before the lock was released" kill -0 "$LOCKPID"
wait "$LOCKPID" 2>/dev/null

if inv=$(ft_invariants); then
	ok "booking invariants hold afterwards"
else
	nok "booking invariants hold afterwards:"
	echo "$inv" | sed 's/^/# /'
fi
if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$FT"/*.err; then
	nok "no sanitizer report"
	grep -h -A5 -e Sanitizer -e 'runtime error' "$FT"/*.err | head -30 | sed 's/^/# /'
fi
exit 0
