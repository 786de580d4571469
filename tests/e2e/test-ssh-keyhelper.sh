#!/bin/sh
# test-ssh-keyhelper.sh - cinettyd's key helper (tui/sshd-keys.c) with the
# real OpenSSH client: key sign-ins are answered by the one helper child on
# its own PostgreSQL connection (no connection per SSH connection), the app
# of a key session holds none at its first screen, a refused key is still
# refused, a killed helper is restarted, and a stopped one makes sign-ins
# fall back to core. Everything it starts is stopped on exit.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

BUILD=${CINETTY_BUILD:-build}
TMP=${CINETTY_TEST_TMP:-/tmp}/ssh-keys.$$
mkdir -p "$TMP"
LOG=$TMP/cinettyd.log
CONF=$TMP/cinetty.conf
TMUX_SOCK=cinetty-keys-$$
DPID=
PORT=
HPID=

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
check() {	# check DESCRIPTION COMMAND...: ok if the command succeeds
	desc=$1
	shift
	if "$@"; then ok "$desc"; else nok "$desc"; fi
}

cleanup() {
	[ -n "$HPID" ] && kill -CONT "$HPID" 2>/dev/null
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_SOCK"
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		kill -TERM "$DPID" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$DPID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SSHOPTS="-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 -o LogLevel=error -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o IdentitiesOnly=yes"

start_daemon() {
	for _ in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 30000))
		: >"$LOG"
		"$BUILD/cinettyd" -d -f "$CONF" -p "$PORT" -o log_level=info \
		    >>"$LOG" 2>&1 &
		DPID=$!
		for _ in $(seq 100); do
			grep -q "event=ready" "$LOG" && return 0
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	done
	echo "# cinettyd did not start:"
	sed 's/^/# /' "$LOG"
	return 1
}

wait_log() {	# wait_log PATTERN [SECONDS]
	for _ in $(seq $((${2:-10} * 10))); do
		grep -q -- "$1" "$LOG" && return 0
		sleep 0.1
	done
	return 1
}
pane_text() { tmux -L "$TMUX_SOCK" capture-pane -p -t main; }
pane_wait() {	# pane_wait TEXT [SECONDS]
	for _ in $(seq $((${2:-10} * 10))); do
		pane_text | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# PostgreSQL connections to this test's database, other than psql's own.
backends() {
	psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE datname =
	    current_database() AND pid <> pg_backend_pid()"
}
# The helper's pid: the last one the log announced.
helper_pid() {
	sed -n 's/.*event=key_helper_started pid=\([0-9]*\).*/\1/p' "$LOG" | tail -1
}
# ssh with KEY as USER running `true`: a signed-in exec is refused with
# exit status 1 after the sign-in, 255 when the sign-in fails.
key_exec() { timeout 30 ssh $SSHOPTS -p "$PORT" -i "$1" "$2@127.0.0.1" true 2>&1; }

cat >"$CONF" <<EOF
host_key = $TMP/hostkey
login_grace_seconds = 30
db_idle_seconds = 600
EOF
USER1=keyuser
printf '%s\n' correct-horse-keys | "$BUILD/cinetty" user add --password-stdin \
    "$USER1" "$USER1@example.org" "Key User" >/dev/null
ssh-keygen -q -t ed25519 -N '' -C keys-e2e -f "$TMP/id_user" </dev/null
ssh-keygen -q -t ed25519 -N '' -C other-key -f "$TMP/id_other" </dev/null
"$BUILD/cinetty" user key add "$USER1" "$TMP/id_user.pub" >/dev/null

start_daemon || exit 1
check "the key helper starts with the daemon" wait_log "event=key_helper_started" 10
before=$(backends)

tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s main -x 100 -y 30 \
    "ssh $SSHOPTS -p $PORT -i $TMP/id_user -t $USER1@127.0.0.1"
if pane_wait "cinetty" 15 && wait_log "event=auth .*user=$USER1 method=publickey"; then
	ok "a key sign-in opens the app"
else
	nok "a key sign-in opens the app; the pane shows:"
	pane_text | sed 's/^/# /'
fi
sleep 0.5
n=$(backends)
check "with the key session at its first screen PostgreSQL has $n connection(s): the helper's only (was $before)" \
    [ "$n" -le 1 ]

bad=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	key_exec "$TMP/id_user" "$USER1" >/dev/null
	[ $? = 1 ] || bad=$((bad + 1))
done
n=$(backends)
check "10 key sign-ins in a row all succeed ($bad failed)" [ "$bad" = 0 ]
check "and leave PostgreSQL with $n connection(s), the helper's one" [ "$n" -le 1 ]

out=$(key_exec "$TMP/id_other" "$USER1")
case "$?:$out" in
255:*"Permission denied"*) ok "an unregistered key is refused" ;;
*) nok "an unregistered key is refused (got: $out)" ;;
esac
out=$(key_exec "$TMP/id_user" nosuchuser)
case "$?:$out" in
255:*"Permission denied"*) ok "a key offered for an unknown user is refused" ;;
*) nok "a key offered for an unknown user is refused (got: $out)" ;;
esac

# Stopped (not gone): the request waits for the helper's answer, then the
# connection asks core itself.
HPID=$(helper_pid)
kill -STOP "$HPID"
start=$(date +%s)
out=$(key_exec "$TMP/id_user" "$USER1")
rc=$?
kill -CONT "$HPID"
HPID=
check "with the helper stopped a key sign-in still works, through core ($(($(date +%s) - start)) s)" \
    [ "$rc" = 1 ]
check "and the fallback is logged" wait_log "event=key_helper_failed" 2

old=$(helper_pid)
kill -KILL "$old"
n=0
for _ in $(seq 50); do
	n=$(grep -c "event=key_helper_started" "$LOG")
	[ "$n" -ge 2 ] && break
	sleep 0.1
done
check "a killed helper is started again" [ "$n" -ge 2 ]
out=$(key_exec "$TMP/id_user" "$USER1")
rc=$?
check "and key sign-ins go on (status $rc)" [ "$rc" = 1 ]
