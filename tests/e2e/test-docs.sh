#!/bin/sh
# test-docs.sh - the manual pages are mandoc-lint clean, every config key is
# documented in cinetty.conf(5), and contrib/cinetty.conf.example is what
# `cinetty config example` prints today.
BUILD=${CINETTY_BUILD:-build}
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

for page in man/cinetty.1 man/cinetty.conf.5 man/cinetty.7 man/cinettyd.8; do
	if [ ! -f "$page" ]; then
		nok "$page exists"
	elif out=$(mandoc -Tlint -Wwarning "$page" 2>&1); then
		ok "$page is mandoc -Tlint clean"
	else
		nok "$page is mandoc -Tlint clean: $out"
	fi
done

missing=""
for key in $("$BUILD/cinetty" config example | sed -n 's/^#\([a-z0-9_]*\) = .*/\1/p'); do
	grep -q "^\.It Ic $key " man/cinetty.conf.5 || missing="$missing $key"
done
if [ -z "$missing" ]; then
	ok "cinetty.conf.5 documents every key"
else
	nok "cinetty.conf.5 documents every key; missing:$missing"
fi

if "$BUILD/cinetty" config example | cmp -s - contrib/cinetty.conf.example; then
	ok "contrib/cinetty.conf.example is current"
else
	nok "contrib/cinetty.conf.example is current (regenerate: cinetty config example)"
fi

# A bad config file is refused with file:line: key.
conf="${CINETTY_TEST_TMP:-/tmp}/bad.conf"
printf 'hold_minutes = 5\nlisten = 127.0.0.1:99999\n' >"$conf"
out=$(CINETTY_CONF="$conf" "$BUILD/cinetty" config check 2>&1)
rc=$?
case "$rc:$out" in
1:*"$conf:2: listen: expected address:port"*) ok "bad config names file:line: key" ;;
*) nok "bad config names file:line: key (rc=$rc, got: $out)" ;;
esac
