#!/bin/sh
# test-forms-office.sh - hostile text in the box office's and the back
# office's forms (the list of every form is at the top of test-forms.sh).
# Each form runs headless on its own: every text field gets hostile() (or
# hostile_num() for digits) and must answer each value with a message on
# the field; then values with SQL, right-to-left and combining characters
# are saved through the form and compared byte for byte in PostgreSQL: a
# film, a theatre, a showtime of that film in that theatre, a ticket type,
# a walk-up sale's customer name. The tables survive.
. tests/e2e/office-lib.sh
. tests/e2e/forms-lib.sh

TITLE="Film'); DROP TABLE movies;-- $RTL$ARABIC $COMB"
DESC="$SQLI \$1 %s %n $RTL$ARABIC"
GENRES="$RTL$ARABIC, $COMB, x'--"
HALL="Hall'; DELETE FROM seats;-- $RTL$COMB"
LABEL="Tix'); DROP TABLE x;-- $RTL$COMB"
CUSTOMER="$SQLI $RTL$ARABIC $COMB"
DAY=$(date -u -d "+2 days" +%Y-%m-%d)
# psql substitutes :'v' (quoted) only in what it reads, not in -c.
q() { v=$1; shift; echo "$*" | psql -qAtX -v "v=$v"; }

# play NAME USER DESCRIPTION: play $TMP/NAME.keys as USER; ok or not ok.
play() {
	if headless "$1" "$2"; then ok "$3"; else
		nok "$3"
		grep -v ' level=' "$TMP/$1.err" | head -20 | sed 's/^/# /'
		sed 's/^/# /' "$TMP/$1.screen"
	fi
}

# ------------------------------------------------------------------
# The film form: every field; the title, description and genres stored.
{
	echo "type $CINETTY_ADMIN_PASSWORD"
	echo "key Enter"
	echo "key d"
	echo "key f"
	echo "key n"
	hostile film title
	echo "type $TITLE"
	echo "key Tab"
	hostile film description
	echo "type $DESC"
	echo "key Tab"
	hostile_num film runtime
	echo "type 95"
	echo "key Tab"
	hostile film rating
	echo "type PG"
	echo "key Tab"
	hostile film poster_url
	echo "key Tab"
	hostile film genres
	echo "type $GENRES"
	echo "key Enter"
	echo "expect Saved"
	stored 5
} >"$TMP/film.keys"
play film admin "the film form refuses hostile input on all 6 fields with messages and saves the rest"
n=$(q "$TITLE" "SELECT count(*) FROM movies WHERE title = :'v'")
d=$(q "$DESC" "SELECT count(*) FROM movies WHERE description = :'v'")
g=$(q "$TITLE" "SELECT string_agg(g.name, '|' ORDER BY g.name) FROM movies m
    JOIN movie_genres mg ON mg.movie_id = m.id JOIN genres g
    ON g.id = mg.genre_id WHERE m.title = :'v'")
want=$(printf '%s\n' "$RTL$ARABIC" "$COMB" "x'--" | sort | paste -sd'|')
if [ "$n" = 1 ] && [ "$d" = 1 ] && [ "$g" = "$want" ]; then
	ok "the film's title, description and 3 genres are stored exactly as typed"
else
	nok "the hostile film is stored exactly (title $n, description $d, genres '$g', want '$want')"
fi

# ------------------------------------------------------------------
# The theatre: its name, and the layout text (whose own editor takes any
# key: control keys do nothing, other characters are named by the parser).
{
	echo "type $CINETTY_ADMIN_PASSWORD"
	echo "key Enter"
	echo "key d"
	echo "key t"
	echo "key n"
	hostile theatre name
	echo "type $HALL"
	echo "key Tab"
	echo "# hostile-field theatre layout 5"
	echo "bytes 00 01 07 7f c2 9b ff fe e2 82"
	echo "type SS"
	echo "reject SS$(printf '\001')"
	echo "type $RTL"
	echo "expect line 1, column 3"
	echo "key C-u"
	echo "type $SQLI"
	echo "expect line 1, column 1"
	echo "key C-u"
	echo "paste 1000 SSSSSSSSSS"
	echo "expect line 1"
	echo "key C-u"
	echo "type SSSSSS"
	echo "key Enter"
	echo "type PPPPPP"
	echo "key C-s"
	echo "expect Saved"
	stored 1
} >"$TMP/theatre.keys"
play theatre admin "the theatre form refuses hostile names with messages, the layout editor names what is wrong, and the theatre is saved"
n=$(q "$HALL" "SELECT count(*) FROM theatres WHERE name = :'v' AND capacity = 12")
if [ "$n" = 1 ]; then
	ok "the theatre's name with SQL, right-to-left and combining characters is stored exactly (12 seats)"
else
	nok "the hostile theatre is stored exactly ($n)"
fi

# ------------------------------------------------------------------
# A showtime of that film in that theatre: every field, then saved by
# typing the hostile title and name.
{
	echo "type $CINETTY_ADMIN_PASSWORD"
	echo "key Enter"
	echo "key d"
	echo "key s"
	echo "key a"
	hostile showtime film
	echo "type $TITLE"
	echo "key Tab"
	hostile showtime theatre
	echo "type $HALL"
	echo "key Tab"
	hostile_num showtime date "a date is YYYY-MM-DD"
	echo "type $DAY"
	echo "key Tab"
	hostile showtime starts_at
	echo "type 10:00"
	echo "key Tab"
	hostile showtime price
	echo "type 10.00"
	echo "key Tab"
	hostile_num showtime days
	echo "type 1"
	echo "key Enter"
	echo "expect Scheduled"
} >"$TMP/showtime.keys"
play showtime admin "the showtime form refuses hostile input on all 6 fields and schedules the hostile film in the hostile theatre"
n=$(q "$TITLE" "SELECT count(*) FROM showtimes s JOIN movies m ON m.id = s.movie_id
    JOIN theatres t ON t.id = s.theatre_id WHERE m.title = :'v'
    AND t.name = '$(echo "$HALL" | sed "s/'/''/g")'")
if [ "$n" = 1 ]; then ok "the showtime joins the film and theatre with hostile names"
else nok "a showtime of the hostile film in the hostile theatre ($n)"; fi

# ------------------------------------------------------------------
# Prices: a new ticket type's code, label and percent.
{
	echo "type $CINETTY_ADMIN_PASSWORD"
	echo "key Enter"
	echo "key d"
	echo "key c"
	echo "key n"
	hostile prices code
	echo "type $SQLI"
	echo "key Tab"
	hostile prices label
	echo "type $LABEL"
	echo "key Tab"
	hostile_num prices percent
	echo "type 90"
	echo "key Enter"
	echo "expect lowercase letters"
	echo "key C-u"
	echo "type hostile"
	echo "key Enter 3"
	echo "expect Tix'); DROP TABLE x;--"
	stored 2
} >"$TMP/prices.keys"
play prices admin "the ticket type form refuses hostile input with messages, a code of SQL is refused by core on its field, the label is saved"
n=$(q "$LABEL" "SELECT count(*) FROM ticket_types WHERE code = 'hostile' AND label = :'v'")
if [ "$n" = 1 ]; then ok "the ticket type's label with SQL and right-to-left characters is stored exactly"
else nok "the hostile ticket type label is stored exactly ($n)"; fi

# ------------------------------------------------------------------
# Reports' date range, the reservations' filters, the / searches.
{
	echo "type $CINETTY_ADMIN_PASSWORD"
	echo "key Enter"
	echo "key d"
	echo "key p"
	echo "key f"
	hostile_num reports from "a date is YYYY-MM-DD"
	echo "key Tab"
	hostile_num reports to "a date is YYYY-MM-DD"
	echo "key Esc"
	echo "key Esc"
	echo "key r"
	echo "key f"
	hostile_num reservations from "a date is YYYY-MM-DD"
	echo "key Tab"
	hostile_num reservations to "a date is YYYY-MM-DD"
	echo "key Tab"
	hostile reservations film
	echo "key Tab"
	hostile reservations theatre
	echo "key Tab"
	hostile reservations status
	echo "key Tab"
	hostile reservations code
	echo "key Tab 3"
	echo "type $SQLI"
	echo "key Enter 4"
	echo "expect no such film"
	echo "key Esc"
	echo "key Esc"
	echo "key u"
	echo "key /"
	hostile search users
	echo "type $SQLI"
	echo "key Enter"
	echo "expect Search: $SQLI"
	echo "key Esc"
	echo "key f"
	echo "key /"
	hostile search films
	echo "type Film'); DROP"
	echo "key Enter"
	echo "expect DROP TABLE movies"
	echo "key /"
	echo "key Backspace 4"
	echo "type Amélie"
	echo "key Enter"
	echo "expect Search: Film'); Amélie"
	stored 2
} >"$TMP/filters.keys"
play filters admin "report dates, reservation filters and the / searches refuse or drop hostile input"

# ------------------------------------------------------------------
# The box office: check-in, find, a walk-up sale, the shift summary.
{
	echo "type cinetty-demo"
	echo "key Enter"
	echo "key x"
	echo "expect Check-in"
	echo "key c"
	hostile check-in code
	echo "type $SQLI"
	echo "key Enter"
	echo "expect is not a booking code"
	echo "key Esc"
	echo "key f"
	hostile find query
	echo "type $SQLI"
	echo "key Enter"
	echo "expect No booking matches"
	echo "key Esc"
	echo "key s"
	echo "key e"
	hostile shift since
	echo "key Esc"
	echo "key Esc"
	echo "key t"
	echo "key ]"
	echo "key Enter"
	echo "type b2"
	echo "key Enter"
	echo "key Enter"
	hostile_num sale cash "digits here; k: card"
	echo "key Tab"
	hostile sale name
	echo "type $CUSTOMER"
	echo "key BTab"
	echo "type 100"
	echo "key Enter"
	echo "expect Change due"
	stored 1
} >"$TMP/boxoffice.keys"
play boxoffice alice "check-in, find, shift and the walk-up sale refuse hostile input with messages; the sale keeps the customer's name"
n=$(q "$CUSTOMER" "SELECT count(*) FROM bookings WHERE customer_name = :'v'")
if [ "$n" = 1 ]; then ok "the walk-up customer's name with SQL, right-to-left and combining characters is stored exactly"
else nok "the walk-up customer's name is stored exactly ($n)"; fi

# ------------------------------------------------------------------
c=$(sql "SELECT count(*) FROM accounts") m=$(sql "SELECT count(*) FROM movies")
t=$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
bad=$(sql "SELECT (SELECT count(*) FROM movies WHERE title ~ '[[:cntrl:]\\u0080-\\u009f]'
    OR description ~ '[[:cntrl:]\\u0080-\\u009f]') + (SELECT count(*) FROM genres
    WHERE name ~ '[[:cntrl:]\\u0080-\\u009f]') + (SELECT count(*) FROM theatres
    WHERE name ~ '[[:cntrl:]\\u0080-\\u009f]') + (SELECT count(*) FROM ticket_types
    WHERE label ~ '[[:cntrl:]\\u0080-\\u009f]') + (SELECT count(*) FROM bookings
    WHERE customer_name ~ '[[:cntrl:]\\u0080-\\u009f]')")
if [ "$c" -gt 1 ] && [ "$m" -gt 1 ] && [ "$t" -ge 20 ] && [ "$bad" = 0 ]; then
	ok "the tables are intact ($t tables, $c accounts, $m films) and no control character was stored"
else
	nok "tables intact and no control characters stored ($t tables, $c accounts, $m films, $bad bad)"
fi
tried_line "$TMP"/*.keys
