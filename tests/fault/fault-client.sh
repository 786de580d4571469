#!/bin/bash
# fault-client.sh - the SSH client vanishes (kill -9) while its seats are
# held: the session process and the app process exit, their PostgreSQL
# connection goes, and the hold expires on time (hold_minutes = 1; the
# worker's hold expiry job frees the seats at the deadline).
. "$(dirname "$0")/lib.sh"

ft_stack
ft_data
printf 'fault-pass-1\n' | "$BUILD/cinetty" user add --password-stdin zed \
    zed@example.org "Zed Fault" >/dev/null || { nok "cinetty user add"; exit 1; }
cat >"$FT/cinetty.conf" <<EOF
host_key = $FT/hostkey
hold_minutes = 1
worker = yes
sweep_seconds = 5
EOF
start_daemon || exit 1
wait_until 10 grep -q "event=worker_started" "$LOG"
sleep 1
base=$(pg_clients)

pane_open a "sshpass -p fault-pass-1 ssh $SSHOPTS -o PubkeyAuthentication=no -p $PORT -t zed@127.0.0.1"
pane_wait a "Signed in as zed" 20 || { nok "zed's SSH session opens"; pane_show a; exit 1; }
pane_keys a f
pane_wait a "Fault Hall" 10
pane_keys a Enter
pane_wait a "SCREEN" 10
pane_keys a Space
pane_wait a "Your seats (1 of" 5
pane_keys a Enter
if pane_wait a "Seats held for you" 10; then
	ok "zed holds a seat over SSH (hold_minutes = 1)"
else
	nok "zed holds a seat over SSH"
	pane_show a
	exit 1
fi
held=$(sql "SELECT count(*) FROM showtime_seats WHERE state = 'held'")
expires=$(sql "SELECT extract(epoch FROM max(hold_expires))::bigint FROM showtime_seats WHERE state = 'held'")
during=$(pg_clients)

# The session's processes: the daemon's children except the worker and
# the key helper.
wpid=$(sed -n 's/.*event=worker_started pid=\([0-9]*\).*/\1/p' "$LOG" | tail -1)
procs=""
for p in $(descendants "$DPID"); do
	[ "$p" = "$wpid" ] || [ "$(cat "/proc/$p/comm" 2>/dev/null)" = cinettyd-keys ] ||
	    procs="$procs $p"
done
note "session processes:$procs; PostgreSQL clients $base before, $during during"

# The client vanishes: kill -9 the ssh process itself.
sshpid=$(pgrep -f "ssh .*-p $PORT -t zed@127.0.0.1" | while read -r p; do
	[ "$(ps -o comm= -p "$p")" = ssh ] && echo "$p"; done | head -1)
[ -n "$sshpid" ] || { nok "found the ssh client"; exit 1; }
kill -KILL "$sshpid"
t_kill=$(date +%s%N)
gone() {
	for p in $procs; do kill -0 "$p" 2>/dev/null && return 1; done
	return 0
}
if wait_until 20 gone; then
	ok "the session and app processes exit after the client is killed ($((($(date +%s%N) - t_kill) / 1000000)) ms)"
else
	left=""
	for p in $procs; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
	nok "the session and app processes exit after the client is killed (left:$left)"
	ps -o pid,ppid,stat,etime,args -p "${left# }" | sed 's/^/# /'
fi
back_to_base() { [ "$(pg_clients)" -le "$base" ]; }
check "its PostgreSQL connection is gone ($during while open, $(pg_clients) now, $base before)" \
    wait_until 10 back_to_base
zombies=$(ps -o stat= --ppid "$DPID" | grep -c Z)
check "no zombie children of cinettyd ($zombies)" [ "$zombies" = 0 ]
check "the seat stays held until its deadline ($held held)" \
    [ "$(sql "SELECT count(*) FROM showtime_seats WHERE state = 'held' AND hold_expires > now()")" = "$held" ]

# The hold expires on time: the seat is free within 2 s of the deadline.
freed() { [ "$(sql "SELECT count(*) FROM showtime_seats WHERE state = 'held'")" = 0 ]; }
wait_until $((expires - $(date +%s) + 15)) freed
late=$(($(date +%s) - expires))
check "the abandoned hold is freed on time (${late} s after its deadline; bound 2 s)" \
    eval '[ "$late" -le 2 ] && freed'
check "cinettyd is still running" kill -0 "$DPID"
exit 0
