#!/bin/sh
# test-forms.sh - hostile text in every form of the app, and data with
# escape sequences on its screens. This script has the customer's forms;
# test-forms-office.sh has the box office's and the back office's.
#
# Typed into forms (headless app): SQL metacharacters, NUL and other
# control bytes, a C1 control, invalid UTF-8, right-to-left and combining
# characters, 10 KB pastes (forms-lib.sh). Each is either refused with a
# message on the field or stored exactly as typed (checked with psql); the
# tables survive. Then data that bypassed the forms (written straight into
# the database) with terminal escape sequences is shown over SSH: the bytes
# the client receives carry the text but none of the sequences.
#
# Every form in tui/ (x: covered; the text fields of each get hostile()):
#  x sign-in            login, password                    (this script)
#  x sign-up            username, email, full name, password, repeat
#  x change password    old, new, repeat
#  x SSH key            key line (comment stored exactly)
#  x card payment       number, expiry, CVC
#  x admin film         title, description, runtime, rating, poster URL,
#                       genres                             (test-forms-office.sh)
#  x admin theatre      name, seat layout text
#  x admin showtime     film, theatre, date, start, price, days
#  x admin prices       ticket type code, label, percent
#  x admin reports      from, to
#  x admin reservations from, to, film, theatre, status, code (filters)
#  x admin films/users  the / search line
#  x staff check-in     booking code
#  x staff find         query
#  x staff sale         cash, customer name
#  x staff shift        since
# (The seat map's "best how many" prompt and the prices percent editor take
# single digits only; they are keys, not text fields.)
. tests/e2e/office-lib.sh
. tests/e2e/forms-lib.sh

ABUSE=$BUILD/tests/e2e/ssh-abuse
DPID=
stop_all() {
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		kill -TERM "$DPID"
		for _ in $(seq 50); do
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$DPID" 2>/dev/null
	fi
	office_stop
}
trap stop_all EXIT

NAME="$SQLI $RTL$ARABIC $COMB"
PW="pw'; DROP TABLE x;-- $RTL"
PW2="pw2\"; --\$1 $COMB$ARABIC"

# ------------------------------------------------------------------
# Sign-up: every field gets the hostile inputs; the full name keeps SQL,
# right-to-left and combining characters exactly.

{
	echo "key u"
	echo "expect Create an account"
	hostile sign-up username
	echo "type $SQLI"
	echo "key Tab"
	hostile sign-up email
	echo "type o'brien--\$1@example.com"
	echo "key Tab"
	hostile sign-up full_name
	echo "type $NAME"
	echo "key Tab"
	hostile sign-up password
	echo "type $PW"
	echo "key Tab"
	hostile sign-up repeat
	echo "type $PW"
	echo "key Enter"
	echo "expect letters, digits"
	echo "key C-u"
	echo "type formuser$$"
	echo "key Enter 5"
	echo "expect Welcome, formuser$$!"
	stored 3
} >"$TMP/signup.keys"
if "$BUILD/cinetty" tui --size 120x36 --script "$TMP/signup.keys" \
    >"$TMP/signup.screen" 2>"$TMP/signup.err" &&
    ! grep -q -e AddressSanitizer -e 'runtime error:' "$TMP/signup.err"; then
	ok "sign-up refuses control bytes, escape sequences, invalid UTF-8 and 10 KB pastes with a message on the field"
else
	nok "sign-up refuses hostile input with messages"
	grep -v ' level=' "$TMP/signup.err" | head -20 | sed 's/^/# /'
	sed 's/^/# /' "$TMP/signup.screen"
fi
got=$(sql "SELECT full_name FROM accounts WHERE username = 'formuser$$'")
mail=$(sql "SELECT email FROM accounts WHERE username = 'formuser$$'")
if [ "$got" = "$NAME" ] && [ "$mail" = "o'brien--\$1@example.com" ]; then
	ok "the full name with SQL, right-to-left and combining characters is stored exactly as typed"
else
	nok "the full name is stored exactly (got '$got', email '$mail')"
fi

# Sign-in: both fields, then the hostile password signs in.
{
	echo "key i"
	hostile sign-in login
	echo "type formuser$$"
	echo "key Tab"
	hostile sign-in password
	echo "type $PW"
	echo "key Enter"
	echo "expect formuser$$"
	stored 1
} >"$TMP/signin.keys"
if "$BUILD/cinetty" tui --size 120x36 --script "$TMP/signin.keys" \
    >"$TMP/signin.screen" 2>"$TMP/signin.err" &&
    ! grep -q -e AddressSanitizer -e 'runtime error:' "$TMP/signin.err"; then
	ok "sign-in refuses hostile input on both fields, and a password of SQL and right-to-left characters signs in"
else
	nok "sign-in with hostile input"
	grep -v ' level=' "$TMP/signin.err" | head -20 | sed 's/^/# /'
	sed 's/^/# /' "$TMP/signin.screen"
fi

# ------------------------------------------------------------------
# The customer's own forms: change password, an SSH key, a card payment.

ssh-keygen -q -t ed25519 -N '' -C x -f "$TMP/key" >/dev/null 2>&1
KEYCOMMENT="$SQLI $RTL$ARABIC $COMB"
KEYLINE="$(cut -d' ' -f1,2 "$TMP/key.pub") $KEYCOMMENT"
{
	echo "type $PW"
	echo "key Enter"
	echo "expect Signed in as formuser$$"
	echo "key a"
	echo "key p"
	hostile password old_password
	echo "type $PW"
	echo "key Tab"
	hostile password password
	echo "type $PW2"
	echo "key Tab"
	hostile password repeat
	echo "type $PW2"
	echo "key Enter"
	echo "expect Your password was changed."
	echo "key k"
	echo "key a"
	hostile ssh-key line
	echo "type $KEYLINE"
	echo "key Enter"
	echo "expect Added ssh-ed25519"
	echo "key Esc"
	echo "key Esc"
	echo "key f"
	echo "key Right"
	echo "key Enter"
	echo "expect SCREEN"
	echo "key b"
	echo "key 1"
	echo "key Enter"
	echo "expect Seats held for you"
	hostile card number
	echo "type 4242 4242 4242 4242"
	echo "key Tab"
	hostile card expiry
	echo "type 12/30"
	echo "key Tab"
	hostile_num card cvc
	echo "type 123"
	echo "key Enter"
	echo "expect Paid - enjoy the show!"
	stored 2
} >"$TMP/account.keys"
if headless account "formuser$$"; then
	ok "change password, SSH key and card forms refuse hostile input with messages; a hostile new password and key comment are accepted and the card pays"
else
	nok "the customer's forms with hostile input"
	grep -v ' level=' "$TMP/account.err" | head -20 | sed 's/^/# /'
	sed 's/^/# /' "$TMP/account.screen"
fi
got=$(echo "SELECT comment FROM ssh_keys k JOIN accounts a ON a.id = k.account_id WHERE a.username = 'formuser$$'" | psql -qAtX)
if [ "$got" = "$KEYCOMMENT" ]; then
	ok "the SSH key's comment with SQL, right-to-left and combining characters is stored exactly"
else
	nok "the SSH key's comment is stored exactly (got '$got')"
fi
if "$BUILD/cinetty" tui --size 120x36 --script /dev/stdin \
    >"$TMP/signin2.screen" 2>&1 <<KEYS
key i
type formuser$$
key Tab
type $PW2
key Enter
expect Signed in as formuser$$
KEYS
then
	ok "the new password of quotes, \$1, combining and Arabic characters signs in"
else
	nok "signing in with the changed hostile password"
	sed 's/^/# /' "$TMP/signin2.screen"
fi
n=$(sql "SELECT count(*) FROM bookings b JOIN accounts a ON a.id = b.account_id WHERE a.username = 'formuser$$' AND b.status = 'confirmed'")
c=$(sql "SELECT count(*) FROM accounts") m=$(sql "SELECT count(*) FROM movies")
bad=$(sql "SELECT (SELECT count(*) FROM accounts WHERE full_name ~ '[[:cntrl:]\\u0080-\\u009f]'
    OR email ~ '[[:cntrl:]\\u0080-\\u009f]') + (SELECT count(*) FROM ssh_keys
    WHERE comment ~ '[[:cntrl:]\\u0080-\\u009f]')")
if [ "$n" = 1 ] && [ "$c" -gt 1 ] && [ "$m" -gt 1 ] && [ "$bad" = 0 ]; then
	ok "the tables are intact ($c accounts, $m films, the card booking confirmed) and no control character was stored"
else
	nok "tables intact and no control characters stored (booking $n, $c accounts, $m films, $bad bad)"
fi
tried_line "$TMP"/*.keys

# ------------------------------------------------------------------
# Data with escape sequences written around the forms, shown over SSH.

sql "UPDATE movies SET title = E'\\033]0;PWNED\\007' || left(title, 150)
    || E'\\033[31mRED\\302\\233X'" >/dev/null
sql "UPDATE theatres SET name = E'\\033[2JHALL\\033[1;1H' || left(name, 40)" >/dev/null
sql "UPDATE genres SET name = E'\\033[5m' || left(name, 30)" >/dev/null
cat >"$TMP/cinetty.conf" <<EOF
host_key = $TMP/hostkey
EOF
for _ in 1 2 3 4 5 6 7 8; do
	PORT=$((20000 + RANDOM % 30000))
	"$BUILD/cinettyd" -d -f "$TMP/cinetty.conf" -p "$PORT" \
	    -o log_level=info >"$TMP/d.log" 2>&1 &
	DPID=$!
	for _ in $(seq 100); do
		grep -q "event=ready" "$TMP/d.log" && break
		sleep 0.1
	done
	grep -q "event=ready" "$TMP/d.log" && break
	kill "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
done
# Films of today and the next days, a film's details, its showtimes.
"$ABUSE" "$PORT" keys b "$(printf '\033[C')" "$(printf '\033[C')" \
    "$(printf '\r')" "$(printf '\r')" >"$TMP/raw.out" 2>&1
shown=$(grep -c PWNED "$TMP/raw.out")
if [ "$shown" -ge 1 ] && ! grep -q "$(printf '\033')]0;PWNED" "$TMP/raw.out" &&
    ! grep -q "$(printf '\033')\[31mRED" "$TMP/raw.out" &&
    ! grep -q "$(printf '\033')\[2JHALL" "$TMP/raw.out" &&
    ! grep -q "$(printf '\302\233')" "$TMP/raw.out"; then
	ok "titles, halls and genres with escape sequences reach the terminal as text, the sequences replaced ($(wc -c <"$TMP/raw.out") bytes checked)"
else
	nok "escape sequences in data do not reach the terminal (PWNED shown $shown times)"
	grep -a -o ".\{0,8\}PWNED.\{0,8\}" "$TMP/raw.out" | head -3 | cat -v | sed 's/^/# /'
fi
# The same data printed by the command-line program on a terminal (a
# pty from script(1)) and into a pipe: sanitised only on the terminal.
script -qefc "$BUILD/cinetty film list" /dev/null >"$TMP/cli.out" 2>&1
"$BUILD/cinetty" film list >"$TMP/cli.pipe" 2>&1
if grep -q PWNED "$TMP/cli.out" &&
    ! grep -q "$(printf '\033')]0;PWNED" "$TMP/cli.out" &&
    grep -q "$(printf '\033')]0;PWNED" "$TMP/cli.pipe"; then
	ok "cinetty film list on a terminal shows the titles without their escape sequences (a pipe gets the data as stored)"
else
	nok "cinetty film list on a terminal strips escape sequences"
	grep -a PWNED "$TMP/cli.out" | head -2 | cat -v | sed 's/^/# /'
fi
echo "# escape sequences: 3 kinds in 3 tables shown over SSH and by the command-line program"
