#!/bin/sh
# bench-live.sh - item 4 of `make bench`: live update latency, twice:
# core level (labelled so): 200 changes (hold / release of a seat in one
# process, seen through cnt_events + cnt_seatmap_get in another; see
# bench-live.c), then screen level (below): the same changes until a real
# `cinetty tui` showing the seat map redraws it.
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

# Screen level: B is a real `cinetty tui` (guest, 120x40, on a pty from
# python3) showing a Bench Hall seat map; A is `bench-live drive SHOW` on
# the showtime B follows (found from B's Redis subscription). Each change:
# B's output drained, A told to hold (or release) one seat, A prints the
# monotonic time just before its core call; the latency runs to the first
# bytes of B's redraw read at the pty master (same clock).
CHANGES=${BENCH_LIVE_CHANGES:-200}
out=$(PYTHONPATH=$(dirname "$0") PYTHONDONTWRITEBYTECODE=1 timeout 300 \
    python3 - "$BUILD" "$CHANGES" "${CINETTY_REDIS#unix:}" <<'PY'
import select, subprocess, sys, time
from ptyread import Tui, text
build, changes, redis = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tui = Tui(build, poll=0.01)
fd, quiet, key = tui.fd, tui.quiet, tui.key

def done(msg):
    print(msg)
    tui.kill()
    sys.exit(0 if msg.startswith('changes=') else 1)

RIGHT = b'\x1bOC'
quiet(limit=8)
key(b'b'); key(RIGHT)                  # browse as a guest, tomorrow
if 'SCREEN' not in text(key(b'\r')):   # the first showtime's seat map
    done('error=no seat map of a Bench Hall showtime tomorrow')
chans = subprocess.run(['redis-cli', '-s', redis, 'PUBSUB', 'CHANNELS', '*showtime:*'],
                       capture_output=True, text=True).stdout.split()
if len(chans) != 1:
    done('error=expected one showtime channel, got %r' % chans)
show = chans[0].rsplit(':', 1)[1]
a = subprocess.Popen([build + '/bench/bench-live', 'drive', show], text=True,
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
lat, lost = [], 0
for i in range(changes):
    quiet(gap=0.03, limit=1.0)         # nothing stale counts as the redraw
    a.stdin.write('h\n' if i % 2 == 0 else 'r\n'); a.stdin.flush()
    t0 = float(a.stdout.readline())
    r, _, _ = select.select([fd], [], [], 2.0)
    t1 = time.monotonic() * 1000
    status = a.stdout.readline().strip()
    if status != 'ok':
        a.kill(); done('error=A: %s' % status)
    if r and t0 > 0:
        lat.append(t1 - t0)
    else:
        lost += 1
a.stdin.close(); a.wait()
if not lat:
    done('error=B never redrew')
lat.sort()
done('changes=%d lost=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f' % (
    len(lat), lost, lat[len(lat) // 2], lat[min(len(lat) - 1, (len(lat) * 99 + 99) // 100 - 1)], lat[-1]))
PY
) || { echo "bench: live (screen): $out" >&2; exit 2; }
echo "live update (screen level): $out"
p99=$(field "$out" p99_ms)
row "live update, screen ($CHANGES chg)" "p50 $(field "$out" p50_ms) p99 $p99 ms" \
    "max $(field "$out" max_ms) ms, lost $(field "$out" lost)" "-" "p99 < 50 ms" \
    "$(awk -v a="$p99" -v l="$(field "$out" lost)" 'BEGIN { print (a + 0 < 50 && l == 0) ? "PASS" : "FALL SHORT" }')"
