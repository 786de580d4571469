#!/bin/sh
# bench-lateness.sh - run by tests/bench/run.sh with the bench stack in the
# environment: 10,000 holds expiring within one minute while `cinetty
# worker` runs; adds the p99 lateness (release - deadline) to the table.
BUILD=${BUILD:-build}
rows=${BENCH_ROWS:?}
conf=$(mktemp /tmp/cinetty-bench-worker.XXXXXX)
"$BUILD/cinetty" worker >"$conf.log" 2>&1 &
worker=$!
out=$("$BUILD/bench/bench-lateness" 10000 60)
rc=$?
kill -TERM $worker 2>/dev/null
wait $worker 2>/dev/null
rm -f "$conf" "$conf.log"
[ $rc -eq 0 ] || exit 1
echo "job lateness: $out"
p50=$(echo "$out" | tr ' ' '\n' | sed -n 's/^p50_ms=//p')
p99=$(echo "$out" | tr ' ' '\n' | sed -n 's/^p99_ms=//p')
max=$(echo "$out" | tr ' ' '\n' | sed -n 's/^max_ms=//p')
lost=$(echo "$out" | tr ' ' '\n' | sed -n 's/^not_released=//p')
verdict=$(awk -v p="$p99" -v l="$lost" 'BEGIN { print (p <= 1000 && l == 0) ? "PASS" : "FALL SHORT" }')
printf '%s|%s|%s|%s|%s|%s\n' "job lateness, 10k holds in 1 min" \
    "p99 ${p99} ms" "p50 ${p50} ms, max ${max} ms" "-" "p99 <= 1000 ms" \
    "$verdict" >>"$rows"
