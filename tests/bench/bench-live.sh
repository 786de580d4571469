#!/bin/sh
# bench-live.sh - item 4 of `make bench`: live update latency, core level
# (labelled so): 200 changes (hold / release of a seat in one process, seen
# through cnt_events + cnt_seatmap_get in another); see bench-live.c.
# Called by run.sh with the stack's environment, BUILD and BENCH_ROWS.
set -u
BUILD=${BUILD:-build}
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$BENCH_ROWS"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

out=$("$BUILD/bench/bench-live" 200) || exit 2
echo "live update (core level): $out"
p99=$(field "$out" p99_ms)
row "live update, core level (200 chg)" "p50 $(field "$out" p50_ms) p99 $p99 ms" \
    "max $(field "$out" max_ms) ms, lost $(field "$out" lost)" "-" "p99 < 50 ms" \
    "$(awk -v a="$p99" -v l="$(field "$out" lost)" 'BEGIN { print (a + 0 < 50 && l == 0) ? "PASS" : "FALL SHORT" }')"
