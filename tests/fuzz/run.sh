#!/bin/sh
# run.sh SECONDS FUZZER... - run each libFuzzer binary for SECONDS over its
# committed corpus (tests/fuzz/corpus/NAME) plus a scratch corpus, print
# "ok"/"not ok" and the executions, and fail if any fuzzer found a crash.
# A crash input is left in build-fuzz/ to become a regression test.
secs=$1
shift
status=0
for bin in "$@"; do
	name=${bin##*/fuzz-}
	mkdir -p "build-fuzz/corpus/$name"
	log="build-fuzz/$name.log"
	# The app target draws a screen per key: short inputs go further.
	case $name in
	keys)	extra=-max_len=512 ;;
	*)	extra= ;;
	esac
	"$bin" -max_total_time="$secs" -print_final_stats=1 $extra \
	    -artifact_prefix="build-fuzz/crash-$name-" \
	    "build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -eq 0 ]; then
		echo "ok - fuzz $name: ${execs:-?} executions in ${secs}s, no crash"
	else
		echo "not ok - fuzz $name (exit $rc):"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
		status=1
	fi
done
exit $status
