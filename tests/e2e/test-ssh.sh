#!/bin/sh
# test-ssh.sh - cinettyd end to end with the real OpenSSH client: guest,
# password and public-key sign-in, what is refused (exec, no pty, sftp,
# forwarding), max_auth_tries, the login grace time, garbage and bursts,
# resize, ASCII for LANG=C and TERM=vt100, SIGHUP reload and the SIGTERM
# drain. Interactive sessions run inside a private tmux server. Everything
# it starts is stopped on exit, whatever happens.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SSH_TEST=ssh-e2e
. tests/e2e/ssh-lib.sh
FWDPID=
on_cleanup() { [ -n "$FWDPID" ] && kill "$FWDPID" 2>/dev/null; }

# ssh USER@127.0.0.1 with the options every check uses, then $@.
sshc() { ssh $SSHOPTS -p "$PORT" "$@"; }

# Children of the daemon (connection children) and their children (apps).
descendants() {
	for p in $(pgrep -P "$1"); do
		echo "$p"
		descendants "$p"
	done
}

# ------------------------------------------------------------------
# Set-up: config, accounts, a key pair.

cat >"$CONF" <<EOF
host_key = $TMP/hostkey
login_grace_seconds = 10
idle_minutes = 1
worker = yes
shutdown_grace_seconds = 3
EOF

if out=$("$BUILD/cinettyd" -t -f "$CONF" 2>&1) &&
    [ ! -e "$TMP/hostkey" ]; then
	ok "cinettyd -t accepts the configuration without creating the key"
else
	nok "cinettyd -t accepts the configuration (got: $out)"
fi
out=$("$BUILD/cinettyd" -t -f "$CONF" -o max_sessions=0 2>&1)
case "$?:$out" in
1:*max_sessions*) ok "cinettyd -t refuses max_sessions=0 naming the key" ;;
*) nok "cinettyd -t refuses max_sessions=0 (got: $out)" ;;
esac

USER1=e2euser
PASS1=correct-horse-e2e
if "$BUILD/cinetty" user --help >/dev/null 2>&1; then
	printf '%s\n' "$PASS1" | "$BUILD/cinetty" user add --password-stdin \
	    "$USER1" "$USER1@example.org" "E2E User" >/dev/null
else
	# Before `cinetty user` exists: the demo accounts.
	"$BUILD/cinetty" -o statement_timeout_ms=0 seed >/dev/null
	USER1=carol
	PASS1=cinetty-demo
fi
ssh-keygen -q -t ed25519 -N '' -C e2e-key -f "$TMP/id_user" </dev/null
ssh-keygen -q -t ed25519 -N '' -C other-key -f "$TMP/id_other" </dev/null
if "$BUILD/cinetty" user key add "$USER1" "$TMP/id_user.pub" >/dev/null 2>&1; then
	:
else
	set -- $(cat "$TMP/id_user.pub")
	fp=$(ssh-keygen -lf "$TMP/id_user.pub" | awk '{print $2}')
	psql -qX -v ON_ERROR_STOP=1 -c "INSERT INTO ssh_keys (account_id,
	    key_type, key_base64, fingerprint, comment) SELECT id, '$1', '$2',
	    '$fp', 'e2e' FROM accounts WHERE username = '$USER1'" >/dev/null
fi

start_daemon || exit 1
# worker = yes: one job worker child, restarted when it dies.
if wait_log "event=worker_started" 10; then
	wpid=$(sed -n 's/.*event=worker_started pid=\([0-9]*\).*/\1/p' "$LOG" |
	    tail -1)
	kill -KILL "$wpid"
	check "the embedded worker is restarted after it is killed" \
	    wait_log_count "event=worker_started" 2 5
else
	nok "worker = yes starts an embedded worker"
fi
mode=$(stat -c %a "$TMP/hostkey" 2>/dev/null)
check "the missing host key is created with mode 600" [ "$mode" = 600 ]
check "the host key's fingerprint is logged" \
    grep -q "event=hostkey .*fingerprint=SHA256:" "$LOG"

tm -f /dev/null new-session -d -s main -x 100 -y 30
tm set-option -g remain-on-exit on >/dev/null
# A session left alone while the rest runs: idle_minutes = 1.
tm new-session -d -s idle -x 100 -y 30 \
    "ssh $SSHOPTS -p $PORT -t guest@127.0.0.1"
IDLE_START=$(date +%s)

# ------------------------------------------------------------------
# Who gets in.

pane_run "ssh $SSHOPTS -p $PORT -t guest@127.0.0.1"
if pane_wait "Welcome" 15; then
	ok "guest gets the welcome screen"
else
	nok "guest gets the welcome screen; the pane shows:"
	pane_text | sed 's/^/# /'
fi

# Resize the window: the app re-lays out its header to the new width, and
# below its minimum size it says so with the size it got.
header_width() { pane_text | head -1 | sed 's/ *$//' | awk '{print length}'; }
w100=$(header_width)
tm resize-window -t main -x 90 -y 26
for _ in $(seq 50); do
	w=$(header_width)
	[ "$w" = $((w100 - 10)) ] && break
	sleep 0.1
done
check "resizing the window resizes the app (header $w100 -> $w wide at 100 -> 90 columns)" \
    [ "$w" = $((w100 - 10)) ]
tm resize-window -t main -x 60 -y 20
check "a window too small for the app is told so with its new size" \
    pane_wait "60x20" 5
tm resize-window -t main -x 100 -y 30
pane_wait "Welcome" 5
tm send-keys -t main C-c
pane_wait_dead 10
check "the guest session logs user, method, TERM, size and bytes" \
    wait_log "event=session .*user=guest method=none term=[a-z].* size=100x30 .*bytes_out=[1-9]"

pane_run "sshpass -p $PASS1 ssh $SSHOPTS -p $PORT -o PubkeyAuthentication=no -t $USER1@127.0.0.1"
if pane_wait "cinetty" 15 &&
    wait_log "event=auth .*user=$USER1 method=keyboard-interactive"; then
	ok "password sign-in (keyboard-interactive, through sshpass) opens the app"
else
	nok "password sign-in (keyboard-interactive) opens the app"
	pane_text | sed 's/^/# /'
fi
tm send-keys -t main C-c

out=$(sshpass -p "$PASS1" ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no \
    -o KbdInteractiveAuthentication=no "$USER1@127.0.0.1" true 2>&1)
if wait_log "event=auth .*user=$USER1 method=password" 5; then
	ok "password sign-in with the password method"
else
	nok "password sign-in with the password method (got: $out)"
fi

out=$(sshpass -p wrong-password ssh $SSHOPTS -p "$PORT" \
    -o PubkeyAuthentication=no "$USER1@127.0.0.1" true 2>&1)
check "a wrong password is refused" [ $? -ne 0 ]
out=$(sshpass -p "$PASS1" ssh $SSHOPTS -p "$PORT" -o PubkeyAuthentication=no \
    nosuchuser@127.0.0.1 true 2>&1)
check "an unknown user is refused like a wrong password" \
    wait_log "event=auth_failed .*user=\"nosuchuser\" method=keyboard-interactive reason=\"forbidden\""

pane_run "ssh $SSHOPTS -p $PORT -i $TMP/id_user -o IdentitiesOnly=yes -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -t $USER1@127.0.0.1"
if pane_wait "cinetty" 15 &&
    wait_log "event=auth .*user=$USER1 method=publickey"; then
	ok "public-key sign-in with ssh -i opens the app"
else
	nok "public-key sign-in with ssh -i opens the app"
	pane_text | sed 's/^/# /'
fi
tm send-keys -t main C-c

out=$(ssh $SSHOPTS -p "$PORT" -i "$TMP/id_other" -o IdentitiesOnly=yes \
    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
    "$USER1@127.0.0.1" true 2>&1)
case "$?:$out" in
255:*"Permission denied"*) ok "an unregistered key is refused" ;;
*) nok "an unregistered key is refused (got: $out)" ;;
esac

# Many short connections in a row: every one is answered (a request that
# arrives with the last key-exchange packet must not be lost).
start=$(date +%s%N)
bad=0
for _ in $(seq 30); do
	out=$(timeout 15 ssh $SSHOPTS -p "$PORT" guest@127.0.0.1 ls 2>&1)
	[ $? = 1 ] || bad=$((bad + 1))
done
ms=$((($(date +%s%N) - start) / 1000000))
check "30 connections in a row are all answered ($bad failed; $((ms / 30)) ms each, client included)" \
    [ $bad = 0 ]

# ------------------------------------------------------------------
# What is refused.

out=$(sshc guest@127.0.0.1 ls 2>&1)
case "$?:$out" in
1:*"interactive"*"ssh -t"*) ok "ssh host ls gets a message and exit status 1" ;;
*) nok "ssh host ls gets a message and exit status 1 (got $?: $out)" ;;
esac
out=$(sshc -T guest@127.0.0.1 </dev/null 2>&1)
case "$?:$out" in
1:*"needs a terminal"*) ok "a shell without a pty gets a message and exit status 1" ;;
*) nok "a shell without a pty gets a message (got: $out)" ;;
esac
out=$(timeout 20 sftp -b /dev/null $SSHOPTS -P "$PORT" guest@127.0.0.1 2>&1)
case "$?:$out" in
0:*) nok "sftp is refused (it connected)" ;;
*"subsystem request failed"*) ok "sftp is refused" ;;
*) nok "sftp is refused with a subsystem failure (got: $out)" ;;
esac
out=$(timeout 20 ssh $SSHOPTS -p "$PORT" -N -o ExitOnForwardFailure=yes \
    -R 127.0.0.1:0:127.0.0.1:9 guest@127.0.0.1 2>&1)
case "$?:$out" in
255:*"forwarding failed"*) ok "ssh -R is refused" ;;
*) nok "ssh -R is refused (got: $out)" ;;
esac
LPORT=$((PORT + 1))
ssh $SSHBASE -p "$PORT" -N -L "127.0.0.1:$LPORT:127.0.0.1:$PORT" \
    guest@127.0.0.1 2>"$TMP/fwd.err" &
FWDPID=$!
for _ in $(seq 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$LPORT") 2>/dev/null && break
	sleep 0.1
done
for _ in $(seq 50); do
	grep -q "prohibited" "$TMP/fwd.err" && break
	sleep 0.1
done
kill "$FWDPID" 2>/dev/null
wait "$FWDPID" 2>/dev/null
FWDPID=
check "ssh -L is refused (administratively prohibited)" \
    grep -q "prohibited" "$TMP/fwd.err"

# ------------------------------------------------------------------
# max_auth_tries: the client would try 20 times; the server ends at 6.

cat >"$TMP/askpass" <<EOF
#!/bin/sh
echo x >>"$TMP/asked"
echo not-the-password
EOF
chmod +x "$TMP/askpass"
: >"$TMP/asked"
out=$(SSH_ASKPASS="$TMP/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
    timeout 60 ssh $SSHBASE -p "$PORT" -o PubkeyAuthentication=no \
    -o NumberOfPasswordPrompts=20 "$USER1@127.0.0.1" true </dev/null 2>&1)
asked=$(wc -l <"$TMP/asked")
case "$asked:$out" in
6:*"Too many authentication failures"*)
	ok "six wrong passwords end the connection" ;;
*) nok "six wrong passwords end the connection (asked $asked times: $out)" ;;
esac

# Then even the right password is refused for a while, with the reason.
out=$(sshpass -p "$PASS1" ssh $SSHBASE -p "$PORT" -o PubkeyAuthentication=no \
    "$USER1@127.0.0.1" true 2>&1)
rc=$?
case "$rc:$out" in
0:*) nok "the right password is throttled after six failures (it got in)" ;;
*"Too many failed sign-ins"*)
	ok "after them the right password is throttled, and the client is told why" ;;
*) nok "the right password is throttled after six failures (got: $out)" ;;
esac

# ------------------------------------------------------------------
# Garbage, a connect that closes at once, a burst: still serving.

head -c 1024 /dev/urandom >"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
burst=""
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && sleep 2) 2>/dev/null &
	burst="$burst $!"
done
wait_log "event=refused addr=127.0.0.1 .*reason=max_sessions_per_address" 10
wait $burst
check "a burst over the per-address limit is refused and logged" \
    grep -q "event=refused .*reason=max_sessions_per_address" "$LOG"
# Wait for the burst's children to go before the next sessions.
for _ in $(seq 100); do
	[ -z "$(pgrep -P "$DPID")" ] && break
	sleep 0.1
done
out=$(sshc guest@127.0.0.1 ls 2>&1)
rc=$?
if kill -0 "$DPID" 2>/dev/null && [ $rc = 1 ]; then
	ok "after 1 KiB of random bytes, a closed connect and a 100-connection burst it still serves"
else
	nok "still serving after garbage and a burst (rc=$rc: $out)"
fi

# ------------------------------------------------------------------
# LANG=C and TERM=vt100: the app draws ASCII.

ascii_session() {	# ascii_session "ENV..." DESCRIPTION
	n=$(grep -c "event=term_open" "$LOG")
	pane_run "env $1 ssh $SSHOPTS -o SendEnv=LANG -p $PORT -t guest@127.0.0.1"
	if pane_wait "Welcome" 15 && wait_log "event=term_open" 5; then
		line=$(grep "event=term_open" "$LOG" | tail -n +$((n + 1)) | tail -1)
		text=$(pane_text)
		if [ -n "$line" ] && echo "$line" | grep -q "utf8=0" &&
		    ! printf '%s' "$text" | LC_ALL=C grep -q '[^ -~]'; then
			ok "$2"
		else
			nok "$2 (app said: $line)"
		fi
	else
		nok "$2 (no welcome screen)"
	fi
	tm send-keys -t main C-c
	pane_wait_dead 10
}
ascii_session "LANG=C" "a LANG=C client gets ASCII"
ascii_session "-u LANG -u LC_ALL -u LC_CTYPE TERM=vt100" \
    "a TERM=vt100 client (no LANG sent) gets ASCII"

# ------------------------------------------------------------------
# SIGHUP: new connections see the new configuration (a short grace).

sed -i 's/^login_grace_seconds = .*/login_grace_seconds = 2/' "$CONF"
kill -HUP "$DPID"
wait_log "event=reload" 5
start=$(date +%s%N)
(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && timeout 15 cat <&3 >/dev/null) 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$ms" -ge 1500 ] && [ "$ms" -le 6000 ]; then
	ok "after SIGHUP, a connection that sends nothing is dropped after login_grace_seconds=2 (${ms} ms)"
else
	nok "a silent connection is dropped after login_grace_seconds=2 (${ms} ms)"
fi

# ------------------------------------------------------------------
# The idle session: warned, then closed after idle_minutes with a message.

idle_text() { tm capture-pane -p -t idle; }
for _ in $(seq 900); do
	[ "$(tm display -p -t idle '#{pane_dead}')" = 1 ] &&
	    break
	sleep 0.1
done
idle_s=$(($(date +%s) - IDLE_START))
if grep -q "event=idle_warning" "$LOG" &&
    grep -q "event=session .*end=idle" "$LOG" &&
    idle_text | grep -q "closed after being idle" &&
    [ "$idle_s" -ge 55 ]; then
	ok "an idle session is warned, then closed after idle_minutes=1 (${idle_s} s)"
else
	nok "an idle session is warned, then closed after idle_minutes=1 (${idle_s} s)"
	idle_text | sed 's/^/# /'
fi

# ------------------------------------------------------------------
# SIGTERM with a session open: notice, exit within the grace, no child.

pane_run "ssh $SSHOPTS -p $PORT -t guest@127.0.0.1"
if pane_wait "Welcome" 15; then
	kids=$(descendants "$DPID")
	start=$(date +%s%N)
	kill -TERM "$DPID"
	if pane_wait "shutting down" 5; then
		ok "SIGTERM shows the open session a shutting-down notice"
	else
		nok "SIGTERM shows the open session a shutting-down notice"
		pane_text | sed 's/^/# /'
	fi
	for _ in $(seq 150); do
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.1
	done
	ms=$((($(date +%s%N) - start) / 1000000))
	if ! kill -0 "$DPID" 2>/dev/null && [ "$ms" -le 8000 ]; then
		ok "cinettyd exits within the grace time (3 s + 5 s slack: ${ms} ms)"
	else
		nok "cinettyd exits within the grace time (${ms} ms)"
	fi
	wait "$DPID" 2>/dev/null
	left=""
	for p in $kids; do
		kill -0 "$p" 2>/dev/null && left="$left $p"
	done
	check "no session or app process is left behind (left:${left:-none})" \
	    [ -z "$left" ]
	pane_wait_dead 5
	check "the client sees the goodbye and its session ends" pane_dead
else
	nok "a session was open for the SIGTERM check"
	pane_text | sed 's/^/# /'
fi

check_no_sanitizer_report
