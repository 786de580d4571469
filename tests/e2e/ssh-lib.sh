# ssh-lib.sh - what the cinettyd end-to-end tests share (sourced by
# tests/e2e/test-ssh.sh, test-ssh-keyhelper.sh, test-ssh-abuse.sh and
# test-security.sh after they switch to bash; not a test: run.sh runs only
# test-*.sh). Before sourcing, set SSH_TEST to the test's short name: it
# names the temporary folder ($TMP) and the private tmux server
# ($TMUX_SOCK). Then, in the test: write $CONF, start_daemon, and use the
# helpers below. On exit the daemon, the tmux server and $TMP are gone,
# whatever happens; a test that starts more defines on_cleanup() to stop it
# (run first).
BUILD=${CINETTY_BUILD:-build}
TMP=${CINETTY_TEST_TMP:-/tmp}/$SSH_TEST.$$
mkdir -p "$TMP"
LOG=$TMP/cinettyd.log
CONF=$TMP/cinetty.conf
TMUX_SOCK=cinetty-$SSH_TEST-$$
DAEMON_LOG_LEVEL=${DAEMON_LOG_LEVEL:-debug}	# start_daemon's log_level
PANE=main	# the tmux session the pane_* helpers look at
DPID=
PORT=

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
check() {	# check DESCRIPTION COMMAND...: ok if the command succeeds
	desc=$1
	shift
	if "$@"; then ok "$desc"; else nok "$desc"; fi
}

# stop_daemon: SIGTERM, up to 5 s to go, then SIGKILL; DPID is cleared.
stop_daemon() {
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		kill -TERM "$DPID" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$DPID" 2>/dev/null
	fi
	[ -n "$DPID" ] && wait "$DPID" 2>/dev/null
	DPID=
}
on_cleanup() { :; }	# a test redefines it to stop what it started itself
ssh_lib_cleanup() {
	on_cleanup
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_SOCK"
	stop_daemon
	rm -rf "$TMP"
}
trap ssh_lib_cleanup EXIT
trap 'exit 130' INT TERM

# (ssh keeps the first value of an option: the base has no LogLevel.)
SSHBASE="-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10"
SSHOPTS="$SSHBASE -o LogLevel=error"

# start_daemon [-o key=value...]: cinettyd on a free port with $CONF at
# $DAEMON_LOG_LEVEL, logging to $LOG; sets DPID and PORT.
start_daemon() {
	for _ in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 30000))
		: >"$LOG"
		"$BUILD/cinettyd" -d -f "$CONF" -p "$PORT" \
		    -o log_level="$DAEMON_LOG_LEVEL" "$@" >>"$LOG" 2>&1 &
		DPID=$!
		for _ in $(seq 100); do
			grep -q "event=ready" "$LOG" && return 0
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	done
	DPID=
	echo "# cinettyd did not start:"
	sed 's/^/# /' "$LOG"
	return 1
}

# wait_log PATTERN [SECONDS]: until the log has a line matching PATTERN.
wait_log() {
	for _ in $(seq $((${2:-10} * 10))); do
		grep -q -- "$1" "$LOG" && return 0
		sleep 0.1
	done
	return 1
}
# wait_log_count PATTERN N [SECONDS]: until N lines of the log match.
wait_log_count() {
	for _ in $(seq $((${3:-10} * 10))); do
		[ "$(grep -c -- "$1" "$LOG")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# The private tmux server, and its pane $PANE: run a command in it, read
# it, wait for text on it, for it to end.
tm() { tmux -L "$TMUX_SOCK" "$@"; }
pane_run() { tm respawn-pane -k -t "$PANE" "$1"; }
pane_text() { tm capture-pane -p -t "$PANE"; }
pane_wait() {	# pane_wait TEXT [SECONDS]
	for _ in $(seq $((${2:-10} * 10))); do
		pane_text | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
pane_dead() { [ "$(tm display -p -t "$PANE" '#{pane_dead}')" = 1 ]; }
pane_wait_dead() {	# pane_wait_dead [SECONDS]
	for _ in $(seq $((${1:-10} * 10))); do
		pane_dead && return 0
		sleep 0.1
	done
	return 1
}

# The last check of a test: no sanitizer report in the daemon's log.
check_no_sanitizer_report() {
	if grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$LOG"; then
		nok "no sanitizer report in the daemon's log"
		grep -A5 "runtime error\|Sanitizer" "$LOG" | head -40 | sed 's/^/# /'
	else
		ok "no sanitizer report in the daemon's log"
	fi
}
