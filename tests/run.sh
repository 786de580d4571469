#!/bin/sh
# run.sh - run every test of cinetty on a throwaway PostgreSQL + Redis.
#
# Unit and integration tests are cmocka programs in $BUILD/tests/*/test-*;
# end-to-end tests are shell scripts tests/e2e/test-*.sh that print TAP-like
# "ok - ..." / "not ok - ..." lines. Each cmocka program gets a fresh
# database cloned from a migrated template, and an empty Redis. The stack is
# stopped and removed however the run ends. The last line is
# "N passed, N failed"; the exit status is non-zero if anything failed.
#
#   sh tests/run.sh [PATTERN]     only tests whose name contains PATTERN
#   VALGRIND=1 sh tests/run.sh     the unit and integration programs under
#                                  valgrind (definite leaks and memory errors
#                                  fail them); no end-to-end scripts
set -u
BUILD=${BUILD:-build}
PATTERN=${1:-}
top=$(pwd)
tmp=$(mktemp -d /tmp/cinetty-test.XXXXXX)
chmod 755 "$tmp"
cleanup() {
	sh "$top/contrib/stack" down "$tmp/stack" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

env_sh=$(sh contrib/stack up "$tmp/stack") || { echo "run.sh: the stack did not start"; echo "0 passed, 1 failed"; exit 1; }
eval "$env_sh"
export CINETTY_TEST_TMP="$tmp"
# tmux servers of the end-to-end tests keep their sockets in here too, so
# nothing is left behind outside the temporary folder.
export TMUX_TMPDIR="$tmp"
export CINETTY_SHARE_DIR="$top"
export CINETTY_BUILD="$top/$BUILD"
export CINETTY_LOG_LEVEL=warn
# Fast password hashing in tests; the cost is a config value like any other.
export CINETTY_ARGON2_M_KIB=64
export CINETTY_ARGON2_T_COST=1
# A loaded 2-core machine must not turn slow statements into failures.
export CINETTY_STATEMENT_TIMEOUT_MS=${CINETTY_STATEMENT_TIMEOUT_MS:-30000}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

psql -qX -d postgres -c "CREATE DATABASE cinetty_template" >/dev/null
PGDATABASE=cinetty_template "$BUILD/cinetty" migrate >/dev/null ||
	{ echo "run.sh: migrating the template failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failures=""
# A database named after the test, cloned from the template; Redis emptied.
fresh_db() {
	db=t_$(echo "$1" | tr -c 'a-z0-9\n' '_')
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
	psql -qX -d postgres -c "CREATE DATABASE $db TEMPLATE cinetty_template" >/dev/null
	redis-cli -s "$tmp/stack/redis.sock" flushall >/dev/null
	echo "$db"
}

for t in "$BUILD"/tests/unit/test-* "$BUILD"/tests/integration/test-*; do
	[ -x "$t" ] || continue
	case "$t" in *.d|*.o) continue ;; esac
	name=${t#"$BUILD"/tests/}
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	db=$(fresh_db "$name")
	out="$tmp/out.txt"
	if [ "${VALGRIND:-0}" = 1 ]; then
		# valgrind runs code 20-50 times slower: tests skip or widen
		# their wall-clock limits when this is set
		CINETTY_TEST_VALGRIND=1 PGDATABASE=$db valgrind -q --leak-check=full \
		    --errors-for-leak-kinds=definite --error-exitcode=1 \
		    --child-silent-after-fork=yes \
		    --suppressions="$top/tests/valgrind.supp" "$t" >"$out" 2>&1
	else
		PGDATABASE=$db "$t" >"$out" 2>&1
	fi
	rc=$?
	cat "$out"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or exited before its summary
		echo "run.sh: $name exited with status $rc"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures $name"
done

# Run e2e script $1 ($2 its name) on a fresh database: sets p, f.
run_e2e() {
	db=$(fresh_db "$2")
	PGDATABASE=$db timeout 600 sh "$1" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "run.sh: $2 exited with status $rc"
	fi
}

flaky=""
for t in tests/e2e/test-*.sh; do
	[ -f "$t" ] || continue
	[ "${VALGRIND:-0}" = 1 ] && continue
	name=${t#tests/}
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	out="$tmp/out.txt"
	run_e2e "$t" "$name"
	if [ "$f" -gt 0 ]; then
		# These drive real terminals and daemons against wall-clock
		# waits; on a loaded 2-core machine one may miss a deadline.
		# Run it once more from scratch: it counts as passed only if
		# the whole script passes then, and the first failure is shown.
		echo "run.sh: $name failed $f check(s); running it once more"
		run_e2e "$t" "$name"
		[ "$f" -eq 0 ] && flaky="$flaky $name"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures $name"
done

[ -n "$flaky" ] && echo "passed on the second run (first run failed):$flaky"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
