#!/bin/sh
# test-forms.sh - hostile text in the app's forms and on its screens.
#
# Typed into forms (headless app): SQL metacharacters, NUL and other
# control bytes, an escape sequence, a C1 control, invalid UTF-8,
# right-to-left and combining characters, 10 KB pastes. Each is either
# refused with a message on the field or stored exactly as typed; the
# tables survive. Then data that bypassed the forms (written straight into
# the database) with terminal escape sequences is shown over SSH: the bytes
# the client receives carry the text but none of the sequences.
. tests/e2e/office-lib.sh

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

RTL=$(printf '\342\200\256')			# U+202E RIGHT-TO-LEFT OVERRIDE
ARABIC=$(printf '\331\205\330\261\330\255\330\250\330\247')	# marhaba
COMB=$(printf 'e\314\201\314\201\314\201\314\201')	# e + 4 combining acutes
SQLI="Bobby'); DROP TABLE accounts;--"
NAME="$SQLI $RTL$ARABIC $COMB"
TITLE="Film'); DROP TABLE movies;-- $RTL$ARABIC $COMB"

# hostile FIELDMAX: script lines that throw every bad input at the focused
# field, each followed by the message it must give, then clear the field.
# (An ESC byte is the Esc key, which leaves the form: escape sequences in
# data are tested on screen below; here the 8-bit CSI, U+009B, stands in.)
hostile() {
	cat <<KEYS
bytes 00
expect control characters are not allowed
bytes 01 07 7f
expect control characters are not allowed
bytes c2 9b
expect control characters are not allowed
bytes ff fe c0 af ed a0 80
expect invalid UTF-8 input was rejected
bytes e2 82
key Tab
key BTab
expect invalid UTF-8 input was rejected
paste 1000 xxxxxxxxxx
expect too long: at most
key C-u
KEYS
}

# ------------------------------------------------------------------
# Sign-up: every field gets the hostile inputs; the full name keeps SQL,
# right-to-left and combining characters exactly.

{
	echo "key u"
	echo "expect Create an account"
	hostile 32
	echo "type $SQLI"
	echo "key Tab"
	hostile 254
	echo "type o'brien--\$1@example.com"
	echo "key Tab"
	hostile 100
	echo "type $NAME"
	echo "key Tab"
	echo "type pw'; DROP TABLE x;-- $RTL"
	echo "key Tab"
	echo "type pw'; DROP TABLE x;-- $RTL"
	echo "key Enter"
	echo "expect letters, digits"
	echo "key C-u"
	echo "type formuser$$"
	echo "key Enter 5"
	echo "expect Welcome, formuser$$!"
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
if out=$("$BUILD/cinetty" tui --size 120x36 --script /dev/stdin \
    >"$TMP/signin.screen" 2>&1 <<KEYS
key i
type formuser$$
key Tab
type pw'; DROP TABLE x;-- $RTL
key Enter
expect formuser$$
KEYS
); then
	ok "signing in with a password of SQL and right-to-left characters works"
else
	nok "signing in with a hostile password ($out)"
	sed 's/^/# /' "$TMP/signin.screen"
fi

# ------------------------------------------------------------------
# The admin's film form: title, description, genres.

cat >"$TMP/film.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key f
key n
$(hostile 200)
type $TITLE
key Tab
paste 1000 dddddddddd
expect too long: at most 120 characters
key Tab
type 95
key Tab
key Tab
key Tab
$(hostile 120)
type $RTL$ARABIC, $COMB, x'--
key Enter
expect Saved
key Esc
key Esc
key Esc
key q
KEYS
if headless film admin; then
	ok "the film form refuses hostile input with messages and saves the rest"
else
	nok "the film form handles hostile input"
	grep -v ' level=' "$TMP/film.err" | head -20 | sed 's/^/# /'
	sed 's/^/# /' "$TMP/film.screen"
fi
# psql substitutes :'t' (quoted) only in what it reads, not in -c.
q() { echo "$1" | psql -qAtX -v "t=$TITLE"; }
n=$(q "SELECT count(*) FROM movies WHERE title = :'t'")
g=$(q "SELECT string_agg(g.name, '|' ORDER BY g.name) FROM movies m
    JOIN movie_genres mg ON mg.movie_id = m.id JOIN genres g
    ON g.id = mg.genre_id WHERE m.title = :'t'")
d=$(q "SELECT length(description) FROM movies WHERE title = :'t'")
if [ "$n" = 1 ] && [ -n "$g" ] && [ "${d:-0}" -le 120 ]; then
	ok "the film's title is stored exactly, genres '$g', description cut to the field ($d chars)"
else
	nok "the hostile film is stored exactly (count $n, genres '$g', description $d)"
fi
c=$(sql "SELECT count(*) FROM accounts") m=$(sql "SELECT count(*) FROM movies")
bad=$(sql "SELECT (SELECT count(*) FROM accounts WHERE full_name ~ '[[:cntrl:]]'
    OR email ~ '[[:cntrl:]]') + (SELECT count(*) FROM movies
    WHERE title ~ '[[:cntrl:]]') + (SELECT count(*) FROM genres
    WHERE name ~ '[[:cntrl:]]')")
if [ "$c" -gt 1 ] && [ "$m" -gt 1 ] && [ "$bad" = 0 ]; then
	ok "the tables are intact ($c accounts, $m films) and no control character was stored"
else
	nok "tables intact and no control characters stored ($c, $m, $bad)"
fi

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
echo "# hostile inputs: 37 typed into 5 fields of 2 forms (6 kinds each, plus SQL, RTL, combining), 3 kinds of escape sequence in 3 tables shown over SSH"
