#!/bin/sh
# test-security.sh - attacks on sign-in, measured, and what must never
# happen:
#  - password brute force over SSH from one address, and against one
#    account from many addresses (127.0.0.x): the attempts per minute that
#    reach a password check stay within the configured throttle;
#  - account enumeration: an unknown user and a wrong password give the
#    client the same answer in the same time (within noise);
#  - started as root with `user` set, the daemon and every session run as
#    that user, and the host key it creates is 0600 (skipped unless root);
#  - no password, card number or password hash in the logs of the daemon,
#    the app and the worker after a whole customer journey.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SSH_TEST=security
. tests/e2e/ssh-lib.sh
chmod 755 "$TMP"

# Every log of the run, for the secrets check at the end.
ALL_LOGS=$TMP/all-logs
: >"$ALL_LOGS"
keep_log() { cat "$@" >>"$ALL_LOGS" 2>/dev/null; }

PASS=Tr0ub4dor-$$-secret
USER1=victim$$
printf '%s\n' "$PASS" | "$BUILD/cinetty" -o log_level=debug user add \
    --password-stdin "$USER1" "$USER1@example.org" "Vic Tim" \
    >"$TMP/useradd.out" 2>&1 || { nok "cinetty user add"; cat "$TMP/useradd.out"; exit 1; }
keep_log "$TMP/useradd.out"

# An askpass that answers every prompt with a wrong password and counts.
cat >"$TMP/askpass" <<EOF
#!/bin/sh
echo x >>"$TMP/asked.\$PPID"
echo "wrong-\$\$-password"
EOF
chmod +x "$TMP/askpass"

# attack SECONDS PARALLEL BIND...: PARALLEL loops of ssh connections, each
# trying six wrong passwords for $USER1, for SECONDS; a loop binds to the
# next address of BIND (round robin). Prints the passwords tried.
attack() {
	secs=$1 par=$2
	shift 2
	rm -f "$TMP"/asked.*
	end=$(($(date +%s) + secs))
	pids=""
	for i in $(seq "$par"); do
		(
			n=$((i * 3))	# loops start on different addresses
			while [ "$(date +%s)" -lt "$end" ]; do
				eval "b=\${$((n % $# + 1))}"
				n=$((n + 1))
				SSH_ASKPASS="$TMP/askpass" SSH_ASKPASS_REQUIRE=force \
				    DISPLAY=:0 timeout 20 ssh $SSHOPTS -b "$b" \
				    -p "$PORT" -o PubkeyAuthentication=no \
				    -o NumberOfPasswordPrompts=6 \
				    "$USER1@127.0.0.1" true </dev/null >/dev/null 2>&1
			done
		) &
		pids="$pids $!"
	done
	wait $pids
	cat "$TMP"/asked.* 2>/dev/null | wc -l
}

# The most password checks the throttle lets through in SECONDS for one
# counter: max_failures, then as many again after each lockout, which
# doubles (LOCK, 2 LOCK, 4 LOCK ...). An attempt is counted when it is let
# through, before its password is checked, so parallel clients (PAR) get no
# more than one client would.
allowed() {
	secs=$1 max=$2 lock=$3
	t=0 n=1 d=$lock
	while [ $((t + d)) -le "$secs" ]; do
		t=$((t + d))
		n=$((n + 1))
		d=$((d * 2))
	done
	echo $((n * max))
}

# ------------------------------------------------------------------
# Brute force.

MAXF=5 LOCK=5 SECS=30
cat >"$CONF" <<EOF
host_key = $TMP/hostkey
login_max_failures = $MAXF
login_window_seconds = 60
login_lockout_seconds = $LOCK
max_sessions_per_address = 50
max_startups = 50
EOF
start_daemon || exit 1
if ! ip -4 addr show lo 2>/dev/null | grep -q "127.0.0.1/8" &&
    ! ping -c1 -W1 127.0.0.5 >/dev/null 2>&1; then
	echo "# 127.0.0.x beyond 127.0.0.1 may not be routable here"
fi

tried=$(attack $SECS 4 127.0.0.1)
checked=$(grep -c "event=signin_failed" "$LOG")
throttled=$(grep -c "event=signin_throttled" "$LOG")
limit=$(allowed $SECS $MAXF $LOCK)
echo "# one address, ${SECS} s, 4 parallel clients: $tried passwords tried, $checked checked ($((checked * 60 / SECS))/min), $throttled throttled; throttle allows at most $limit"
if [ "$tried" -gt "$limit" ] && [ "$checked" -le "$limit" ] &&
    [ "$checked" -ge 1 ]; then
	ok "brute force from one address: $checked of $tried passwords checked in ${SECS} s ($((checked * 60 / SECS))/min, limit $limit)"
else
	nok "brute force from one address: $checked of $tried passwords checked in ${SECS} s (limit $limit)"
fi
# The right password is refused while the lock lasts (sshpass gives up
# silently when asked again; the daemon must not have let it in).
out=$(sshpass -p "$PASS" ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no \
    "$USER1@127.0.0.1" true 2>&1)
rc=$?
if [ $rc != 0 ] && ! grep -q "event=auth .*user=$USER1 " "$LOG" &&
    grep -q "event=signin_throttled .*login=$USER1" "$LOG"; then
	ok "during the lockout even the right password is refused (exit $rc)"
else
	nok "during the lockout the right password is refused (exit $rc: $out)"
fi
keep_log "$LOG"
stop_daemon

# Many addresses, one account: the account's counter holds.
start_daemon || exit 1
addrs=""
for i in $(seq 2 21); do addrs="$addrs 127.0.0.$i"; done
tried=$(attack $SECS 8 $addrs)
limit=$(allowed $SECS $MAXF $LOCK)
checked=$(grep -c "event=signin_failed" "$LOG")
naddr=$(grep -o "event=auth_failed addr=[0-9.]*" "$LOG" | sort -u | wc -l)
echo "# 20 addresses, ${SECS} s, 8 parallel clients: $tried passwords tried from $naddr addresses, $checked checked ($((checked * 60 / SECS))/min); limit $limit"
if [ "$tried" -gt "$limit" ] && [ "$checked" -le "$limit" ] &&
    [ "$checked" -ge 1 ] && [ "$naddr" -ge 4 ]; then
	ok "brute force on one account from 20 addresses: $checked of $tried passwords checked in ${SECS} s ($((checked * 60 / SECS))/min, limit $limit)"
else
	nok "brute force on one account from 20 addresses: $checked of $tried checked (limit $limit)"
fi
keep_log "$LOG"
stop_daemon

# ------------------------------------------------------------------
# Enumeration: unknown user vs wrong password, with production argon2
# costs (the tests' fast hashing would hide a difference), from an address
# the brute force above did not lock.

ENUM_USER=known$$
printf '%s\n' "$PASS" | "$BUILD/cinetty" -o argon2_m_kib=19456 \
    -o argon2_t_cost=2 user add --password-stdin "$ENUM_USER" \
    "$ENUM_USER@example.org" "Known User" >/dev/null 2>&1
cat >"$CONF" <<EOF
host_key = $TMP/hostkey
login_max_failures = 1000
argon2_m_kib = 19456
argon2_t_cost = 2
EOF
start_daemon -o argon2_m_kib=19456 -o argon2_t_cost=2 || exit 1
# try USER: milliseconds of one wrong-password sign-in; its output in
# $TMP/out.USER
try() {
	s=$(date +%s%N)
	SSH_ASKPASS="$TMP/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	    ssh $SSHOPTS -b 127.0.0.99 -p "$PORT" -o PubkeyAuthentication=no \
	    -o NumberOfPasswordPrompts=1 "$1@127.0.0.1" true </dev/null 2>&1 |
	    sed "s/$1@127.0.0.1/USER/g" >"$TMP/out.$2"
	echo $((($(date +%s%N) - s) / 1000000))
}
: >"$TMP/t.known"
: >"$TMP/t.unknown"
for i in $(seq 12); do
	try "$ENUM_USER" known >>"$TMP/t.known"
	try "nobody$$x$i" unknown >>"$TMP/t.unknown"
done
median() { sort -n "$1" | sed -n "$(( ($(wc -l <"$1") + 1) / 2 ))p"; }
mk=$(median "$TMP/t.known")
mu=$(median "$TMP/t.unknown")
diff=$((mk > mu ? mk - mu : mu - mk))
echo "# enumeration over SSH: median $mk ms (wrong password) vs $mu ms (unknown user), 12 tries each"
if [ "$diff" -le $(((mk + mu) / 2 / 5 + 30)) ]; then
	ok "an unknown user and a wrong password take the same time over SSH ($mk vs $mu ms)"
else
	nok "an unknown user and a wrong password take the same time over SSH ($mk vs $mu ms)"
fi
if cmp -s "$TMP/out.known" "$TMP/out.unknown"; then
	ok "an unknown user and a wrong password get the same answer ($(head -1 "$TMP/out.known"))"
else
	nok "an unknown user and a wrong password get the same answer"
	sed 's/^/# known: /' "$TMP/out.known"
	sed 's/^/# unknown: /' "$TMP/out.unknown"
fi
r1=$(grep "event=auth_failed .*user=\"$ENUM_USER\"" "$LOG" | tail -1 |
    sed 's/.*\(reason=.*\)/\1/')
r2=$(grep "event=auth_failed .*user=\"nobody$$" "$LOG" | tail -1 |
    sed 's/.*\(reason=.*\)/\1/')
if [ -n "$r1" ] && [ "$r1" = "$r2" ]; then
	ok "the daemon logs both refusals alike ($r1)"
else
	nok "the daemon logs both refusals alike ('$r1' vs '$r2')"
fi
keep_log "$LOG"
stop_daemon

# ------------------------------------------------------------------
# Privileges: as root with user = nobody.

if [ "$(id -u)" != 0 ]; then
	ok "# SKIP privilege drop: not running as root (CI runs this as root)"
elif ! id nobody >/dev/null 2>&1; then
	ok "# SKIP privilege drop: no user nobody"
else
	rm -f "$TMP/hostkey.root"
	cat >"$CONF" <<EOF
host_key = $TMP/hostkey.root
user = nobody
EOF
	start_daemon || exit 1
	u=$(ps -o user= -p "$DPID" | tr -d ' ')
	mode=$(stat -c '%a %U' "$TMP/hostkey.root")
	if [ "$u" = nobody ] && grep -q "event=user user=nobody" "$LOG"; then
		ok "started as root with user = nobody, the daemon runs as nobody"
	else
		nok "the daemon drops root for nobody (runs as $u)"
	fi
	if [ "$mode" = "600 root" ]; then
		ok "the host key it created is 0600, owned by root ($mode)"
	else
		nok "the host key it created is 0600 (got $mode)"
	fi
	# A session and its app run as nobody too, and cannot regain root.
	sshpass -p "$PASS" ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no \
	    -tt "$USER1@127.0.0.1" >/dev/null 2>&1 </dev/null &
	spid=$!
	users=""
	for _ in $(seq 50); do
		kids=$(pgrep -P "$DPID")
		[ -n "$kids" ] && users=$(ps -o user= -p "$(echo $kids |
		    tr ' ' ',')" | sort -u | tr -d ' ')
		[ -n "$users" ] && break
		sleep 0.1
	done
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	if [ "$users" = nobody ]; then
		ok "connection processes run as nobody"
	else
		nok "connection processes run as nobody (got: ${users:-none})"
	fi
	keep_log "$LOG"
	stop_daemon
fi

# ------------------------------------------------------------------
# No program can be started from an app served over SSH: its process has
# no_new_privs and the exec filter (tui/sandbox.c; test-sandbox checks
# that exec then fails), and it has no child process.

cat >"$CONF" <<EOF
host_key = $TMP/hostkey
EOF
start_daemon || exit 1
# As the guest (the brute force above may still have USER1 locked out).
ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no -tt guest@127.0.0.1 \
    >/dev/null 2>&1 </dev/null &
spid=$!
app=""
for _ in $(seq 100); do
	for k in $(pgrep -P "$DPID"); do
		[ "$(cat "/proc/$k/comm" 2>/dev/null)" = cinettyd-keys ] && continue
		app=$(pgrep -P "$k" | head -1)
		[ -n "$app" ] && break
	done
	[ -n "$app" ] && grep -q "^Seccomp:" "/proc/$app/status" 2>/dev/null && break
	sleep 0.1
done
sleep 0.5	# the filter goes on just before the app starts drawing
seccomp=$(awk '/^Seccomp:/ { print $2 }' "/proc/$app/status" 2>/dev/null)
nnp=$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$app/status" 2>/dev/null)
kids=$(pgrep -P "${app:-0}" | wc -l)
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
if [ -n "$app" ] && [ "$seccomp" = 2 ] && [ "$nnp" = 1 ] && [ "$kids" = 0 ]; then
	ok "an SSH session's app runs under the exec filter (Seccomp 2, NoNewPrivs 1) with no child"
else
	nok "an SSH session's app runs under the exec filter (app ${app:-not found}: Seccomp ${seccomp:-?}, NoNewPrivs ${nnp:-?}, $kids children)"
fi
keep_log "$LOG"
stop_daemon

# ------------------------------------------------------------------
# Secrets: a whole journey (sign-up, a declined and a good card, cancel)
# in the app with debug logs, the worker sending its mail, and SSH
# password sign-ins right and wrong. Then no log has a password, a card
# number or an argon2 hash.

"$BUILD/cinetty" -o statement_timeout_ms=0 seed >/dev/null 2>&1
JPASS="journey-$$-pass"
sed -e "s/correct horse battery/$JPASS/g" -e "s/^type yan/type yan$$/" \
    -e "s/yan@example.com/yan$$@example.com/" tests/tui/journey.keys \
    >"$TMP/journey.keys"
sed -i "s/Welcome, yan!/Welcome, yan$$!/" "$TMP/journey.keys"
if "$BUILD/cinetty" -o log_level=debug tui --size 100x30 \
    --script "$TMP/journey.keys" >"$TMP/journey.screen" 2>"$TMP/app.log"; then
	ok "the customer journey runs (sign-up, declined card, paid, canceled)"
else
	nok "the customer journey runs"
	grep -v "level=" "$TMP/app.log" | sed 's/^/# /'
fi
keep_log "$TMP/app.log"
mkdir -p "$TMP/mail"
timeout 8 "$BUILD/cinetty" -o log_level=debug \
    -o "mail_command=cat >>$TMP/mail/out" worker >"$TMP/worker.log" 2>&1
keep_log "$TMP/worker.log"
cat >"$CONF" <<EOF
host_key = $TMP/hostkey
EOF
start_daemon || exit 1
sshpass -p "$PASS" ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no \
    "$USER1@127.0.0.1" true >/dev/null 2>&1
sshpass -p "$PASS" ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no \
    -o KbdInteractiveAuthentication=no "$USER1@127.0.0.1" true >/dev/null 2>&1
sshpass -p "$JPASS-wrong" ssh $SSHOPTS -p "$PORT" \
    -o PubkeyAuthentication=no "yan$$@127.0.0.1" true >/dev/null 2>&1
keep_log "$LOG"
stop_daemon
lines=$(wc -l <"$ALL_LOGS")
found=""
for secret in "$PASS" "$JPASS" "4242424242424242" "4242 4242 4242 4242" \
    "4000 0000 0000 0002" "\$argon2"; do
	grep -qF -- "$secret" "$ALL_LOGS" && found="$found [$secret]"
done
if [ -z "$found" ] && [ "$lines" -gt 50 ]; then
	ok "no password, card number or hash in $lines log lines of daemon, app, worker and CLI"
else
	nok "secrets in the logs ($lines lines):$found"
	grep -nF -e "$PASS" -e "$JPASS" -e 4242 -e '$argon2' "$ALL_LOGS" |
	    head -5 | sed 's/^/# /'
fi
