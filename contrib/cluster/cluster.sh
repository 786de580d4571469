#!/bin/sh
# cluster.sh - a 2-node cinetty cluster on this one machine (loopback only):
# PostgreSQL and Redis (contrib/stack), pgbouncer in transaction pooling
# mode, two cinettyd nodes with their own job workers (worker = yes) and one
# shared host key, and haproxy in TCP mode in front.
#
#   cluster.sh up DIR [PORT]   start it; clients use 127.0.0.1:PORT (2300)
#   cluster.sh down DIR        stop everything and remove DIR
#
# The nodes listen on PORT+1 and PORT+2; their logs are DIR/node1.log and
# DIR/node2.log, their configs DIR/node1.conf and DIR/node2.conf.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
die() { echo "cluster: $*" >&2; exit 1; }
[ $# -ge 2 ] || { echo "usage: cluster.sh up DIR [PORT] | down DIR" >&2; exit 2; }
cmd=$1
dir=$2
port=${3:-2300}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_pidfile() {
	[ -f "$1" ] || return 0
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$1"
}

case "$cmd" in
up)
	command -v haproxy >/dev/null || die "haproxy not found (contrib/deps.sh installs it)"
	command -v pgbouncer >/dev/null || die "pgbouncer not found (contrib/deps.sh installs it)"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	eval "$(sh "$top/contrib/stack" up "$dir/stack")"
	pghost=$PGHOST

	# pgbouncer refuses to run as root: like PostgreSQL, as "postgres".
	mkdir -p "$dir/bouncer"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/bouncer"
	echo '"cinetty" ""' >"$dir/userlist.txt"
	sed -e "s|@DIR@|$dir|g" -e "s|@PGHOST@|$pghost|g" -e "s|@PGPORT@|$PGPORT|g" \
	    "$here/pgbouncer.ini" >"$dir/pgbouncer.ini"
	chmod 644 "$dir/pgbouncer.ini" "$dir/userlist.txt"
	if ! [ -f "$dir/bouncer/pgbouncer.pid" ] ||
	    ! kill -0 "$(cat "$dir/bouncer/pgbouncer.pid")" 2>/dev/null; then
		as_pg pgbouncer -d -q "$dir/pgbouncer.ini" || die "pgbouncer did not start"
	fi
	i=0
	until [ -S "$dir/bouncer/.s.PGSQL.6432" ]; do
		i=$((i + 1)); [ $i -gt 50 ] && die "pgbouncer did not open its socket"
		sleep 0.1
	done

	# Schema through pgbouncer (transaction-level locks work there); the
	# demo data directly (the seed uses session-local helper functions).
	PGHOST="$dir/bouncer" PGPORT=6432 "$top/$BUILD/cinetty" migrate >/dev/null
	"$top/$BUILD/cinetty" seed >"$dir/seed.out"

	[ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
	for n in 1 2; do
		cat >"$dir/node$n.conf" <<EOT
cinema_name = "cinetty cluster node $n"
database = host=$dir/bouncer port=6432 dbname=cinetty user=cinetty
redis = $CINETTY_REDIS
listen = 127.0.0.1:$((port + n))
host_key = $dir/host_key
worker = yes
hold_minutes = ${CLUSTER_HOLD_MINUTES:-10}
sweep_seconds = ${CLUSTER_SWEEP_SECONDS:-30}
mail_command =
EOT
		stop_pidfile "$dir/node$n.pid"
		CINETTY_CONF= "$top/$BUILD/cinettyd" -d -f "$dir/node$n.conf" \
		    >>"$dir/node$n.log" 2>&1 &
		echo $! >"$dir/node$n.pid"
	done

	sed -e "s|@DIR@|$dir|g" -e "s|@BIND@|127.0.0.1:$port|" \
	    -e "s|@NODE1@|127.0.0.1:$((port + 1))|" \
	    -e "s|@NODE2@|127.0.0.1:$((port + 2))|" \
	    "$here/haproxy.cfg" >"$dir/haproxy.cfg"
	stop_pidfile "$dir/haproxy.pid"
	haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" >>"$dir/haproxy.log" 2>&1 ||
	    die "haproxy did not start"
	i=0
	until ssh-keyscan -p "$port" 127.0.0.1 >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && die "the cluster does not answer on $port"
		sleep 0.2
	done
	echo "cluster: up on 127.0.0.1:$port (nodes $((port + 1)), $((port + 2)))"
	echo "  ssh -p $port guest@127.0.0.1"
	;;
down)
	[ -d "$dir" ] || exit 0
	dir=$(cd "$dir" && pwd)
	stop_pidfile "$dir/haproxy.pid"
	for n in 1 2; do stop_pidfile "$dir/node$n.pid"; done
	stop_pidfile "$dir/bouncer/pgbouncer.pid"
	sh "$top/contrib/stack" down "$dir/stack"
	rm -rf "$dir"
	;;
*)
	echo "usage: cluster.sh up DIR [PORT] | down DIR" >&2
	exit 2
	;;
esac
