#!/bin/sh
# test-tui-headless.sh - the app's journeys without a terminal: each
# tests/tui/*.keys script runs through `cinetty tui --script` (keys fed,
# screen drawn in memory, `expect` lines checked). Under a sanitizer build
# (BUILD=build-san) the same runs must leave no sanitizer report.
BUILD=${CINETTY_BUILD:-build}
TMP=${CINETTY_TEST_TMP:-/tmp}/tui-headless.$$
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

CINETTY_STATEMENT_TIMEOUT_MS=120000 "$BUILD/cinetty" seed >"$TMP/seed.out" 2>&1 || { nok "cinetty seed"; cat "$TMP/seed.out"; exit 1; }

ssh-keygen -q -t ed25519 -N '' -C 'zoe@laptop' -f "$TMP/key" >/dev/null 2>&1
pub=$(cat "$TMP/key.pub")
fp=$(ssh-keygen -lf "$TMP/key.pub" | cut -d' ' -f2)

# run NAME SIZE: play tests/tui/NAME.keys at SIZE; checks exit status,
# expectations and sanitizer output.
run() {
	name=$1
	size=${2:-100x30}
	sed -e "s|@PUBKEY@|$pub|" -e "s|@FINGERPRINT@|$fp|" \
	    "tests/tui/$name.keys" >"$TMP/$name.keys"
	"$BUILD/cinetty" tui --size "$size" --script "$TMP/$name.keys" \
	    >"$TMP/$name.screen" 2>"$TMP/$name.err"
	rc=$?
	if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' \
	    -e 'runtime error:' "$TMP/$name.err"; then
		nok "$name: no sanitizer report"
		cat "$TMP/$name.err"
	elif [ "$rc" -ne 0 ]; then
		nok "$name: every expectation holds (exit $rc)"
		grep -v ' level=' "$TMP/$name.err"
		cat "$TMP/$name.screen"
	else
		ok "$name: every expectation holds ($size)"
	fi
}

for f in tests/tui/*.keys; do
	n=${f##*/}
	run "${n%.keys}"
done
