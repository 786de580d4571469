#!/bin/sh
# test-tui-terminal.sh - the app on real terminals (tmux): the cinema's name,
# a too-small window, resizing back, an unknown TERM, LANG=C drawing ASCII,
# NO_COLOR, and the help overlay. Each tmux server has its own socket and
# is killed at the end; every wait is bounded.
BUILD=${CINETTY_BUILD:-build}
N=0
SOCK=cinetty-tui-term-$$-$N
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
tm() { tmux -L "$SOCK" "$@"; }
SOCKDIR=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
stop() { tm kill-server 2>/dev/null; rm -f "$SOCKDIR/$SOCK"; }
trap stop EXIT
export CINETTY_CINEMA_NAME="Roxy Test Cinema"

# wait_for TEXT [SECONDS]: until the pane shows TEXT (0) or time is up (1).
wait_for() {
	i=0
	while [ "$i" -lt "$(( ${2:-5} * 10 ))" ]; do
		tm capture-pane -p -t t 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check() {	# check TEXT DESCRIPTION
	if wait_for "$1" "${3:-5}"; then ok "$2"; else
		nok "$2 (expected \"$1\")"; tm capture-pane -p -t t | sed 's/^/# /'
	fi
}
start() {	# start COLS ROWS ENV... : a fresh session running the app
	stop
	N=$((N + 1))
	SOCK=cinetty-tui-term-$$-$N	# a new server: no race with the old one
	c=$1 r=$2
	shift 2
	tm new-session -d -s t -x "$c" -y "$r" \
	    "env $* $BUILD/cinetty tui ${TUI_ARGS:-}; sleep 30"
}

start 100 30 LANG=C.UTF-8
check "Roxy Test Cinema" "the welcome screen shows the cinema's name"
check "Browse films" "the welcome menu offers browsing"
tm resize-window -t t -x 60 -y 15
check "Please enlarge the terminal" "60x15 asks to enlarge the terminal"
tm resize-window -t t -x 100 -y 30
check "Browse films" "back at 100x30 the menu is drawn again"
# An idle app sleeps in poll(): no CPU time over three seconds (a busy
# loop would take about 300 ticks; up to 2 allow for the redraw after the
# resize finishing late on a loaded machine).
app=$(pgrep -f -n "^$BUILD/cinetty tui")
if [ -n "$app" ]; then
	sleep 0.5
	c1=$(awk '{print $14 + $15}' "/proc/$app/stat")
	sleep 3
	c2=$(awk '{print $14 + $15}' "/proc/$app/stat")
	if [ $((c2 - c1)) -le 2 ]; then
		ok "an idle app uses no CPU ($((c2 - c1)) ticks in 3 s)"
	else
		nok "an idle app uses no CPU ($((c2 - c1)) ticks in 3 s)"
	fi
else
	nok "the app's process is found"
fi
tm send-keys -t t '?'
check "redraw the screen" "? shows the help overlay"
if tm capture-pane -p -t t | grep -q "┌"; then
	ok "a UTF-8 locale draws box characters"
else
	nok "a UTF-8 locale draws box characters"
fi
tm send-keys -t t q q

start 100 30 LANG=C LC_ALL=C
check "Roxy Test Cinema" "LANG=C starts"
tm send-keys -t t '?'
check "+- Help --" "LANG=C draws the help box in ASCII"
if tm capture-pane -p -t t | grep -q "[─│┌]"; then
	nok "LANG=C draws no UTF-8 box characters"
else
	ok "LANG=C draws no UTF-8 box characters"
fi

start 100 30 TERM=no-such-terminal-xyz LANG=C.UTF-8
check "Roxy Test Cinema" "an unknown TERM falls back and still draws"

start 100 30 TERM=dumb LANG=C.UTF-8
check "Roxy Test Cinema" "TERM=dumb (no cursor addressing) falls back and draws"

start 100 30 NO_COLOR=1 LANG=C.UTF-8
check "Browse films" "NO_COLOR still draws the app"
tm send-keys -t t b
check "Showing on" "b opens the films of the day"
tm send-keys -t t C-c
if wait_for "Roxy Test Cinema" 1 && ! tm capture-pane -p -t t | grep -q "Showing on"; then
	nok "Ctrl-C quits the app"
else
	ok "Ctrl-C quits the app"
fi

# cinetty tui --user NAME asks for the password first (counter machines).
printf 'correct horse battery\n' | "$BUILD/cinetty" user add --password-stdin \
    cara cara@example.com "Cara Example" >/dev/null 2>&1
TUI_ARGS="--user cara" start 100 30 LANG=C.UTF-8
check "Sign in" "--user asks for a password first"
check "cara" "with the user name filled in"
tm send-keys -t t -l "wrong password"
tm send-keys -t t Enter
check "Wrong username or password." "a wrong password is refused"
tm send-keys -t t -l "correct horse battery"
tm send-keys -t t Enter
check "Signed in as cara" "the right one signs cara in"

# The database connection is opened on demand and closed when idle.
conns() {
	psql -qtAX -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$PGDATABASE'" 2>/dev/null
}
start 100 30 LANG=C.UTF-8 CINETTY_DB_IDLE_SECONDS=1
check "Browse films" "the app starts with a short db_idle_seconds"
tm send-keys -t t b
check "Showing on" "the films screen reads the database"
n1=$(conns)
sleep 3
n2=$(conns)
if [ "$n1" -ge 1 ] && [ "$n2" -eq 0 ]; then
	ok "an idle app closes its database connection ($n1 then $n2)"
else
	nok "an idle app closes its database connection ($n1 then $n2)"
fi
tm send-keys -t t Right
sleep 0.5
n3=$(conns)
if [ "$n3" -ge 1 ]; then
	ok "and opens it again when needed"
else
	nok "and opens it again when needed ($n3 connections)"
fi
