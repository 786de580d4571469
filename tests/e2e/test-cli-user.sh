#!/bin/sh
# test-cli-user.sh - `cinetty user ...` on the test database: exit statuses
# (0 done, 1 refused, 2 usage), passwords from standard input only, aligned
# listings, the last-admin guard, and key fingerprints equal to ssh-keygen's.
BUILD=${CINETTY_BUILD:-build}
C="$BUILD/cinetty"
tmp=${CINETTY_TEST_TMP:-/tmp}/cli-user.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
export CINETTY_LOG_LEVEL=warn
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

# expect STATUS DESCRIPTION COMMAND...: run it, compare the exit status.
expect() {
	want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$what"
	else
		nok "$what: exit $rc, expected $want: $(cat "$tmp/out" "$tmp/err")"
	fi
}

# The same, with LINE on standard input.
expect_in() {
	line=$1
	shift
	want=$1 what=$2
	shift 2
	printf '%s\n' "$line" | "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$what"
	else
		nok "$what: exit $rc, expected $want: $(cat "$tmp/out" "$tmp/err")"
	fi
}

expect_in "operator password" 0 "user add --role admin reads the password from stdin" \
	"$C" user add --role admin --password-stdin boss boss@example.com "The Boss"
expect_in "customer password" 0 "user add creates a customer" \
	"$C" user add Wendy wendy@example.com "Wendy Walker"
expect_in "short" 1 "user add refuses a short password" \
	"$C" user add shorty shorty@example.com "Shorty"
grep -q "at least 10 characters" "$tmp/err" && ok "the refusal says why" ||
	nok "the refusal says why: $(cat "$tmp/err")"
expect_in "another password" 1 "user add refuses a taken username (case-folded)" \
	"$C" user add WENDY other@example.com "Other Wendy"
expect 2 "user add takes no password argument" \
	"$C" user add pat pat@example.com "Pat" "a password here"
expect 2 "user add without operands is a usage error" "$C" user add
expect 2 "an unknown user command is a usage error" "$C" user frobnicate
expect 0 "user add --help" "$C" user add --help
grep -q "^usage: cinetty user add" "$tmp/out" && ok "--help prints the usage" ||
	nok "--help prints the usage: $(cat "$tmp/out")"

expect 0 "user list" "$C" user list
if awk 'NR == 1 { h = index($0, "ROLE") }
    NR > 1 && substr($0, h - 2, 2) != "  " { bad = 1 }
    END { exit bad || NR != 3 }' "$tmp/out"; then
	ok "user list prints aligned columns, one account a line"
else
	nok "user list prints aligned columns: $(cat "$tmp/out")"
fi
expect 0 "user list SEARCH" "$C" user list WALKER
[ "$(sed 1d "$tmp/out" | awk '{ print $2 }')" = wendy ] &&
	ok "search finds by name, case-insensitive" ||
	nok "search finds by name: $(cat "$tmp/out")"

expect 1 "the last admin cannot be demoted" "$C" user demote boss
expect 1 "the last admin cannot be locked" "$C" user lock boss
expect 0 "promote to staff" "$C" user promote wendy staff
expect 1 "promote refuses to lower a role" "$C" user promote wendy customer
expect 2 "promote with a bad role is a usage error" "$C" user promote wendy guest
expect 0 "promote to admin" "$C" user promote wendy
expect 0 "now the first admin can be demoted" "$C" user demote boss staff
expect 1 "demote refuses to raise a role" "$C" user demote boss admin
expect 1 "promote an unknown user" "$C" user promote nobody
expect 0 "lock" "$C" user lock boss
expect 0 "unlock" "$C" user unlock boss
"$C" user list boss | grep -q " staff .* active " && ok "boss is active staff" ||
	nok "boss is active staff: $("$C" user list boss)"
expect_in "reset password" 0 "user passwd from stdin" "$C" user passwd wendy
expect_in "wendy" 1 "user passwd refuses a short password" "$C" user passwd wendy

ssh-keygen -q -t ed25519 -N '' -C 'wendy@laptop' -f "$tmp/k1"
ssh-keygen -q -t ecdsa -N '' -C 'wendy@phone' -f "$tmp/k2"
expect 0 "key add from a file" "$C" user key add wendy "$tmp/k1.pub"
cat "$tmp/k2.pub" | "$C" user key add wendy >"$tmp/out" 2>&1 &&
	ok "key add from stdin" || nok "key add from stdin: $(cat "$tmp/out")"
expect 1 "key add refuses the same key again" "$C" user key add boss "$tmp/k1.pub"
printf 'no-pty %s\n' "$(cat "$tmp/k1.pub")" >"$tmp/opt.pub"
expect 1 "key add refuses options" "$C" user key add boss "$tmp/opt.pub"
grep -q "Options" "$tmp/err" && ok "the refusal names options" ||
	nok "the refusal names options: $(cat "$tmp/err")"
expect 0 "key list" "$C" user key list wendy
fp1=$(ssh-keygen -lf "$tmp/k1.pub" | awk '{ print $2 }')
fp2=$(ssh-keygen -lf "$tmp/k2.pub" | awk '{ print $2 }')
if grep -q " $fp1 " "$tmp/out" && grep -q " $fp2 " "$tmp/out"; then
	ok "key list shows the fingerprints ssh-keygen -lf prints"
else
	nok "key list shows ssh-keygen's fingerprints $fp1 $fp2: $(cat "$tmp/out")"
fi
expect 0 "key rm by fingerprint" "$C" user key rm wendy "$fp1"
expect 1 "key rm of a key that is gone" "$C" user key rm wendy "$fp1"
"$C" user key list wendy | grep -q "$fp1" && nok "the key is gone" ||
	ok "the key is gone"
exit 0
