# lib.sh - what the fault scripts share (sourced by tests/fault/fault-*.sh;
# not a test). Each script gets its own throwaway stack (contrib/stack) in
# $FT, its own processes, and stops everything it started on exit. Every
# wait is bounded.
#
# Scripts print "ok - ..." / "not ok - ..." lines and "# ..." notes.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

BUILD=${CINETTY_BUILD:-$(pwd)/build}
TOP=${CINETTY_SHARE_DIR:-$(pwd)}
FT=$(mktemp -d "${CINETTY_TEST_TMP:-/tmp}/ft.XXXXXX")
chmod 755 "$FT"
export TMUX_TMPDIR=$FT
TMUX_SOCK=ft
PIDS=""			# processes to stop on exit (TERM, then KILL)
export CINETTY_LOG_LEVEL=${CINETTY_LOG_LEVEL:-warn}
export CINETTY_ARGON2_M_KIB=${CINETTY_ARGON2_M_KIB:-64}
export CINETTY_ARGON2_T_COST=${CINETTY_ARGON2_T_COST:-1}
export CINETTY_STATEMENT_TIMEOUT_MS=${CINETTY_STATEMENT_TIMEOUT_MS:-30000}
# Mail goes nowhere (the outbox is not what these tests look at).
export CINETTY_MAIL_COMMAND=${CINETTY_MAIL_COMMAND:-/bin/true}

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
note() { echo "# $*"; }
check() {	# check DESCRIPTION COMMAND...: ok if the command succeeds
	_d=$1
	shift
	if "$@"; then ok "$_d"; else nok "$_d"; fi
}

# stop PID: TERM, up to 5 s, then KILL.
stop() {
	kill -TERM "$1" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
}

ft_cleanup() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	for p in $PIDS; do stop "$p"; done
	wait 2>/dev/null
	sh "$TOP/contrib/stack" down "$FT/stack" >/dev/null 2>&1
	# FT_KEEP=1 keeps the logs for a look afterwards.
	if [ -n "${FT_KEEP:-}" ]; then echo "# kept $FT"; else rm -rf "$FT"; fi
}
trap ft_cleanup EXIT
trap 'exit 130' INT TERM

sql() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# The stack, migrated: sets PG* and CINETTY_REDIS.
ft_stack() {
	env_sh=$(sh "$TOP/contrib/stack" up "$FT/stack") ||
		{ nok "the stack starts"; exit 1; }
	eval "$env_sh"
	REDIS_SOCK=${CINETTY_REDIS#unix:}
	"$BUILD/cinetty" migrate >/dev/null || { nok "cinetty migrate"; exit 1; }
}

redis_kill() { kill -KILL "$(cat "$FT/stack/redis.pid")"; rm -f "$REDIS_SOCK"; }
redis_start() { sh "$TOP/contrib/stack" up "$FT/stack" >/dev/null; }
pg_data() { echo "$(cat "$FT/stack/pghome" 2>/dev/null || echo "$FT/stack")/pg"; }
pg_ctl() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$(pg_data)" "$@"
	else
		/usr/lib/postgresql/15/bin/pg_ctl -D "$(pg_data)" "$@"
	fi
}

# The load's data: a 100-seat "Fault Hall", 4 showtimes starting in 30
# minutes (check-in is open) and 8 tomorrow, customers fault01..fault40
# and the staff account faultstaff (they never sign in: no real hash).
ft_data() {
	psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || { nok "fault data"; exit 1; }
INSERT INTO movies (title, runtime_min) VALUES ('Fault Film', 100);
INSERT INTO theatres (name, layout, capacity) VALUES ('Fault Hall',
    repeat(repeat('S', 20) || E'\n', 5), 100);
INSERT INTO seats (theatre_id, row_label, number, seat_type, x, y)
SELECT t.id, chr(65 + r), n, 'standard', n - 1, r
FROM theatres t, generate_series(0, 4) r, generate_series(1, 20) n
WHERE t.name = 'Fault Hall';
INSERT INTO showtimes (movie_id, theatre_id, starts_at, ends_at,
                       blocked_until, base_price_cents)
SELECT m.id, t.id, d, d + interval '2 hours', d + interval '2 hours 15 minutes', 1000
FROM movies m, theatres t,
     (SELECT date_trunc('minute', now()) + interval '30 minutes' + i * interval '3 hours' d
      FROM generate_series(0, 3) i
      UNION ALL
      SELECT date_trunc('day', now()) + interval '2 days' + i * interval '3 hours'
      FROM generate_series(0, 7) i) ds
WHERE m.title = 'Fault Film' AND t.name = 'Fault Hall';
INSERT INTO accounts (username, email, full_name, password_hash)
SELECT 'fault' || lpad(i::text, 2, '0'), 'fault' || i || '@example.com',
       'Fault ' || i, '$argon2id$v=19$m=8,t=1,p=1$unused'
FROM generate_series(1, 40) i;
INSERT INTO accounts (username, email, full_name, password_hash, role)
VALUES ('faultstaff', 'faultstaff@example.com', 'Fault Staff',
        '$argon2id$v=19$m=8,t=1,p=1$unused', 'staff');
SQL
}

# The showtimes 30 minutes away overlap in one theatre if the schedule
# check is a trigger; they are 3 hours apart, so they do not.

# Invariants of the booking data, whatever happened: prints one line per
# broken rule ("name count") and returns non-zero if any is broken.
ft_invariants() {
	psql -qAtX -F ' ' -v ON_ERROR_STOP=1 >"$FT/inv.out" <<'SQL'
SELECT 'seat_sold_twice', count(*) FROM (SELECT showtime_id, seat_id
    FROM tickets WHERE status = 'valid' GROUP BY 1, 2 HAVING count(*) > 1) x
UNION ALL
SELECT 'sold_seat_without_live_booking', count(*) FROM showtime_seats ss
    LEFT JOIN bookings b ON b.id = ss.booking_id
    WHERE ss.state = 'sold' AND (b.id IS NULL
        OR b.status NOT IN ('confirmed', 'completed', 'no_show')
        OR NOT EXISTS (SELECT 1 FROM tickets t WHERE t.booking_id = b.id
            AND t.seat_id = ss.seat_id AND t.status = 'valid'))
UNION ALL
SELECT 'valid_ticket_seat_not_sold', count(*) FROM tickets t
    JOIN bookings b ON b.id = t.booking_id
    LEFT JOIN showtime_seats ss ON ss.showtime_id = t.showtime_id
        AND ss.seat_id = t.seat_id
    WHERE t.status = 'valid' AND b.status IN ('confirmed', 'completed')
      AND (ss.state IS DISTINCT FROM 'sold' OR ss.booking_id <> b.id)
UNION ALL
SELECT 'confirmed_booking_without_payment', count(*) FROM bookings b
    WHERE b.status IN ('confirmed', 'completed')
      AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id
          AND p.status = 'approved' AND p.amount_cents = b.total_cents)
UNION ALL
SELECT 'payment_without_confirmed_booking', count(*) FROM payments p
    JOIN bookings b ON b.id = p.booking_id
    WHERE p.status = 'approved'
      AND b.status NOT IN ('confirmed', 'completed', 'no_show')
UNION ALL
SELECT 'booking_total_not_its_tickets', count(*) FROM bookings b
    WHERE b.status IN ('confirmed', 'completed') AND b.total_cents <>
        (SELECT coalesce(sum(price_cents), 0) FROM tickets t
         WHERE t.booking_id = b.id AND t.status = 'valid')
UNION ALL
SELECT 'booking_without_tickets', count(*) FROM bookings b
    WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.booking_id = b.id)
UNION ALL
SELECT 'refunded_without_refund', count(*) FROM bookings b
    WHERE b.status = 'refunded' AND (NOT EXISTS (SELECT 1 FROM refunds r
        WHERE r.booking_id = b.id) OR EXISTS (SELECT 1 FROM tickets t
        WHERE t.booking_id = b.id AND t.status = 'valid'))
UNION ALL
SELECT 'held_seat_of_a_booking', count(*) FROM showtime_seats ss
    WHERE ss.state = 'held' AND EXISTS (SELECT 1 FROM bookings b
        WHERE b.hold_id = ss.hold_id);
SQL
	[ $? -eq 0 ] || { echo "invariants query failed"; return 1; }
	awk '$2 != 0 { print; bad = 1 } END { exit bad }' "$FT/inv.out"
}

# Seconds the most overdue expired hold is past its deadline now (0: none).
ft_overdue() {
	sql "SELECT coalesce(ceil(extract(epoch FROM max(now() - hold_expires))), 0)::int
	     FROM showtime_seats WHERE state = 'held' AND hold_expires < now()"
}

# Process ids of everything under PID (children, grandchildren...).
descendants() {
	for _p in $(pgrep -P "$1"); do
		echo "$_p"
		descendants "$_p"
	done
}

# PostgreSQL backends of cinetty clients (not ours: psql is "psql").
pg_clients() {
	sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type =
	     'client backend' AND application_name = 'cinetty'"
}

# wait_until SECONDS COMMAND...: until the command succeeds (0) or not (1).
wait_until() {
	_end=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	while :; do
		"$@" && return 0
		[ $(($(date +%s%N) / 1000000)) -ge "$_end" ] && return 1
		sleep 0.1
	done
}

# Start cinettyd with $FT/cinetty.conf on a free port: sets DPID, PORT, LOG.
start_daemon() {
	LOG=$FT/cinettyd.log
	for _ in 1 2 3 4 5 6; do
		PORT=$((20000 + RANDOM % 30000))
		: >"$LOG"
		"$BUILD/cinettyd" -d -f "$FT/cinetty.conf" -p "$PORT" -o log_level=info "$@" \
		    >>"$LOG" 2>&1 &
		DPID=$!
		if wait_until 10 grep -q "event=ready" "$LOG"; then
			PIDS="$PIDS $DPID"
			return 0
		fi
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	done
	nok "cinettyd starts"
	sed 's/^/# /' "$LOG"
	return 1
}

SSHOPTS="-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 -o LogLevel=error"

# tmux panes: open NAME COMMAND, text NAME, wait_text NAME TEXT [SECONDS].
pane_open() {
	if tmux -L "$TMUX_SOCK" has-session 2>/dev/null; then
		tmux -L "$TMUX_SOCK" new-session -d -s "$1" -x 100 -y 30 "$2"
	else
		tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s "$1" \
		    -x 100 -y 30 "$2"
		tmux -L "$TMUX_SOCK" set-option -g remain-on-exit on >/dev/null
	fi
}
pane_text() { tmux -L "$TMUX_SOCK" capture-pane -p -t "$1" 2>/dev/null; }
pane_keys() { _s=$1; shift; tmux -L "$TMUX_SOCK" send-keys -t "$_s" "$@"; }
pane_has() { pane_text "$1" | grep -qF -- "$2"; }
pane_wait() { wait_until "${3:-10}" pane_has "$1" "$2"; }
pane_pid() { tmux -L "$TMUX_SOCK" display -p -t "$1" '#{pane_pid}'; }
pane_show() { pane_text "$1" | sed 's/^/# | /'; }
