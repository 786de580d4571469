#!/bin/sh
# bench-wire.sh - item 7 of `make bench`: bytes the app writes to the
# terminal for one seat-cursor move and one seat toggle on the Grand Hall
# (276 seats) of `cinetty seed`. Runs `cinetty tui` as a guest on a pty
# (python3's pty module, 120x40, xterm-256color), opens tomorrow's first
# Grand Hall showtime, then counts the bytes read at the pty master after
# each key until the output is quiet: 12 moves (right, down, left, up) and
# 6 toggles (space). The reference column is the bytes of the full seat-map
# screen (opening it). Called by run.sh with the stack's environment.
set -u
BUILD=${BUILD:-build}
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$BENCH_ROWS"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

CINETTY_STATEMENT_TIMEOUT_MS=120000 "$BUILD/cinetty" seed >/dev/null 2>&1 ||
	{ echo "bench: cinetty seed failed" >&2; exit 2; }

out=$(PYTHONPATH=$(dirname "$0") PYTHONDONTWRITEBYTECODE=1 timeout 180 \
    python3 - "$BUILD" <<'PY'
import os, sys
from ptyread import Tui, text
tui = Tui(sys.argv[1], poll=0.05)
key = tui.key

RIGHT, LEFT, UP, DOWN = b'\x1bOC', b'\x1bOD', b'\x1bOA', b'\x1bOB'  # keypad mode
tui.quiet(limit=8)
key(b'b'); key(RIGHT)                  # browse as a guest, tomorrow
full = 0
for i in range(80):                    # the first Grand Hall showtime
    o = key(b'\r')
    t = text(o)
    if 'SCREEN' in t and 'Grand Hall' in t:
        full = len(o)
        break
    if 'SCREEN' in t or 'About the film' in t:
        key(b'\x1b')
    key(DOWN)
if not full:
    print('error=no Grand Hall showtime found tomorrow'); sys.exit(1)
moves = [len(key(k)) for k in [RIGHT, RIGHT, RIGHT, DOWN, DOWN, DOWN,
                               LEFT, LEFT, LEFT, UP, UP, UP]]
toggles = [len(key(b' ')) for _ in range(6)]
key(b'q'); key(b'q')
os.close(tui.fd)
tui.kill()
med = lambda v: sorted(v)[len(v) // 2]
print('move_med=%d move_max=%d toggle_med=%d toggle_max=%d full=%d moves=%s'
      % (med(moves), max(moves), med(toggles), max(toggles), full,
         ','.join(map(str, moves))))
PY
) || { echo "bench: wire: $out" >&2; exit 2; }
echo "wire: $out"
full=$(field "$out" full)
mm=$(field "$out" move_med); mx=$(field "$out" move_max)
tm=$(field "$out" toggle_med); tx=$(field "$out" toggle_max)
r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3fx", a / b }'; }
row "wire: seat-cursor move (Grand Hall)" "$mm B (max $mx)" "full map $full B" \
    "$(r "$mm" "$full")" "median < 100 B" "$( [ "$mm" -lt 100 ] && echo PASS || echo 'FALL SHORT')"
row "wire: seat toggle (Grand Hall)" "$tm B (max $tx)" "full map $full B" \
    "$(r "$tm" "$full")" "-" "n/a"
