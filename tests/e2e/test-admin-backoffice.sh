#!/bin/sh
# test-admin-backoffice.sh - the back office on a real terminal (tmux): an
# admin creates a film, pastes a bad layout (the error names line and
# column) and then a good one, schedules the film twice in one theatre
# with the second overlapping (refused with core's message) and then moved
# (accepted), promotes a customer who then sees the box office on the next
# sign-in and sells a ticket, is refused demoting the last admin, and
# cancels a showtime after a confirmation that counts the refunds.
. tests/e2e/office-lib.sh

TOMORROW=$(date -u -d "+1 day" +%Y-%m-%d)

start_tui t admin "$CINETTY_ADMIN_PASSWORD"
check "Back office (admin)" "an admin sees the back office entry"
tm send-keys -t t d
check "Films and genres" "the back office menu opens"

# A film.
tm send-keys -t t f
check "films" "the film list opens"
tm send-keys -t t n
check "New film" "n opens the film form"
tm send-keys -t t -l "Admin Test Film"
tm send-keys -t t Tab
tm send-keys -t t -l "Made by the back-office test"
tm send-keys -t t Tab
tm send-keys -t t -l "100"
tm send-keys -t t Tab C-u
tm send-keys -t t -l "PG-13"
tm send-keys -t t Tab Tab
tm send-keys -t t -l "Thriller, Test"
tm send-keys -t t Enter
check 'Saved "Admin Test Film"' "the film is saved"
n=$(sql "SELECT count(*) FROM movies WHERE title = 'Admin Test Film' AND runtime_min = 100 AND rating = 'PG-13'")
[ "$n" = 1 ] && ok "the film is in the database with its runtime and rating" || nok "the film is in the database ($n)"
tm send-keys -t t n
check "New film" "the form opens again"
tm send-keys -t t -l "admin test film"
tm send-keys -t t Tab Tab
tm send-keys -t t -l "90"
tm send-keys -t t Tab Tab Tab Enter
check "already" "a duplicate title is refused in the form"
tm send-keys -t t Escape Escape

# A theatre from pasted layout text: first with a mistake.
tm send-keys -t t t
check "theatres," "the theatre list opens"
tm send-keys -t t n
check "New theatre" "n opens the layout editor"
tm send-keys -t t -l "Paste Hall"
tm send-keys -t t Tab
tm send-keys -t t -l "SSSSSS  SSSSSS
SSXSSS  SSSSSS
PPPPPP  PPPPPP"
check "line 2, column 3" "a bad layout shows the line and column of the error"
tm send-keys -t t C-s
check "line 2, column 3" "saving a bad layout is refused with the same place"
tm send-keys -t t C-u
tm send-keys -t t -l "SSSSSS  SSSSSS
SSSSSS  SSSSSS
PPPPPP  PPPPPP
WC            CW"
check "Preview: 40 seats" "a good layout is previewed with its seat count"
if screen | grep -q "SCREEN"; then ok "the preview draws the map"; else nok "the preview draws the map"; fi
tm send-keys -t t C-s
check "Saved Paste Hall: 40 seats" "the theatre is saved"
n=$(sql "SELECT count(*) FROM seats s JOIN theatres t ON t.id = s.theatre_id WHERE t.name = 'Paste Hall'")
[ "$n" = 40 ] && ok "the theatre has 40 seats in the database" || nok "the theatre has 40 seats in the database ($n)"
tm send-keys -t t Escape

# Schedule it at 08:00 tomorrow, then at 09:00 (overlaps), then 12:00.
tm send-keys -t t s
check "Schedule of" "the schedule opens"
add_showtime() {	# add_showtime HH:MM
	tm send-keys -t t a
	wait_for "Add a showtime" || nok "the showtime form opens"
	tm send-keys -t t -l "Admin Test"
	tm send-keys -t t Tab
	tm send-keys -t t -l "Paste"
	tm send-keys -t t Tab C-u
	tm send-keys -t t -l "$TOMORROW"
	tm send-keys -t t Tab
	tm send-keys -t t -l "$1"
	tm send-keys -t t Tab C-u
	tm send-keys -t t -l "11.00"
	tm send-keys -t t Enter Enter
}
add_showtime 08:00
check "Scheduled Admin Test Film" "a showtime is scheduled"
add_showtime 09:00
check "Paste Hall is busy" "an overlapping showtime is refused with core's message"
check "ends 10:55, cleaning until 11:10" "the form shows the computed end and cleaning time" 2
# The refusal put the focus on the start: move it and save.
tm send-keys -t t C-u
tm send-keys -t t -l "12:00"
tm send-keys -t t Enter Enter Enter
check "Scheduled Admin Test Film at $TOMORROW 12:00" "the moved showtime is accepted"
n=$(sql "SELECT count(*) FROM showtimes s JOIN movies m ON m.id = s.movie_id WHERE m.title = 'Admin Test Film'")
[ "$n" = 2 ] && ok "two showtimes of the film exist" || nok "two showtimes of the film exist ($n)"
tm send-keys -t t Escape

# Promote a customer; refuse demoting the last admin.
tm send-keys -t t u
check "accounts" "the user list opens"
tm send-keys -t t /
tm send-keys -t t -l "dave"
tm send-keys -t t Enter
check "dave@example.com" "searching finds the customer"
tm send-keys -t t p
check "dave is now staff" "p promotes the customer to staff"
tm send-keys -t t / BSpace BSpace BSpace BSpace
tm send-keys -t t -l "admin"
tm send-keys -t t Enter
check "admin@example.com" "searching finds the admin"
tm send-keys -t t d
check "is the last admin" "demoting the last admin is refused and the rule is shown"
role=$(sql "SELECT role FROM accounts WHERE username = 'admin'")
[ "$role" = admin ] && ok "the last admin is still an admin" || nok "the last admin is still an admin ($role)"

# The promoted account signs in and sees the box office; it sells 2 seats
# of tomorrow's 08:00 showtime.
start_tui d dave cinetty-demo
check "Box office (staff)" "the promoted account sees the box office on its next sign-in" 8 d
tm send-keys -t d x
check "Today at this cinema" "its box office menu opens" 8 d
tm send-keys -t d t
check "(today)" "the day list opens" 8 d
tm send-keys -t d ']'
check "Admin Test Film" "tomorrow lists the new showtime first" 8 d
for k in Enter b 2 Enter Enter Enter; do tm send-keys -t d "$k"; sleep 0.3; done
check "Change due 0.00" "the new staff member sells 2 seats" 8 d
tm send-keys -t d C-c

# Cancel the 08:00 showtime: the confirmation counts 1 booking.
tm send-keys -t t Escape s
check "Schedule of" "back at the schedule"
tm send-keys -t t ']'
check "Admin Test Film" "tomorrow's schedule shows the film"
# The 08:00 showtime is the day's first row, where the list starts.
tm send-keys -t t x
check "1 booking will be refunded" "cancel says how many bookings will be refunded"
tm send-keys -t t y
check "1 booking refunded" "the showtime is canceled with 1 refund"
st=$(sql "SELECT s.status FROM showtimes s JOIN movies m ON m.id = s.movie_id WHERE m.title = 'Admin Test Film' ORDER BY s.starts_at LIMIT 1")
b=$(sql "SELECT b.status FROM bookings b JOIN showtimes s ON s.id = b.showtime_id JOIN movies m ON m.id = s.movie_id WHERE m.title = 'Admin Test Film'")
[ "$st" = canceled ] && ok "the showtime is canceled in the database" || nok "the showtime is canceled in the database ($st)"
[ "$b" = refunded ] && ok "its booking is refunded" || nok "its booking is refunded ($b)"
tm send-keys -t t C-c
