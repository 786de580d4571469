#!/bin/bash
# fault-diskfull.sh - the disk under the booking tables is full during a
# booking load. The tables and indexes live in a tablespace on a small
# tmpfs (mounted here: needs root, as in CI; skipped with a note
# otherwise), filled to the last byte before a booking load. Bookings then
# fail with "out of disk space" - never a crash, never a half-done booking -
# and once space is freed they work again without restarting anything.
# (A full pg_wal stops PostgreSQL itself: fault-pgrestart covers a stopped
# server.)
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	note "skipped: mounting a small tmpfs needs root"
	exit 0
fi
MNT=$(mktemp -d /tmp/cinetty-diskfull.XXXXXX)
if ! mount -t tmpfs -o "size=64m,mode=700,uid=$(id -u postgres),gid=$(id -g postgres)" \
    tmpfs "$MNT" 2>"$FT/mount.err"; then
	note "skipped: cannot mount a tmpfs here: $(cat "$FT/mount.err")"
	rmdir "$MNT"
	exit 0
fi
df_cleanup() {
	ft_cleanup	# PostgreSQL stops first: then the mount is free
	umount "$MNT" 2>/dev/null || umount -l "$MNT"
	rmdir "$MNT"
}
trap df_cleanup EXIT
ft_stack
ft_data
psql -qAtX -v ON_ERROR_STOP=1 >/dev/null <<SQL || { nok "tables moved to the small disk"; exit 1; }
CREATE TABLESPACE small LOCATION '$MNT';
SELECT format('ALTER TABLE %I SET TABLESPACE small', tablename)
    FROM pg_tables WHERE schemaname = 'public' \gexec
ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE small;
SQL
note "tables and indexes on a 64 MiB tmpfs, $(du -sk "$MNT" | cut -f1) KiB used"

# load NAME CLIENTS SECONDS: fault-load's output in $FT/NAME.out/.err.
load() {
	"$BUILD/fault/fault-load" "$2" "$3" 2 >"$FT/$1.out" 2>"$FT/$1.err"
}
# total NAME KEY: KEY=N summed over the totals lines of NAME's output.
total() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) { split($i, a, "=");
	    if (a[1] == k) n += a[2] } } END { print n + 0 }' "$FT/$1.out"
}
errors() { total "$1" hold_err; }

# Fill the disk, then book: the tables' last pages take a few bookings,
# then every write that needs a new page fails. (Not the other way round:
# on a fast machine a load before the fill sells every seat.)
dd if=/dev/zero of="$MNT/fill" bs=64k >/dev/null 2>&1
dd if=/dev/zero of="$MNT/fill2" bs=4k >/dev/null 2>&1
note "disk filled: $(df --output=avail -k "$MNT" | tail -1 | tr -d ' ') KiB free"
load full 4 8
full_rc=$?
# fault-load prints the first 20 error messages; the totals count all.
nerr=0
for k in map_err hold_err pay_err cancel_err checkin_err; do
	nerr=$((nerr + $(total full $k)))
done
shown=$(grep -c "fault-load: .*: " "$FT/full.err")
disk=$(grep -c "fault-load: .*out of disk space" "$FT/full.err")
note "while full: $(total full hold_ok) holds, $(total full pay_ok) paid, $nerr errors; of the first $shown shown, $disk say out of disk space"
if [ "$full_rc" -eq 0 ] && [ "$nerr" -ge 1 ] && [ "$disk" -eq "$shown" ]; then
	ok "with the disk full, bookings fail with \"out of disk space\" ($nerr errors) and the load runs to its end"
else
	nok "with the disk full, bookings fail with \"out of disk space\" (exit $full_rc, $nerr errors, $disk of $shown say so)"
	head -5 "$FT/full.err" | sed 's/^/# /'
fi
if grep -q "No space left\|base/[0-9]\|pg_tblspc" "$FT/full.err"; then
	nok "the errors name no server files"
	grep -m3 "No space left\|base/[0-9]\|pg_tblspc" "$FT/full.err" | sed 's/^/# /'
else
	ok "the errors name no server files or system messages"
fi
pg_up() { [ "$(sql "SELECT 1")" = 1 ]; }
check "PostgreSQL kept running" pg_up
if inv=$(ft_invariants); then
	ok "no half-done booking while the disk was full (booking invariants hold)"
else
	nok "booking invariants hold after the disk was full:"
	echo "$inv" | sed 's/^/# /'
fi

# Space freed: the next load books again, with no restart.
rm -f "$MNT/fill" "$MNT/fill2"
load after 4 3
note "after freeing space: $(total after hold_ok) holds, $(total after pay_ok) paid, $(errors after) hold errors, $(total after pay_err) pay errors"
if [ "$(total after hold_ok)" -ge 10 ] && [ "$(total after pay_ok)" -ge 5 ] &&
    [ "$(errors after)" -eq 0 ] && [ "$(total after pay_err)" -eq 0 ]; then
	ok "once space is freed, holds and payments work again without a restart"
else
	nok "once space is freed, holds and payments work again"
	head -5 "$FT/after.err" | sed 's/^/# /'
fi
if inv=$(ft_invariants); then
	ok "booking invariants hold at the end"
else
	nok "booking invariants hold at the end:"
	echo "$inv" | sed 's/^/# /'
fi
exit 0
