#!/bin/sh
# test-admin-headless.sh - every back-office screen driven headless, so a
# sanitizer build (BUILD=build-san) checks them for memory errors and
# leaks: films and the film form, the layout editor with bad and good text,
# the schedule and the showtime form (a refused overlap), users, reports,
# reservations, prices, system, and the staff screens an admin reaches.
. tests/e2e/office-lib.sh

DAY=$(date -u -d "+2 days" +%Y-%m-%d)
cat >"$TMP/all.keys" <<KEYS
type $CINETTY_ADMIN_PASSWORD
key Enter
key d
key f
expect films
key /
type drama
key Enter
key s
key S
key n
type Headless Film
key Tab
type Sanitised
key Tab
type 95
key Tab
key Tab
key Tab
type Test, Drama, test
key Enter
expect Saved "Headless Film"
key Esc
key t
key n
type Headless Hall
key Tab
paste 3 SSSSSS  SSSSSS
key Enter
type PPXP
expect line 2, column 3
key Backspace 4
type PPPP
key Left
key Up
key Down
key End
key Home
key Delete
key C-s
expect Saved Headless Hall
key Enter
expect Replace a seat layout
key Esc
key Esc
key s
expect Schedule of
key ]
key ]
key a
type Headless
key Tab
type Headless
key Tab
key C-u
type $DAY
key Tab
type 10:00
key Enter
key Enter
key Enter
expect Scheduled Headless Film
key a
type Headless
key Tab
type Headless
key Tab
key C-u
type $DAY
key Tab
type 10:30
key Enter
key Enter
key Enter
expect is busy
key Esc
key e
expect Move or reprice
key Esc
key Esc
key u
key /
type carol
key Enter
key l
expect carol is locked
key l
expect carol is unlocked
key Esc
key p
expect Revenue by film
key b
key b
key m
key b
key b
key f
key Enter
key Enter
key Esc
key r
key PgDn
key End
key Home
key Enter
expect Booking
key t
key Esc
key f
key Tab 2
type no film like this
key Enter 4
expect no such film
key Esc
key Esc
key c
key Down
key Enter
type 100
key Enter
key Esc
key y
expect PostgreSQL
key Esc
key x
key t
key Enter
type b2
key Enter
key Enter
key k
expect Paid
key Esc
key Esc
key Esc
key q
KEYS
if headless all admin; then
	ok "every back-office screen runs headless$( [ "${BUILD%san}" != "$BUILD" ] && echo ' under sanitizers')"
else
	nok "every back-office screen runs headless"
	grep -v ' level=' "$TMP/all.err" | head -40; cat "$TMP/all.screen"
fi
