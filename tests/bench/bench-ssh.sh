#!/bin/sh
# bench-ssh.sh - item 3 of `make bench`: SSH sessions, cinettyd vs OpenSSH's
# sshd (ForceCommand /bin/cat, its own config, host key and authorized_keys
# here, SetEnv SHLVL=1) on another port, in the same run, interleaved,
# public-key auth, the client forced to curve25519-sha256 for both.
#
#  1. connect -> first bytes, sequential: RUNS `ssh -tt` runs each (python3
#     on a pty), alternating. cinettyd's first bytes are its welcome
#     screen's; for sshd one CR is written at once (local echo off) and the
#     first byte is its echo by the far pty / cat.
#  2. server CPU per connection over those runs: utime+stime+cutime+cstime
#     of the listener from /proc, before and after (every child reaped),
#     divided by the runs; its children are the whole per-connection tree
#     (cinettyd: session child + app; sshd: re-exec'd sshd, privsep child,
#     cat), plus the CPU cinettyd's key helper (a child that lives on) used
#     meanwhile. PostgreSQL's backends (children of the postmaster, not of
#     cinettyd) are shown apart: "+N ms PG".
#  3. connect -> first bytes for PAR clients released together (forked and
#     waiting, then let go at once), ROUNDS rounds per server, alternating:
#     p50 and p99 over all of them.
#  4. IDLE sessions held open at once (cinettyd: the app at its welcome
#     screen) by bench-ssh-idle (libssh, a few client processes), then the
#     private memory per session: Private_Clean + Private_Dirty of
#     /proc/PID/smaps_rollup of every process under the listener (with
#     cinettyd's one key helper), divided by the sessions; the same for sshd with IDLE_REF sessions. While
#     cinettyd's sessions open and are held, the PostgreSQL backends are
#     counted every 0.2 s: the peak must stay under 100 (max_connections
#     of a default PostgreSQL), since idle sessions must hold none.
#
# Limits raised for the bench only: cinettyd max_sessions, per address and
# startups; sshd MaxStartups. Loopback only; both daemons stopped on exit.
# Needs /usr/sbin/sshd (Debian's openssh-server): installed here when
# missing and running as root (no system sshd is started), else the
# reference is "n/a". Called by run.sh with the stack's environment, BUILD
# and BENCH_ROWS.
#   BENCH_SSH_RUNS (20) BENCH_SSH_PAR (50) BENCH_SSH_ROUNDS (2)
#   BENCH_SSH_IDLE (1000) BENCH_SSH_IDLE_REF (300)
#   BENCH_SSH_DEBUG=1 prints every run's time and first bytes to stderr.
set -u
BUILD=${BUILD:-build}
RUNS=${BENCH_SSH_RUNS:-20}
PAR=${BENCH_SSH_PAR:-50}
ROUNDS=${BENCH_SSH_ROUNDS:-2}
IDLE=${BENCH_SSH_IDLE:-1000}
IDLE_REF=${BENCH_SSH_IDLE_REF:-300}
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$BENCH_ROWS"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {
	if (r == "-" || r == "") { print "n/a"; exit }
	print (r + 0 <= t + 0) ? "PASS" : "FALL SHORT" }'; }

# The reference: Debian's openssh-server, installed for the bench when
# missing (as contrib/deps.sh does: policy-rc.d keeps a system sshd from
# starting).
if [ ! -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "bench: ssh: installing openssh-server for the reference" >&2
	rcd=/usr/sbin/policy-rc.d
	[ -e "$rcd" ] && had_rcd=1 || { had_rcd=0; printf '#!/bin/sh\nexit 101\n' >"$rcd"; chmod 755 "$rcd"; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >/dev/null 2>&1; }
	[ "$had_rcd" = 0 ] && rm -f "$rcd"
fi
REF=1
[ -x /usr/sbin/sshd ] || { REF=0; echo "bench: ssh: no /usr/sbin/sshd: OpenSSH reference n/a" >&2; }

dir=$(mktemp -d /tmp/cinetty-bench-ssh.XXXXXX)
chmod 755 "$dir"
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
lim=$((IDLE + PAR + 100))
cat >"$dir/cinetty.conf" <<CONF
host_key = $dir/cinetty_host
listen = 127.0.0.1:$CPORT
worker = no
max_sessions = $lim
max_sessions_per_address = $lim
max_startups = $((PAR + 50))
CONF
"$BUILD/cinettyd" -d -f "$dir/cinetty.conf" -o log_level=error >"$dir/cinettyd.log" 2>&1 &
CPID=$!

SPORT=0
if [ "$REF" = 1 ]; then
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
MaxStartups $((PAR + 50))
ForceCommand /bin/cat
SetEnv SHLVL=1
CONF
	/usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" &
	SPID=$!
fi
sleep 1
kill -0 "$CPID" 2>/dev/null || { echo "bench: ssh: cinettyd did not start:" >&2; cat "$dir/cinettyd.log" >&2; exit 2; }
if [ "$REF" = 1 ] && ! kill -0 "$SPID" 2>/dev/null; then
	echo "bench: ssh: sshd did not start: reference n/a" >&2
	cat "$dir/sshd.log" >&2
	REF=0 SPID=
fi
PGDATA_DIR=$(psql -XAtc 'SHOW data_directory') || exit 2
PGPID=$(head -1 "$PGDATA_DIR/postmaster.pid")

# Shared by both python parts: process trees and CPU from /proc.
cat >"$dir/proc.py" <<'PY'
import os, time
HZ = os.sysconf('SC_CLK_TCK')
def stat(pid):
    s = open('/proc/%d/stat' % pid).read()
    return s[s.rindex(')') + 2:].split()
def cpu_ms(pid, kids=None):
    """utime+stime of PID, of its reaped children and of the children
    still running (cinettyd's key helper), in ms."""
    kids = children() if kids is None else kids
    f = stat(pid)
    own = sum(int(x) for x in f[11:15]) * 1000.0 / HZ
    return own + sum(cpu_ms(c, kids) for c in kids.get(pid, []))
def children():
    kids = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                kids.setdefault(int(stat(int(p))[1]), []).append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    return kids
def tree(pid, kids=None):
    kids = children() if kids is None else kids
    out = []
    for c in kids.get(pid, []):
        out.append(c)
        out.extend(tree(c, kids))
    return out
def drained(pid, limit=30, keep=0):
    """Wait until PID has no more than KEEP children left (every session
    reaped; cinettyd keeps its key helper)."""
    end = time.monotonic() + limit
    while len(children().get(pid, [])) > keep and time.monotonic() < end:
        time.sleep(0.1)
    return len(children().get(pid, [])) <= keep
def private_kb(pids):
    tot = 0
    for p in pids:
        try:
            for l in open('/proc/%d/smaps_rollup' % p):
                if l.startswith('Private_Clean:') or l.startswith('Private_Dirty:'):
                    tot += int(l.split()[1])
        except OSError:
            pass
    return tot
def backends(pgpid, kids=None):
    """Client backends of the postmaster (titled 'postgres: USER DB ...')."""
    n = 0
    kids = children() if kids is None else kids
    for c in kids.get(pgpid, []):
        try:
            t = open('/proc/%d/cmdline' % c, 'rb').read().split(b'\0')[0]
        except OSError:
            continue
        if t.count(b' ') >= 3 and not t.startswith(b'postgres: parallel') and \
           (b'[local]' in t or b'127.0.0.1' in t):
            n += 1
    return n
PY

# ---- 1-3: latency and CPU, with the `ssh` client ------------------------
out=$(timeout 400 python3 - "$dir" "$CPORT" "$SPORT" "$(id -un)" "$RUNS" \
    "$PAR" "$ROUNDS" "$CPID" "${SPID:-0}" "$PGPID" <<'PY'
import os, pty, select, sys, time, signal, termios
d, cport, sport, me = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs, par, rounds = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
cpid, spid, pgpid = int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
sys.path.insert(0, d)
import proc
key = d + '/id'
debug = os.environ.get('BENCH_SSH_DEBUG')
# name, user, port, poke, listener, long-lived children (the key helper)
servers = [('cinettyd', 'bench0001', cport, False, cpid, 1)]
if spid:
    servers.append(('sshd', me, sport, True, spid, 0))

def spawn(user, port, gate=None):
    pid, fd = pty.fork()
    if pid == 0:
        if gate is not None:           # wait to be let go with the others
            os.close(gate[1]); os.read(gate[0], 1)
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
    return pid, fd

def first_bytes(clients, poke, t0, limit=30):
    """Seconds from T0 to each client's first bytes (None: none came)."""
    got = {fd: None for _, fd in clients}
    if poke:                           # sshd + cat: say something to echo
        for _, fd in clients:
            os.write(fd, b'\r')
    left = set(got)
    while left and time.monotonic() - t0 < limit:
        r, _, _ = select.select(list(left), [], [], 0.5)
        now = time.monotonic()
        for fd in r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b''
            left.discard(fd)
            if data:
                got[fd] = now - t0
                if debug and len(clients) == 1:
                    sys.stderr.write('%.1f ms %r\n' % (got[fd] * 1000, data[:40]))
    for pid, fd in clients:
        os.kill(pid, signal.SIGKILL)
    for pid, fd in clients:
        os.waitpid(pid, 0); os.close(fd)
    return [got[fd] for _, fd in clients]

def one(user, port, poke):
    t0 = time.monotonic()
    return first_bytes([spawn(user, port)], poke, t0)[0]

def together(user, port, poke, n):
    gate = os.pipe()
    clients = [spawn(user, port, gate) for _ in range(n)]
    os.close(gate[0])
    t0 = time.monotonic()
    os.close(gate[1])                  # every child reads EOF: go
    return first_bytes(clients, poke, t0)

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]

for name, user, port, poke, lpid, keep in servers:     # warm-up
    one(user, port, poke)
for name, user, port, poke, lpid, keep in servers:
    proc.drained(lpid, keep=keep)
res = {s[0]: {'seq': [], 'par': [], 'lost': 0} for s in servers}
cpu0 = {s[0]: proc.cpu_ms(s[4]) for s in servers}
pg0 = proc.cpu_ms(pgpid)
for i in range(runs):
    for name, user, port, poke, lpid, keep in servers:
        t = one(user, port, poke)
        if t is None:
            print('error=no first bytes from %s' % name); sys.exit(1)
        res[name]['seq'].append(t * 1000)
for name, user, port, poke, lpid, keep in servers:
    if not proc.drained(lpid, keep=keep):
        print('error=%s sessions did not end' % name); sys.exit(1)
    res[name]['cpu'] = (proc.cpu_ms(lpid) - cpu0[name]) / runs
# Backends end a moment after their client: then count their CPU.
time.sleep(1)
res['cinettyd']['pgcpu'] = (proc.cpu_ms(pgpid) - pg0) / runs

for r in range(rounds):
    for name, user, port, poke, lpid, keep in servers:
        v = together(user, port, poke, par)
        res[name]['par'] += [t * 1000 for t in v if t is not None]
        res[name]['lost'] += sum(1 for t in v if t is None)
        proc.drained(lpid, keep=keep)

outl = []
for name, *_ in servers:
    s = res[name]
    if not s['par']:
        print('error=no parallel client of %s got bytes' % name); sys.exit(1)
    outl.append('%s_seq_p50=%.1f %s_cpu_ms=%.1f %s_par_p50=%.1f %s_par_p99=%.1f %s_par_lost=%d'
                % (name, pct(s['seq'], 50), name, s['cpu'], name, pct(s['par'], 50),
                   name, pct(s['par'], 99), name, s['lost']))
outl.append('pg_cpu_ms=%.1f' % res['cinettyd']['pgcpu'])
print(' '.join(outl))
PY
) || { echo "bench: ssh: $out" >&2; exit 2; }
echo "ssh latency and CPU: $out"

c50=$(field "$out" cinettyd_seq_p50); s50=$(field "$out" sshd_seq_p50)
r=$(ratio "$c50" "${s50:-0}")
row "ssh connect->first bytes, seq p50" "$c50 ms" "OpenSSH+cat ${s50:-n/a} ms" "${r}x" "<= 0.5x" "$(verdict "$r" 0.5)"
cp50=$(field "$out" cinettyd_par_p50); cp99=$(field "$out" cinettyd_par_p99)
sp50=$(field "$out" sshd_par_p50); sp99=$(field "$out" sshd_par_p99)
lost=$(( $(field "$out" cinettyd_par_lost) + 0 ))
r=$(ratio "$cp99" "${sp99:-0}")
row "ssh $PAR parallel, p50/p99" "$cp50/$cp99 ms" "OpenSSH ${sp50:-n/a}/${sp99:-n/a} ms" "p99 ${r}x" \
    "all connect" "$( [ "$lost" = 0 ] && echo PASS || echo "FALL SHORT ($lost lost)")"
cc=$(field "$out" cinettyd_cpu_ms); sc=$(field "$out" sshd_cpu_ms)
r=$(ratio "$cc" "${sc:-0}")
row "ssh server CPU per connection" "$cc ms (+PG $(field "$out" pg_cpu_ms))" "OpenSSH+cat ${sc:-n/a} ms" \
    "${r}x" "<= 0.5x" "$(verdict "$r" 0.5)"

# ---- 4: idle sessions and their memory ----------------------------------
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=$(timeout 400 python3 - "$dir" "$BUILD/bench/bench-ssh-idle" "$CPORT" "$SPORT" \
    "$(id -un)" "$IDLE" "$IDLE_REF" "$CPID" "${SPID:-0}" "$PGPID" <<'PY'
import os, subprocess, sys, threading, time
d, idle_bin, cport, sport, me = sys.argv[1:6]
idle, idle_ref = int(sys.argv[6]), int(sys.argv[7])
cpid, spid, pgpid = int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
sys.path.insert(0, d)
import proc
servers = [('cinettyd', 'bench0001', cport, 0, cpid, idle, 1)]
if spid:
    servers.append(('sshd', me, sport, 1, spid, idle_ref, 0))
out = []
for name, user, port, poke, lpid, n, keep in servers:
    peak = [0]
    done = threading.Event()
    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], proc.backends(pgpid))
            time.sleep(0.2)
    th = threading.Thread(target=watch); th.start()
    p = subprocess.Popen([idle_bin, port, user, d + '/id', str(n), '8', str(poke)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=open(d + '/idle-%s.log' % name, 'w'))
    line = p.stdout.readline().decode()
    ready = int(line.split('ready=')[1].split()[0]) if 'ready=' in line else 0
    secs = line.split('seconds=')[1].strip() if 'seconds=' in line else '-'
    time.sleep(2)                      # settled: the apps drew their screens
    pids = proc.tree(lpid)
    kb = proc.private_kb(pids)
    time.sleep(1)
    done.set(); th.join()
    p.stdin.close(); p.wait()
    proc.drained(lpid, 60, keep)
    if ready == 0:
        print('error=no %s session opened (see %s/idle-%s.log)' % (name, d, name))
        sys.exit(1)
    out.append('%s_ready=%d %s_wanted=%d %s_procs=%d %s_kib=%.0f %s_open_s=%s'
               % (name, ready, name, n, name, len(pids), name, kb / ready, name, secs))
    if name == 'cinettyd':
        out.append('pg_peak=%d' % peak[0])
print(' '.join(out))
PY
) || { echo "bench: ssh: $out" >&2; exit 2; }
echo "ssh idle sessions: $out"
cr=$(field "$out" cinettyd_ready); ck=$(field "$out" cinettyd_kib)
sr=$(field "$out" sshd_ready); sk=$(field "$out" sshd_kib)
cm=$(awk -v k="$ck" 'BEGIN { printf "%.2f", k / 1024 }')
sm=$( [ -n "$sk" ] && awk -v k="$sk" 'BEGIN { printf "%.2f", k / 1024 }')
row "ssh idle session, private memory" "$cm MiB ($cr sessions)" \
    "OpenSSH+cat ${sm:-n/a} MiB (${sr:-0})" "$(ratio "$ck" "${sk:-0}")x" "<= 1.5 MiB" \
    "$(awk -v m="$cm" -v r="$cr" -v w="$IDLE" 'BEGIN { print (m + 0 <= 1.5 && r == w) ? "PASS" : "FALL SHORT" }')"
pk=$(field "$out" pg_peak)
row "ssh $IDLE idle sessions, PG backends" "peak $pk" "max_connections 100" "-" "< 100" \
    "$( [ "$cr" = "$IDLE" ] && [ "$pk" -lt 100 ] && echo PASS || echo 'FALL SHORT')"
