#!/bin/bash
# fault-worker.sh - a `cinetty worker` killed (SIGKILL) in the middle of a
# job: the job (a confirmation mail whose mailer takes 3 s) runs again in
# another worker once its lease (4 s) has lapsed, exactly once, and the
# mail goes out exactly once.
. "$(dirname "$0")/lib.sh"

LEASE=4
export CINETTY_JOB_LEASE_SECONDS=$LEASE
export CINETTY_SWEEP_SECONDS=1
ft_stack
ft_data

# Bookings (with their mail) from a short load, no worker running; then
# one unsent mail left and an empty queue.
"$BUILD/fault/fault-load" 1 2 4 >/dev/null 2>"$FT/load.err" ||
	{ nok "the load made bookings"; cat "$FT/load.err"; exit 1; }
sql "DELETE FROM mail_outbox WHERE id <> (SELECT min(id) FROM mail_outbox)"
MAIL=$(sql "SELECT id FROM mail_outbox")
redis-cli -s "$REDIS_SOCK" flushall >/dev/null
[ -n "$MAIL" ] || { nok "a mail to send"; exit 1; }

# The mailer: notes its start, takes 3 s, then delivers into a file.
mkdir -p "$FT/mail"
cat >"$FT/mailer.sh" <<EOF
#!/bin/sh
echo "start \$(date +%s%N)" >>"$FT/mailer.log"
sleep 3
cat >"$FT/mail/\$(date +%s%N).\$\$"
echo "sent \$(date +%s%N)" >>"$FT/mailer.log"
EOF
chmod +x "$FT/mailer.sh"
export CINETTY_MAIL_COMMAND="$FT/mailer.sh"

CINETTY_LOG_LEVEL=info "$BUILD/cinetty" worker >"$FT/w1.log" 2>&1 &
W1=$!
PIDS="$PIDS $W1"
if ! wait_until 15 grep -qs start "$FT/mailer.log"; then
	nok "the first worker starts the mail job"
	sed 's/^/# /' "$FT/w1.log"
	exit 1
fi
kill -KILL "$W1"
wait "$W1" 2>/dev/null
t_kill=$(date +%s%N)
note "worker 1 killed while its mailer ran"

CINETTY_LOG_LEVEL=info "$BUILD/cinetty" worker >"$FT/w2.log" 2>&1 &
W2=$!
PIDS="$PIDS $W2"
sent() { [ "$(sql "SELECT sent_at IS NOT NULL FROM mail_outbox WHERE id = $MAIL")" = t ]; }
if wait_until 30 sent; then
	ms=$((($(date +%s%N) - t_kill) / 1000000))
	ok "the mail job ran again in another worker and finished (${ms} ms after the kill; lease ${LEASE} s, mailer 3 s)"
else
	nok "the mail job ran again in another worker and finished"
	sed 's/^/# w2: /' "$FT/w2.log"
fi
# Anything still on its way would arrive within the mailer's 3 s.
sleep 4
starts=$(grep -c '^start' "$FT/mailer.log")
files=$(ls "$FT/mail" | wc -l)
check "the job ran twice in all: the killed run and once more ($starts mailer starts)" \
    [ "$starts" = 2 ]
check "the mail went out exactly once ($files delivered)" [ "$files" = 1 ]
first=$(sed -n '1s/^start //p' "$FT/mailer.log")
second=$(sed -n '2s/^start //p' "$FT/mailer.log")
if [ -n "$second" ]; then
	gap=$(((second - first) / 1000000))
	check "it ran again only after its lease had lapsed (${gap} ms after the first start; lease ${LEASE} s)" \
	    [ "$gap" -ge $((LEASE * 1000 - 1000)) ]
fi
done=$(grep -c "event=job_done job=mail:$MAIL " "$FT/w2.log")
check "the second worker finished the job once ($done job_done)" [ "$done" = 1 ]
check "recorded once: sent, one attempt" \
    [ "$(sql "SELECT attempts FROM mail_outbox WHERE id = $MAIL")" = 1 ]
check "nothing left in flight or dead" \
    [ "$(redis-cli -s "$REDIS_SOCK" zcard cinetty:jobs:inflight)$(redis-cli -s "$REDIS_SOCK" zcard cinetty:jobs:dead)" = 00 ]
check "no mailer process of the killed worker is left" \
    [ -z "$(pgrep -f "$FT/mailer.sh")" ]
exit 0
