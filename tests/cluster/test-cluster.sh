#!/bin/sh
# test-cluster.sh - `make check-cluster`: the scale-out shape end to end.
# Two cinettyd nodes behind haproxy, PostgreSQL through pgbouncer
# (transaction pooling), one Redis (contrib/cluster/cluster.sh). Carol and
# Dave land on different nodes and see each other's holds live; Carol's node
# is killed and the other keeps serving; the hold Carol made on the dead
# node expires through the worker of the node that is left.
BUILD=${BUILD:-build}
export BUILD
top=$(pwd)
tmp=$(mktemp -d /tmp/cinetty-cluster.XXXXXX)
chmod 755 "$tmp"
export TMUX_TMPDIR="$tmp"
SOCK=cinetty-cluster-$$
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; fail=$((fail + 1)); }
tm() { tmux -L "$SOCK" "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	sh "$top/contrib/cluster/cluster.sh" down "$tmp/cl" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$((21000 + $$ % 4000))
while ss -ltn | grep -q ":$port \|:$((port + 1)) \|:$((port + 2)) "; do port=$((port + 3)); done

export CINETTY_ARGON2_M_KIB=64 CINETTY_ARGON2_T_COST=1 CINETTY_LOG_LEVEL=info
CLUSTER_HOLD_MINUTES=1 CLUSTER_SWEEP_SECONDS=5 \
    sh contrib/cluster/cluster.sh up "$tmp/cl" "$port" >"$tmp/up.log" 2>&1 ||
	{ nok "the cluster starts"; cat "$tmp/up.log"; echo "$pass passed, $((fail)) failed"; exit 1; }
ok "the cluster starts: haproxy :$port, nodes :$((port + 1)) :$((port + 2)), pgbouncer, one Redis"
eval "$(sh contrib/stack env "$tmp/cl/stack")"

wait_for() {	# SESSION TEXT SECONDS
	i=0
	while [ "$i" -lt "$(( $3 * 10 ))" ]; do
		tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check() {	# SESSION TEXT DESCRIPTION [SECONDS]
	if wait_for "$1" "$2" "${4:-10}"; then ok "$3"; else
		nok "$3 (expected \"$2\")"; tm capture-pane -p -t "$1" | sed 's/^/# /'
	fi
}
keys() { s=$1; shift; tm send-keys -t "$s" "$@"; sleep 0.3; }
node_of() {	# USER: which node's log shows its sign-in
	for n in 1 2; do
		grep -q "event=auth .*user=$1 " "$tmp/cl/node$n.log" 2>/dev/null && { echo $n; return; }
	done
	echo 0
}
SSHOPTS="-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no -o KexAlgorithms=curve25519-sha256"
login() {	# SESSION USER
	tm new-session -d -s "$1" -x 100 -y 30 \
	    "sshpass -p cinetty-demo ssh $SSHOPTS -p $port -t $2@127.0.0.1; sleep 120"
}

login carol carol
check carol "carol" "Carol signs in through the balancer"
cn=$(node_of carol)
# Dave must land on the other node: haproxy alternates, so reconnect if not.
for attempt in 1 2 3 4; do
	login dave dave
	wait_for dave "dave" 10
	dn=$(node_of dave)
	[ "$dn" != "$cn" ] && [ "$dn" != 0 ] && break
	tm kill-session -t dave
	sed -i "/user=dave /d" "$tmp/cl/node1.log" "$tmp/cl/node2.log"
done
if [ "$cn" != 0 ] && [ "$dn" != 0 ] && [ "$cn" != "$dn" ]; then
	ok "Carol is on node $cn, Dave on node $dn"
else
	nok "Carol and Dave on different nodes (carol=$cn dave=$dn)"
fi

# Both nodes report themselves and their sessions (heartbeats every 10 s).
i=0
while [ $i -lt 25 ]; do
	st=$(CINETTY_CONF= "$BUILD/cinetty" -f "$tmp/cl/node1.conf" status 2>/dev/null)
	[ "$(echo "$st" | grep -c ' 1 sessions$')" -eq 2 ] && break
	sleep 1
	i=$((i + 1))
done
if [ "$(echo "$st" | grep -c ' 1 sessions$')" -eq 2 ] &&
    echo "$st" | grep -q '^nodes       2'; then
	ok "cinetty status lists both nodes with one session each"
else
	nok "cinetty status lists both nodes with one session each"
	echo "$st" | sed 's/^/# /'
fi

for s in carol dave; do keys $s f; keys $s Right; keys $s Enter; done
check carol "Held 0 · Sold 0" "Carol opens tomorrow's first seat map"
check dave "Held 0 · Sold 0" "Dave opens the same seat map"
keys carol Space
keys carol Enter
check carol "Seats held for you for" "Carol holds a seat on node $cn"
check dave "Held 1 · Sold 0" "Dave sees it live on node $dn" 5

# Kill Carol's node: its daemon, its worker and its sessions.
pkill -9 -f "node$cn.conf"
sleep 3
served=0
for i in 1 2 3 4; do
	out=$(timeout 10 ssh $SSHOPTS -o BatchMode=yes -p "$port" guest@127.0.0.1 ls 2>&1)
	case "$out" in *"interactive app"*) served=$((served + 1)) ;; esac
done
if [ $served -eq 4 ]; then ok "with node $cn killed, 4 of 4 new connections are served"
else nok "with node $cn killed, new connections are served ($served of 4)"; fi
keys dave C-l
check dave "Held 1 · Sold 0" "Dave's session on node $dn carries on"

# Carol's hold (1 minute) was made on the dead node; node $dn's worker
# must release it: the seat shows free again and the row is released.
if wait_for dave "Held 0 · Sold 0" 90; then
	ok "the hold made on node $cn expires through node $dn's worker"
else
	nok "the hold made on node $cn expires through node $dn's worker"
	tm capture-pane -p -t dave | sed 's/^/# /'
fi
left=$(psql -qXAt -c "SELECT count(*) FROM showtime_seats WHERE state = 'held'")
if [ "$left" = 0 ]; then ok "no seat is left held in the database"
else nok "no seat is left held in the database ($left held)"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
