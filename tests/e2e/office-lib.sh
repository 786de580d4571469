# office-lib.sh - what the box-office and back-office e2e tests share
# (sourced by tests/e2e/test-staff-*.sh and test-admin-*.sh; not a test).
# tmux servers get their own socket and are killed at the end; every wait
# is bounded. Passwords are typed into the app, never put on a command line.
BUILD=${CINETTY_BUILD:-build}
TMP=${CINETTY_TEST_TMP:-/tmp}/office.$$
SOCK=cinetty-office-$$
SOCKDIR=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
export CINETTY_ADMIN_PASSWORD=e2e-admin-password
mkdir -p "$TMP"

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
tm() { tmux -L "$SOCK" "$@"; }
office_stop() { tm kill-server 2>/dev/null; rm -f "$SOCKDIR/$SOCK"; rm -rf "$TMP"; }
trap office_stop EXIT

sql() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# screen [WINDOW]: the pane's text now.
screen() { tm capture-pane -p -t "${1:-t}" 2>/dev/null; }

# wait_for TEXT [SECONDS] [WINDOW]: until the pane shows TEXT (0) or not (1).
wait_for() {
	i=0
	while [ "$i" -lt "$(( ${2:-8} * 10 ))" ]; do
		screen "${3:-t}" | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# check TEXT DESCRIPTION [SECONDS] [WINDOW]
check() {
	if wait_for "$1" "${3:-8}" "${4:-t}"; then ok "$2"; else
		nok "$2 (expected \"$1\")"; screen "${4:-t}" | sed 's/^/# /'
	fi
}

# start_tui WINDOW USER PASSWORD: `cinetty tui --user USER` in a fresh
# tmux window WINDOW (120x36), signed in.
start_tui() {
	if tm has-session -t "$1" 2>/dev/null; then :; else
		tm new-session -d -s "$1" -x 120 -y 36 \
		    "$BUILD/cinetty tui --user $2; sleep 60"
	fi
	wait_for "assword" 10 "$1" || { nok "the sign-in screen shows for $2"; return 1; }
	tm send-keys -t "$1" -l "$3"
	tm send-keys -t "$1" Enter
	wait_for "Signed in as $2" 10 "$1" || wait_for "($2" 1 "$1" ||
	    wait_for "$2 (" 1 "$1"
}

# headless NAME USER: play $TMP/NAME.keys as USER (password first); the
# final screen goes to $TMP/NAME.screen. 0 if every expect held.
headless() {
	"$BUILD/cinetty" tui --user "$2" --size 120x36 \
	    --script "$TMP/$1.keys" >"$TMP/$1.screen" 2>"$TMP/$1.err" ||
		return 1
	# Under a sanitizer build (BUILD=build-san) a report is a failure.
	! grep -q -e AddressSanitizer -e LeakSanitizer -e 'runtime error:' \
	    "$TMP/$1.err"
}

# The cinema's day and a start time MIN minutes from now, rounded up to
# 5 minutes (the cinema's zone is UTC in tests): sets DAY and HHMM.
soon() {
	t=$(( ($(date -u +%s) + $1 * 60 + 299) / 300 * 300 ))
	DAY=$(date -u -d "@$t" +%Y-%m-%d)
	HHMM=$(date -u -d "@$t" +%H:%M)
	TODAY=$(date -u +%Y-%m-%d)
}

# A long statement timeout: the seed runs on a loaded machine.
CINETTY_STATEMENT_TIMEOUT_MS=120000 "$BUILD/cinetty" seed \
    >"$TMP/seed.out" 2>&1 ||
	{ nok "cinetty seed"; cat "$TMP/seed.out"; exit 1; }
