#!/bin/bash
# fault-daemon.sh - cinettyd's parent under signals and churn: SIGHUP
# reloads the configuration (a new session shows the new cinema name);
# 10,000 short connections (TCP + the SSH banner, then close; at most
# FAULT_CHURN_SECONDS=120 s, the count reached is reported) leave its
# memory where it was and no zombie behind; SIGTERM with sessions open and
# connections arriving drains: every session is told, the daemon exits
# within its grace, and no process is left.
. "$(dirname "$0")/lib.sh"

N=${FAULT_CONNECTIONS:-10000}
CHURN_SECONDS=${FAULT_CHURN_SECONDS:-120}
CHURN_CLIENTS=8
ft_stack
cat >"$FT/cinetty.conf" <<EOF
host_key = $FT/hostkey
cinema_name = Before Reload
shutdown_grace_seconds = 3
max_sessions_per_address = 1000
max_startups = 1000
max_sessions = 2000
EOF
start_daemon || exit 1

guest() {	# guest SESSION: a guest session in tmux
	pane_open "$1" "ssh $SSHOPTS -p $PORT -t guest@127.0.0.1"
}

# SIGHUP: the new value reaches new sessions.
guest h1
pane_wait h1 "Before Reload" 15 || { nok "a guest session shows the cinema name"; pane_show h1; }
sed -i 's/^cinema_name = .*/cinema_name = After Reload/' "$FT/cinetty.conf"
kill -HUP "$DPID"
wait_until 5 grep -q "event=reload" "$LOG"
guest h2
if pane_wait h2 "After Reload" 15; then
	ok "after SIGHUP a new session shows the new cinema_name"
else
	nok "after SIGHUP a new session shows the new cinema_name"
	pane_show h2
fi
check "the session opened before SIGHUP is still there" pane_has h1 "Before Reload"
tmux -L "$TMUX_SOCK" kill-session -t h1
tmux -L "$TMUX_SOCK" kill-session -t h2

# Short connections: connect, read the SSH banner, close (churn.py).
CHURN_PY=$(dirname "$0")/churn.py
mem() {	# "rss_kib private_kib" of the daemon's parent process
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$DPID/status")
	priv=$(awk '/^Private_(Clean|Dirty):/ { n += $2 } END { print n }' "/proc/$DPID/smaps_rollup")
	echo "$rss $priv"
}
kids() {	# the daemon's children but its key helper (cinettyd-keys)
	for _k in $(pgrep -P "$DPID"); do
		[ "$(cat "/proc/$_k/comm" 2>/dev/null)" = cinettyd-keys ] || echo "$_k"
	done
}
settle() {	# until the parent has no child left (at most 20 s)
	wait_until 20 [ -z "$(kids)" ]
}
no_kids() { [ -z "$(kids)" ]; }
python3 "$CHURN_PY" "$PORT" 500 >/dev/null	# warm-up
wait_until 20 no_kids
before=$(mem)
# All N, or as many as CHURN_SECONDS allow on a loaded machine (the
# count is reported). CPU time of the parent and of its (reaped) children
# per connection says what one costs, whatever else the machine runs.
cpu() {	# parent ticks, children ticks
	awk '{ print $14 + $15, $16 + $17 }' "/proc/$DPID/stat"
}
cpu0=$(cpu)
read -r ok1 bad1 ms1 <<<"$(python3 "$CHURN_PY" "$PORT" "$N" "$CHURN_SECONDS" "$CHURN_CLIENTS")"
wait_until 20 no_kids
after=$(mem)
cpu1=$(cpu)
done1=$((ok1 + bad1))
hz=$(getconf CLK_TCK)
us() { echo $(( ($1 - $2) * 1000000 / hz / (done1 > 0 ? done1 : 1) )); }
note "$done1 of $N connections in ${ms1} ms ($((done1 * 1000 / (ms1 + 1)))/s, $CHURN_CLIENTS clients): $ok1 got the banner, $bad1 did not"
note "CPU per connection: parent $(us "${cpu1% *}" "${cpu0% *}") us, its children $(us "${cpu1#* }" "${cpu0#* }") us; load $(cut -d' ' -f1-3 /proc/loadavg)"
note "parent memory before: rss ${before% *} KiB, private ${before#* } KiB; after: rss ${after% *} KiB, private ${after#* } KiB"
# On a quiet machine all of them; on a loaded one at least 1,000.
check "every one of the $done1 connections got the SSH banner ($bad1 did not)" \
    eval '[ "$bad1" = 0 ] && [ "$done1" -ge 1000 ]'
grow=$(( ${after#* } - ${before#* } ))
check "the parent's private memory does not grow over $done1 connections (${grow} KiB; bound 256 KiB)" \
    [ "$grow" -le 256 ]
zombies=$(ps -o stat= --ppid "$DPID" | grep -c Z)
check "no zombie children after them ($zombies)" [ "$zombies" = 0 ]
check "and no child at all once they are closed" no_kids

# 100 reloads, one after the other (signals sent faster than they are
# handled merge into one): the configuration and host key read again each
# time must not pile up in the parent either.
before=$(mem)
nrel() { grep -c 'event=reload' "$LOG"; }
for i in $(seq 100); do
	n=$(nrel)
	kill -HUP "$DPID"
	wait_until 3 eval '[ "$(nrel)" -gt "$n" ]'
done
reloads=$(($(nrel) - 1))
after=$(mem)
grow=$(( ${after#* } - ${before#* } ))
note "after $reloads more reloads: rss ${after% *} KiB, private ${after#* } KiB"
check "the parent's private memory does not grow over $reloads reloads (${grow} KiB; bound 256 KiB)" \
    eval '[ "$grow" -le 256 ] && [ "$reloads" -ge 90 ]'
check "it still answers after them" eval '[ "$(python3 "$CHURN_PY" "$PORT" 4 | cut -d" " -f1)" = 4 ]'

# SIGTERM under load: three sessions open, connections still arriving.
for s in t1 t2 t3; do guest $s; done
for s in t1 t2 t3; do
	pane_wait $s "Welcome" 15 || { nok "guest session $s opens"; pane_show $s; }
done
python3 "$CHURN_PY" "$PORT" 100000 15 >/dev/null 2>&1 &
CHURN=$!
PIDS="$PIDS $CHURN"
sleep 1
kids=$(descendants "$DPID")
start=$(date +%s%N)
kill -TERM "$DPID"
told=0
for s in t1 t2 t3; do
	pane_wait $s "shutting down" 5 && told=$((told + 1))
done
check "SIGTERM tells every open session ($told of 3)" [ "$told" = 3 ]
wait_until 15 eval '! kill -0 "$DPID" 2>/dev/null'
ms=$((($(date +%s%N) - start) / 1000000))
check "cinettyd exits within its grace (3 s + 5 s slack: ${ms} ms)" \
    eval '! kill -0 "$DPID" 2>/dev/null && [ "$ms" -le 8000 ]'
kill "$CHURN" 2>/dev/null
left=""
for p in $kids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
check "no session or app process is left behind (left:${left:-none})" [ -z "$left" ]
if grep -q -e 'AddressSanitizer' -e 'runtime error:' "$LOG"; then
	nok "no sanitizer report in the daemon's log"
	grep -A5 -e Sanitizer -e 'runtime error' "$LOG" | head -30 | sed 's/^/# /'
fi
exit 0
