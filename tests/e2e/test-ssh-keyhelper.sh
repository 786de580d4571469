#!/bin/sh
# test-ssh-keyhelper.sh - cinettyd's key helper (tui/sshd-keys.c) with the
# real OpenSSH client: key sign-ins are answered by the one helper child on
# its own PostgreSQL connection (no connection per SSH connection), the app
# of a key session holds none at its first screen, a refused key is still
# refused, a killed helper is restarted, and a stopped one makes sign-ins
# fall back to core. Everything it starts is stopped on exit.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SSH_TEST=ssh-keys
DAEMON_LOG_LEVEL=info
. tests/e2e/ssh-lib.sh
HPID=
on_cleanup() { [ -n "$HPID" ] && kill -CONT "$HPID" 2>/dev/null; }

SSHOPTS="$SSHOPTS -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o IdentitiesOnly=yes"

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

tm -f /dev/null new-session -d -s main -x 100 -y 30 \
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
check "a killed helper is started again" \
    wait_log_count "event=key_helper_started" 2 5
out=$(key_exec "$TMP/id_user" "$USER1")
rc=$?
check "and key sign-ins go on (status $rc)" [ "$rc" = 1 ]
