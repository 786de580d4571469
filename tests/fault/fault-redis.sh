#!/bin/bash
# fault-redis.sh - Redis killed (SIGKILL) under a booking load, restarted
# 8 s later. While it is down, holds, payments, cancels and check-ins keep
# succeeding; once it is back, seat events are published again; the
# worker's sweep frees expired holds throughout (no hold stays past its
# deadline + sweep_seconds); nothing is sold twice.
. "$(dirname "$0")/lib.sh"

CLIENTS=6
SECS=26
KILL_AT=6
BACK_AT=14
SWEEP=3
export CINETTY_SWEEP_SECONDS=$SWEEP
export CINETTY_JOB_LEASE_SECONDS=5

ft_stack
ft_data

CINETTY_LOG_LEVEL=info "$BUILD/cinetty" worker >"$FT/worker.log" 2>&1 &
WPID=$!
PIDS="$PIDS $WPID"

"$BUILD/fault/fault-load" "$CLIENTS" "$SECS" 4 >"$FT/load.out" 2>"$FT/load.err" &
LPID=$!
PIDS="$PIDS $LPID"
t0=$(date +%s)

# Sample the most overdue expired hold every half second until the end.
maxdue=0
killed=0
back=0
events=0
# Until the last holds (4 s) are past their deadline + a sweep + slack.
while kill -0 "$LPID" 2>/dev/null || [ $(($(date +%s) - t0)) -lt $((SECS + 4 + SWEEP + 4)) ]; do
	el=$(($(date +%s) - t0))
	[ "$el" -gt $((SECS + 40)) ] && break
	if [ "$killed" = 0 ] && [ "$el" -ge "$KILL_AT" ]; then
		redis_kill
		killed=$el
		note "Redis killed at ${el} s"
	fi
	if [ "$back" = 0 ] && [ "$el" -ge "$BACK_AT" ]; then
		redis_start
		back=$el
		note "Redis started again at ${el} s"
	fi
	d=$(ft_overdue 2>/dev/null)
	[ -n "$d" ] && [ "$d" -gt "$maxdue" ] && maxdue=$d
	sleep 0.5
done
wait "$LPID"
# Seat events published since the restart (a fresh Redis counts them).
events=$(redis-cli -s "$REDIS_SOCK" info commandstats |
    sed -n 's/^cmdstat_publish:calls=\([0-9]*\).*/\1/p')
events=${events:-0}

sed 's/^/# load: /' "$FT/load.err" | head -20
totals=$(grep -v '^sec=' "$FT/load.out" | tr '\n' ' ')
note "load totals: $totals"
field() { echo "$totals" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# Per second of the outage: every second had successes, no errors.
down_ok=0
down_err=0
down_secs=0
down_empty=0
for s in $(seq $((KILL_AT + 1)) $((BACK_AT - 1))); do
	line=$(grep "^sec=$s " "$FT/load.out")
	o=$(echo "$line" | sed -n 's/.* ok=\([0-9]*\).*/\1/p')
	e=$(echo "$line" | sed -n 's/.* err=\([0-9]*\).*/\1/p')
	down_secs=$((down_secs + 1))
	down_ok=$((down_ok + ${o:-0}))
	down_err=$((down_err + ${e:-0}))
	[ "${o:-0}" = 0 ] && down_empty=$((down_empty + 1))
done
before=$(awk -F'[ =]' -v k="$KILL_AT" '$2 < k { n += $4 } END { print n + 0 }' "$FT/load.out")
rate_before=$((before / KILL_AT))
rate_down=$((down_ok / down_secs))
check "while Redis is down, every second has successful operations ($down_ok in $down_secs s, $rate_down/s; $rate_before/s before; $down_empty empty seconds)" \
    [ "$down_empty" = 0 ]
check "while Redis is down, no operation fails ($down_err errors)" [ "$down_err" = 0 ]
for op in hold pay cancel checkin; do
	check "the load made ${op}s ($(field ${op}_ok) ok, $(field ${op}_conflict) conflicts, $(field ${op}_err) errors)" \
	    eval '[ "$(field ${op}_ok)" -gt 0 ] && [ "$(field ${op}_err)" = 0 ]'
done
# A sweep every SWEEP seconds, one sample every 0.5 s, a loaded machine:
# SWEEP + 2 s is the bound.
check "no expired hold stayed past its deadline + sweep_seconds=$SWEEP (+2 s slack): worst ${maxdue} s" \
    [ "$maxdue" -le $((SWEEP + 2)) ]
check "after Redis is back, seat changes are published again ($events events in the $((SECS - BACK_AT)) s of load left)" \
    [ "$events" -gt 0 ]

# After the load: every hold gone within hold + sweep time.
left=$(sql "SELECT count(*) FROM showtime_seats WHERE state = 'held'")
check "after the load every held seat was freed by expiry ($left still held)" [ "$left" = 0 ]
[ "$left" = 0 ] || sql "SELECT showtime_id, seat_id, hold_id, hold_expires, now() FROM showtime_seats WHERE state = 'held'" | sed 's/^/# held: /'

if inv=$(ft_invariants); then
	ok "booking invariants hold: nothing sold twice, no payment without its booking"
else
	nok "booking invariants hold:"
	echo "$inv" | sed 's/^/# /'
fi
jobs=$(redis-cli -s "$REDIS_SOCK" zcard cinetty:jobs:due)
note "jobs queued in Redis after the restart: $jobs"
check "the worker survived the outage" kill -0 "$WPID"
if grep -q -e 'AddressSanitizer' -e 'runtime error:' "$FT/worker.log" "$FT/load.err"; then
	nok "no sanitizer report"
	grep -A5 -e Sanitizer -e 'runtime error' "$FT/worker.log" "$FT/load.err" | head -30 | sed 's/^/# /'
fi
exit 0
