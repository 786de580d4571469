#!/bin/sh
# test-ssh-abuse.sh - cinettyd under hostile clients: random bytes,
# truncated and stalled handshakes, a client opening 1000 channels, pty
# requests of 0x0 and 10000x10000, huge env requests, a window-change
# flood and a 1 MiB paste (tests/e2e/ssh-abuse.c does what OpenSSH's
# client will not). After every attack the daemon is alive and a second,
# ordinary session in tmux still answers a key within seconds; at the end
# no connection process is left over and the log has no sanitizer report.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SSH_TEST=ssh-abuse
DAEMON_LOG_LEVEL=info
. tests/e2e/ssh-lib.sh
ABUSE=$BUILD/tests/e2e/ssh-abuse
PANE=watch

# alive WHAT: the daemon runs and the watching session answers a key (u
# opens the sign-up form, Esc goes back) within 10 s.
alive() {
	start=$(date +%s%N)
	if ! kill -0 "$DPID" 2>/dev/null; then
		nok "after $1: the daemon is gone"
		sed 's/^/# /' "$LOG" | tail -20
		return
	fi
	tm send-keys -t watch u
	if pane_wait "Create an account" 10; then
		tm send-keys -t watch Escape
		pane_wait "Welcome" 10
		ms=$((($(date +%s%N) - start) / 1000000))
		ok "after $1: the daemon serves and another session answers (${ms} ms)"
	else
		nok "after $1: another session answers a key"
		pane_text | sed 's/^/# /'
	fi
}

# abuse DESCRIPTION ARGS...: run the misbehaving client; it must end (in
# 300 s) with status 0 or 1 (2 is "could not connect": the daemon is not
# serving). Its line is printed for the record.
abuse() {
	desc=$1
	shift
	out=$(timeout 300 "$ABUSE" "$PORT" "$@" 2>&1)
	rc=$?
	echo "# $desc: $out (exit $rc)"
	if [ $rc = 0 ]; then
		ok "$desc: answered as a server should ($out)"
	else
		nok "$desc (exit $rc: $out)"
	fi
}

cat >"$CONF" <<EOF
host_key = $TMP/hostkey
login_grace_seconds = 5
max_sessions_per_address = 50
EOF
[ -x "$ABUSE" ] || { nok "the abuse client $ABUSE is built"; exit 1; }
start_daemon || exit 1
rss0=$(ps -o rss= -p "$DPID" | tr -d ' ')

tm -f /dev/null new-session -d -s watch -x 100 -y 30 \
    "ssh $SSHOPTS -p $PORT -t guest@127.0.0.1"
if pane_wait "Welcome" 20; then
	ok "a watching guest session is open"
else
	nok "a watching guest session is open"
	pane_text | sed 's/^/# /'
	exit 1
fi

# Random bytes: 20 connections of 64 KiB each.
for _ in $(seq 20); do
	head -c 65536 /dev/urandom >"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null
done
alive "20 connections of 64 KiB of random bytes"

# Truncated and broken handshakes: a banner only, a banner and a packet
# length of 4 GiB, a banner and half a packet, a packet before any
# banner; each closed at once. Then five that stall after the banner
# until login_grace_seconds (5 s) ends them.
for msg in 'SSH-2.0-abuse\r\n' 'SSH-2.0-abuse\r\n\xff\xff\xff\xff\x08\x14' \
    'SSH-2.0-abuse\r\n\x00\x00\x03\xe8\x0a\x14\x01\x02\x03' \
    '\x00\x00\x00\x0c\x0a\x14abcdefghij' 'SSH-1.5-old\r\n' \
    "SSH-2.0-$(head -c 300 /dev/zero | tr '\0' a)\r\n"; do
	printf "$msg" >"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null
done
stalled=""
for _ in 1 2 3 4 5; do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT"; printf 'SSH-2.0-abuse\r\n' >&3;
	    timeout 20 cat <&3 >/dev/null) 2>/dev/null &
	stalled="$stalled $!"
done
start=$(date +%s)
wait $stalled
s=$(($(date +%s) - start))
if [ "$s" -le 15 ]; then
	ok "five handshakes stalled after the banner are dropped by the grace time (${s} s)"
else
	nok "stalled handshakes are dropped by the grace time (took ${s} s)"
fi
alive "6 truncated handshakes and 5 stalled ones"

abuse "a client opening 1000 channels" channels 1000
alive "1000 channels"
abuse "a pty request of 0x0" pty 0 0
abuse "a pty request of 10000x10000" pty 10000 10000
alive "pty requests of 0x0 and 10000x10000"
abuse "200 env requests of 64 KiB" env 200 65536
alive "huge env requests"
abuse "a flood of 5000 window changes" winch 5000
alive "a window-change flood"
abuse "a 1 MiB paste into a form" paste 1048576
alive "a 1 MiB paste"

# Nothing left over: only the watching session's process remains.
# (The key helper, comm cinettyd-keys, is the daemon's for good.)
kids_n() {
	_n=0
	for _k in $(pgrep -P "$DPID"); do
		[ "$(cat "/proc/$_k/comm" 2>/dev/null)" = cinettyd-keys ] || _n=$((_n + 1))
	done
	echo "$_n"
}
for _ in $(seq 100); do
	[ "$(kids_n)" -le 1 ] && break
	sleep 0.1
done
n=$(kids_n)
if [ "$n" -le 1 ]; then
	ok "every abusive connection's process is gone (children now: $n)"
else
	nok "every abusive connection's process is gone (children now: $n)"
	ps -o pid,etime,args --ppid "$DPID" | sed 's/^/# /'
fi
rss1=$(ps -o rss= -p "$DPID" | tr -d ' ')
echo "# daemon RSS before ${rss0} KiB, after ${rss1} KiB"
if [ "$rss1" -le $((rss0 + 4096)) ]; then
	ok "the daemon's memory did not grow by more than 4 MiB (${rss0} -> ${rss1} KiB)"
else
	nok "the daemon's memory grew from ${rss0} to ${rss1} KiB"
fi
check_no_sanitizer_report
