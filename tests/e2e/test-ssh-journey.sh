#!/bin/sh
# test-ssh-journey.sh - the customer's journey over SSH (cinettyd + the real
# OpenSSH client in tmux): Ann comes in as the guest, signs up, opens
# tomorrow's first showtime and holds a seat while Ben, another guest
# session, watches the same seat map and sees the hold live; Ann pays and
# gets her code. Later she signs in with her new password (sshpass), and
# with a registered key (ssh -i), and finds her booking in My tickets.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

SSH_TEST=ssh-journey
DAEMON_LOG_LEVEL=info
. tests/e2e/ssh-lib.sh

CINETTY_STATEMENT_TIMEOUT_MS=120000 "$BUILD/cinetty" seed >"$TMP/seed.out" 2>&1 ||
	{ nok "cinetty seed"; cat "$TMP/seed.out"; exit 1; }

echo "host_key = $TMP/hostkey" >"$CONF"
start_daemon -o statement_timeout_ms=120000 || { nok "cinettyd starts"; exit 1; }
SSH="ssh $SSHOPTS -p $PORT"

# This test's pane helpers name the tmux session (ann, ben, ...); its
# check replaces ssh-lib's.
wait_for() {	# wait_for SESSION TEXT [SECONDS]
	i=0
	while [ "$i" -lt "$(( ${3:-5} * 10 ))" ]; do
		tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check() {	# check SESSION TEXT DESCRIPTION [SECONDS]
	if wait_for "$1" "$2" "${4:-10}"; then ok "$3"; else
		nok "$3 (expected \"$2\")"; tm capture-pane -p -t "$1" | sed 's/^/# /'
	fi
}
keys() { s=$1; shift; tm send-keys -t "$s" "$@"; sleep 0.2; }
text() { tm send-keys -t "$1" -l "$2"; sleep 0.2; }

tm -f /dev/null new-session -d -s ann -x 100 -y 30 "$SSH -t guest@127.0.0.1; sleep 60"
tm new-session -d -s ben -x 100 -y 30 "$SSH -t guest@127.0.0.1; sleep 60"
check ann "Welcome to" "Ann reaches the welcome screen over SSH as the guest"
check ben "Welcome to" "Ben reaches it too, in a second SSH session"

keys ann u
check ann "Create an account" "u opens the sign-up form"
text ann ann; keys ann Tab
text ann ann@example.com; keys ann Tab
text ann "Ann Example"; keys ann Tab
text ann "correct horse battery"; keys ann Tab
text ann "correct horse battery"; keys ann Enter
check ann "Welcome, ann!" "signing up over SSH signs Ann in"

keys ann f; keys ann Right
check ann "Showing on" "Ann sees the films by date"
keys ann Enter
check ann "Held 0 · Sold 0" "Ann opens tomorrow's first showtime"
keys ben b; keys ben Right
check ben "Showing on" "Ben browses as a guest"
keys ben Enter
check ben "Held 0 · Sold 0" "Ben opens the same seat map"

keys ann b; keys ann 1
check ann "Your seats (1 of at most" "Ann picks the best seat"
t0=$(date +%s%N)
tm send-keys -t ann Enter
if wait_for ben "Held 1 · Sold 0" 5; then
	ok "Ben sees Ann's hold live over SSH ($(( ($(date +%s%N) - t0) / 1000000 )) ms after her Enter)"
else
	nok "Ben sees Ann's hold live over SSH"
	tm capture-pane -p -t ben | sed 's/^/# /'
fi
check ann "Seats held for you for" "the hold opens the checkout"
text ann "4242 4242 4242 4242"; keys ann Tab
text ann "12/30"; keys ann Tab
text ann "123"; keys ann Enter; keys ann Enter; keys ann Enter
check ann "Your booking code:" "paying shows the booking code" 15
code=$(tm capture-pane -p -t ann | sed -n 's/^ *\([0-9A-Z]\{3\}-[0-9A-Z]\{3\}\) *.*/\1/p' | head -1)
if [ -n "$code" ]; then ok "the booking code $code is shown"; else nok "a booking code is shown"; fi
check ben "Held 0 · Sold 1" "Ben sees the sale live"
keys ann C-c
keys ben C-c

# Later: Ann with her new password, then with a key she registers.
tm new-session -d -s pw -x 100 -y 30 "sshpass -p 'correct horse battery' $SSH -o PubkeyAuthentication=no -t ann@127.0.0.1; sleep 60"
keys pw t 2>/dev/null
wait_for pw "Upcoming" 10 || keys pw t
check pw "${code:-Upcoming}" "signed in later with the new password, My tickets shows $code" 10
keys pw C-c

ssh-keygen -q -t ed25519 -N '' -C ann-key -f "$TMP/id_ann" </dev/null
"$BUILD/cinetty" user key add ann "$TMP/id_ann.pub" >/dev/null ||
	nok "cinetty user key add registers Ann's key"
tm new-session -d -s key -x 100 -y 30 "$SSH -i $TMP/id_ann -o IdentitiesOnly=yes -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -t ann@127.0.0.1; sleep 60"
sleep 1
keys key t
wait_for key "Upcoming" 10 || keys key t
check key "${code:-Upcoming}" "signed in with ssh -i, My tickets shows $code" 10
if grep -q "event=auth .*user=ann method=publickey" "$LOG"; then
	ok "the daemon logged Ann's public-key sign-in"
else
	nok "the daemon logged Ann's public-key sign-in"
fi
