#!/bin/sh
# run.sh - `make bench`: measure cinetty against references in one run, on a
# throwaway stack, loopback only, bounded in time. Prints one table and
# writes it to bench/results.txt. Exits 0 even when a target is missed (a
# report), non-zero only when a benchmark could not run.
#
#   BENCH_SECONDS   seconds per throughput run (default 10)
#   BENCH_ONLY      run only the tests/bench/bench-*.sh whose name contains
#                   this (e.g. lateness, reports), not the hold runs; or
#                   "hold": only the hold, hold+confirm and contention runs.
#                   The table is printed, bench/results.txt left alone
#   BENCH_CLIENTS   client counts of the hold runs (default "8 32")
#   BENCH_SLICES    turns cinetty and pgbench take in a hold run (default 3)
set -u
BUILD=${BUILD:-build}
SECS=${BENCH_SECONDS:-10}
ONLY=${BENCH_ONLY:-}
hold_clients=${BENCH_CLIENTS:-8 32}
case "$ONLY" in ""|hold) ;; *) hold_clients= ;; esac
top=$(pwd)
tmp=$(mktemp -d /tmp/cinetty-bench.XXXXXX)
chmod 755 "$tmp"
trap 'sh "$top/contrib/stack" down "$tmp/stack" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

eval "$(sh contrib/stack up "$tmp/stack")" || exit 2
export CINETTY_LOG_LEVEL=error
"$BUILD/cinetty" migrate >/dev/null || exit 2
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
rows="$tmp/rows"
: >"$rows"

# Table row: name | cinetty | reference | ratio | target | verdict
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$rows"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v r="$1" -v t="$2" -v dir="$3" 'BEGIN {
	if (r == "-") { print "n/a"; exit }
	if ((dir == "ge" && r + 0 >= t + 0) || (dir == "le" && r + 0 <= t + 0)) print "PASS"; else print "FALL SHORT" }'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "bench: making the bench data (200-seat hall, 5000 showtimes, 64 accounts)"
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 2
INSERT INTO movies (title, runtime_min) VALUES ('Bench Film', 100);
INSERT INTO theatres (name, layout, capacity) VALUES ('Bench Hall',
    repeat(repeat('S', 20) || E'\n', 10), 200);
INSERT INTO seats (theatre_id, row_label, number, seat_type, x, y)
SELECT t.id, chr(65 + r), n, 'standard', n - 1, r
FROM theatres t, generate_series(0, 9) r, generate_series(1, 20) n
WHERE t.name = 'Bench Hall';
INSERT INTO showtimes (movie_id, theatre_id, starts_at, ends_at,
                       blocked_until, base_price_cents)
SELECT m.id, t.id, d, d + interval '2 hours', d + interval '2 hours 15 minutes', 1000
FROM movies m, theatres t,
     generate_series(date_trunc('day', now()) + interval '1 day',
                     date_trunc('day', now()) + interval '1 day' + 4999 * interval '3 hours',
                     interval '3 hours') d
WHERE m.title = 'Bench Film' AND t.name = 'Bench Hall';
INSERT INTO accounts (username, email, full_name, password_hash)
SELECT 'bench' || lpad(i::text, 4, '0'), 'bench' || i || '@example.com',
       'Bench ' || i, '$argon2id$v=19$m=8,t=1,p=1$unused'
FROM generate_series(1, 64) i;
VACUUM ANALYZE;
SQL

# Before each run: every bench seat free again, no bookings, no jobs, so
# each run starts from the same state whatever the previous one left.
reset() {
	psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 2
TRUNCATE tickets, payments, refunds, mail_outbox, bookings;
UPDATE showtime_seats SET state = 'free', hold_id = NULL, account_id = NULL,
    hold_expires = NULL, price_cents = NULL, booking_id = NULL
WHERE state <> 'free';
VACUUM ANALYZE showtime_seats;
SQL
	redis-cli -s "${CINETTY_REDIS#unix:}" flushall >/dev/null
}

pgbench_tps() {	# CLIENTS SECONDS: simple-update tps, extended protocol (as cinetty)
	for try in 1 2; do	# a loaded machine sometimes fails a run: once more
		$PGBENCH -N -M extended -n -c "$1" -j 2 -T "$2" pgbench \
		    >"$tmp/pgbench.log" 2>&1
		tps=$(sed -n 's/^tps = \([0-9]*\).* (without initial connection time)/\1/p' \
		    "$tmp/pgbench.log")
		[ -n "$tps" ] && break
		echo "bench: pgbench failed (try $try):" >&2
		tail -5 "$tmp/pgbench.log" >&2
	done
	echo "$tps"
}

# The machine is shared and its other load comes and goes, so cinetty and
# pgbench take turns: SLICES turns of SECS/SLICES seconds each (at least
# 2), alternating which goes first, and each side's figure is its mean
# over its turns. Prints "CINETTY_PER_S PGBENCH_TPS", nothing on failure.
SLICES=${BENCH_SLICES:-3}
slice=$(awk -v s="$SECS" -v k="$SLICES" 'BEGIN { x = s / k; if (x < 2) x = 2; printf "%d", x + 0.5 }')
turns() {	# MODE CLIENTS
	i=0 cs=0 ps=0
	while [ $i -lt "$SLICES" ]; do
		if [ $((i % 2)) = 0 ]; then
			ref=$(pgbench_tps "$2" "$slice")
			reset
			out=$("$BUILD/bench/bench-hold" "$1" "$2" "$slice") || { echo "bench: $out" >&2; return; }
		else
			reset
			out=$("$BUILD/bench/bench-hold" "$1" "$2" "$slice") || { echo "bench: $out" >&2; return; }
			ref=$(pgbench_tps "$2" "$slice")
		fi
		got=$(field "$out" per_s)
		[ -n "$ref" ] && [ -n "$got" ] || return
		cs=$((cs + got)) ps=$((ps + ref)) i=$((i + 1))
	done
	echo "$((cs / SLICES)) $((ps / SLICES))"
}

# hold_row MODE CLIENTS NAME TARGET: turns of MODE against pgbench, its
# line and its table row (the target a minimum ratio).
hold_row() {
	res=$(turns "$1" "$2")
	[ -n "$res" ] || exit 2
	got=${res% *} ref=${res#* }
	r=$(ratio "$got" "$ref")
	echo "$3: $got/s vs pgbench -N $ref tps = ${r}x"
	row "$3" "$got/s" "pgbench -N $ref tps" "${r}x" ">= ${4}x" "$(verdict "$r" "$4" ge)"
}

for n in $hold_clients; do
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS pgbench" >/dev/null
	psql -qX -d postgres -c "CREATE DATABASE pgbench" >/dev/null
	$PGBENCH -i -q -s "$n" pgbench >/dev/null 2>&1 || { echo "bench: pgbench -i failed"; exit 2; }
	hold_row hold "$n" "hold 4 seats, $n clients" 1.5
	hold_row pair "$n" "hold+confirm, $n clients" 0.6
done

if [ -z "$ONLY" ] || [ "$ONLY" = hold ]; then
	reset
	out=$("$BUILD/bench/bench-hold" contend 64 10000) || { echo "bench: $out"; exit 2; }
	echo "contention: $out"
	row "contention 64 clients, 1 show" "$(field "$out" attempts_per_s) attempts/s" \
	    "p50 $(field "$out" p50_ms) ms" "p99 $(field "$out" p99_ms) ms" \
	    "0 double sales" "$( [ "$(field "$out" double_sales)" = 0 ] && echo PASS || echo 'FALL SHORT')"
fi

for extra in tests/bench/bench-*.sh; do
	[ -f "$extra" ] || continue
	case "$extra" in *"$ONLY"*) ;; *) continue ;; esac
	reset
	BUILD=$BUILD BENCH_SECONDS=$SECS BENCH_ROWS=$rows sh "$extra" || echo "bench: $extra could not run"
done

out=bench/results.txt
[ -z "$ONLY" ] || out="$tmp/results.txt"
mkdir -p bench
{
	echo "cinetty benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, PostgreSQL 15 (fsync off, throwaway)"
	echo
	awk -F'|' 'BEGIN { printf "%-34s %-22s %-26s %-9s %-16s %s\n", "benchmark", "cinetty", "reference", "ratio", "target", "result" }
	    { printf "%-34s %-22s %-26s %-9s %-16s %s\n", $1, $2, $3, $4, $5, $6 }' "$rows"
} | tee "$out"
