#!/bin/sh
# test-cli-jobs.sh - `cinetty jobs` and `cinetty worker` on the test stack:
# the status listing, retry and drop of a dead letter, usage errors, one
# sweep, and a worker that runs a retried job and stops on SIGTERM.
BUILD=${CINETTY_BUILD:-build}
C="$BUILD/cinetty"
tmp=${CINETTY_TEST_TMP:-/tmp}/cli-jobs.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
export CINETTY_LOG_LEVEL=warn
export CINETTY_MAIL_COMMAND=
sock=${CINETTY_REDIS#unix:}
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
rcli() { redis-cli -s "$sock" "$@" >/dev/null; }

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
has() {	# has FILE TEXT DESCRIPTION
	if grep -q -- "$2" "$1"; then ok "$3"; else nok "$3: $(cat "$1")"; fi
}

rcli flushdb
expect 0 "jobs lists the queue" "$C" jobs
has "$tmp/out" "^queued: *0 due now, 0 later" "an empty queue says 0"
has "$tmp/out" "^mail: .*mail stays queued" "jobs says mail stays queued without a mailer"
expect 2 "an unknown jobs command is a usage error" "$C" jobs frobnicate
expect 1 "retry of an unknown job is refused" "$C" jobs retry mail:424242
has "$tmp/err" "no dead job" "the refusal says why"

# A dead letter as the worker leaves it.
rcli zadd cinetty:jobs:dead 1 mail:999999
rcli hset cinetty:jobs:payload mail:999999 999999
rcli hset cinetty:jobs:attempts mail:999999 8
rcli hset cinetty:jobs:error mail:999999 "the mailer exited with status 75"
expect 0 "jobs lists a dead letter" "$C" jobs
has "$tmp/out" "^dead: *1" "the dead count is 1"
has "$tmp/out" "mail:999999 .*attempts 8 .*status 75" "the dead job shows its attempts and error"
expect 0 "jobs retry puts it back" "$C" jobs retry mail:999999
has "$tmp/out" "queued again" "retry says so"
expect 0 "jobs after retry" "$C" jobs
has "$tmp/out" "^queued: *1 due now" "the job is due now"

# A worker runs it, then stops cleanly on SIGTERM.
"$C" worker >"$tmp/worker.out" 2>&1 &
pid=$!
i=0
while [ $i -lt 50 ]; do
	n=$(redis-cli -s "$sock" zcard cinetty:jobs:due)
	[ "$n" = 0 ] && break
	sleep 0.1
	i=$((i + 1))
done
[ "$n" = 0 ] && ok "the worker ran the retried job" ||
	nok "the worker ran the retried job: $n still due"
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $pid 2>/dev/null; then
	nok "the worker stops within 3 s of SIGTERM"
	kill -9 $pid
else
	wait $pid
	rc=$?
	[ $rc -eq 0 ] && ok "the worker stops on SIGTERM with status 0" ||
		nok "the worker exit status $rc: $(cat "$tmp/worker.out")"
fi

rcli zadd cinetty:jobs:dead 1 mail:888888
expect 0 "jobs drop forgets a dead letter" "$C" jobs drop mail:888888
expect 1 "a second drop is refused" "$C" jobs drop mail:888888
expect 0 "worker --sweep runs one sweep" "$C" worker --sweep
has "$tmp/out" "^sweep: " "the sweep reports what it did"
expect 2 "worker takes no operands" "$C" worker now
