#!/bin/sh
# bench-ssh.sh - item 3 of `make bench` (first part): SSH connect to first
# bytes, sequential, cinettyd vs OpenSSH's sshd (ForceCommand /bin/cat) in
# the same run, interleaved, 20 connections each, public-key auth, the
# client forced to curve25519-sha256 for both. Each run spawns `ssh -tt` on
# a pty (python3) and times until the first byte arrives: cinettyd's
# welcome screen; for sshd one CR is written at once (local echo off) and
# the first byte is its echo by the far pty / cat. Loopback only; both daemons are stopped on exit. Not measured yet:
# 50 parallel clients, server CPU per connection, 1000 idle sessions.
# Needs /usr/sbin/sshd (Debian's openssh-server). Called by run.sh with the
# stack's environment, BUILD and BENCH_ROWS.
# BENCH_SSH_DEBUG=1 prints every run's time and first bytes to stderr.
set -u
BUILD=${BUILD:-build}
RUNS=${BENCH_SSH_RUNS:-20}
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$BENCH_ROWS"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

[ -x /usr/sbin/sshd ] || { echo "bench: ssh: no /usr/sbin/sshd (apt-get install openssh-server)" >&2; exit 2; }
dir=$(mktemp -d /tmp/cinetty-bench-ssh.XXXXXX)
CPID= SPID=
stop() {
	for p in $CPID $SPID; do
		kill -TERM "$p" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

ssh-keygen -q -t ed25519 -N '' -f "$dir/id" </dev/null
ssh-keygen -q -t ed25519 -N '' -f "$dir/sshd_host" </dev/null
cp "$dir/id.pub" "$dir/authorized_keys"
"$BUILD/cinetty" user key add bench0001 "$dir/id.pub" >/dev/null 2>&1 ||
	{ echo "bench: ssh: cinetty user key add failed" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CPORT=$(free_port)
printf 'host_key = %s\nlisten = 127.0.0.1:%s\n' "$dir/cinetty_host" "$CPORT" >"$dir/cinetty.conf"
"$BUILD/cinettyd" -d -f "$dir/cinetty.conf" -o log_level=error >"$dir/cinettyd.log" 2>&1 &
CPID=$!

SPORT=$(free_port)
mkdir -p /run/sshd
cat >"$dir/sshd_config" <<CONF
Port $SPORT
ListenAddress 127.0.0.1
HostKey $dir/sshd_host
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
ForceCommand /bin/cat
SetEnv SHLVL=1
CONF
/usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" &
SPID=$!
sleep 1
kill -0 "$CPID" 2>/dev/null || { echo "bench: ssh: cinettyd did not start:" >&2; cat "$dir/cinettyd.log" >&2; exit 2; }
kill -0 "$SPID" 2>/dev/null || { echo "bench: ssh: sshd did not start:" >&2; cat "$dir/sshd.log" >&2; exit 2; }

out=$(timeout 300 python3 - "$dir/id" "$CPORT" "$SPORT" "$(id -un)" "$RUNS" <<'PY'
import os, pty, select, sys, time, signal, termios
key, cport, sport, me, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def first_bytes(user, port, poke):
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['TERM'] = 'xterm-256color'
        os.execvp('ssh', ['ssh', '-tt', '-F', '/dev/null', '-i', key,
            '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no',
            '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=error',
            '-o', 'KexAlgorithms=curve25519-sha256', '-o', 'BatchMode=yes',
            '-p', port, user + '@127.0.0.1'])
    # No local echo of the CR (set from this side, before writing, so no
    # race with the child): only the far end answers it.
    a = termios.tcgetattr(fd); a[3] &= ~(termios.ECHO | termios.ICANON)
    termios.tcsetattr(fd, termios.TCSANOW, a)
    if poke:                         # sshd + cat: say something to echo
        os.write(fd, b'\r')
    got = None
    while time.monotonic() - t0 < 10:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                d = os.read(fd, 65536)
            except OSError:
                break
            if d:
                got = time.monotonic() - t0
                if os.environ.get('BENCH_SSH_DEBUG'):
                    sys.stderr.write('%s:%s %.1f ms %r\n' % (user, port, got * 1000, d[:60]))
                break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return got
c, s = [], []
first_bytes('bench0001', cport, False); first_bytes(me, sport, True)   # warm-up
for i in range(runs):
    a = first_bytes('bench0001', cport, False); b = first_bytes(me, sport, True)
    if a is None or b is None:
        print('error=no first bytes (cinettyd %s, sshd %s)' % (a, b)); sys.exit(1)
    c.append(a * 1000); s.append(b * 1000)
med = lambda v: sorted(v)[len(v) // 2]
print('cinetty_p50_ms=%.1f sshd_p50_ms=%.1f' % (med(c), med(s)))
PY
) || { echo "bench: ssh: $out" >&2; exit 2; }
echo "ssh sequential: $out"
cp=$(field "$out" cinetty_p50_ms); sp=$(field "$out" sshd_p50_ms)
r=$(awk -v a="$cp" -v b="$sp" 'BEGIN { printf "%.2f", a / b }')
row "ssh connect->first bytes, seq p50" "$cp ms" "OpenSSH+cat $sp ms" "${r}x" "<= 0.5x" \
    "$(awk -v r="$r" 'BEGIN { print (r + 0 <= 0.5) ? "PASS" : "FALL SHORT" }')"
