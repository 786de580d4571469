#!/bin/sh
# run.sh - the fault tests (`make check-faults`): every tests/fault/fault-*.sh
# in turn, each on its own throwaway stack, each bounded by a timeout. They
# print "ok - ..." / "not ok - ..." lines; the last line here is
# "N passed, N failed", and the exit status is non-zero if anything failed.
#
#   sh tests/fault/run.sh [PATTERN]   only scripts whose name contains PATTERN
set -u
BUILD=${BUILD:-build}
PATTERN=${1:-}
top=$(pwd)
tmp=$(mktemp -d /tmp/cinetty-fault.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

export CINETTY_TEST_TMP="$tmp"
export CINETTY_SHARE_DIR="$top"
export CINETTY_BUILD="$top/$BUILD"
export CINETTY_LOG_LEVEL=warn
export CINETTY_ARGON2_M_KIB=64
export CINETTY_ARGON2_T_COST=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ ! -x "$BUILD/fault/fault-load" ]; then
	echo "run.sh: $BUILD/fault/fault-load is missing (make check-faults builds it)"
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0
failed=0
failures=""
out="$tmp/out.txt"
for t in tests/fault/fault-*.sh; do
	[ -f "$t" ] || continue
	name=${t#tests/fault/}
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	echo "# $name"
	start=$(date +%s)
	# fault-daemon.sh alone may churn for 120 s.
	timeout -k 10 300 bash "$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "run.sh: $name exited with status $rc"
	fi
	echo "# $name: $(($(date +%s) - start)) s"
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures $name"
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
