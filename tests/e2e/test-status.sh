#!/bin/sh
# test-status.sh - `cinetty status`: healthy on the test stack, in text and
# Prometheus form; names a Redis that is down and exits 1.
BUILD=${CINETTY_BUILD:-build}
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

out=$("$BUILD/cinetty" status 2>&1)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '^database    ok, .* migrations' &&
    echo "$out" | grep -q '^redis       ok, .* Redis 7' &&
    echo "$out" | grep -q '^jobs        0 due'; then
	ok "status reports the database, Redis and the job queue"
else
	nok "status reports the database, Redis and the job queue (rc=$rc)"
	echo "$out" | sed 's/^/# /'
fi

out=$("$BUILD/cinetty" status --prometheus 2>&1)
if echo "$out" | grep -q '^cinetty_up 1$' &&
    echo "$out" | grep -q '^# TYPE cinetty_jobs_dead gauge$' &&
    echo "$out" | grep -q '^cinetty_migrations_applied [1-9]'; then
	ok "status --prometheus prints gauges with cinetty_ names"
else
	nok "status --prometheus prints gauges with cinetty_ names"
	echo "$out" | sed 's/^/# /'
fi
bad=$(echo "$out" | grep -v '^#' | grep -cv '^cinetty_[a-z_]*\({[^}]*}\)\? [-0-9.e+]*$')
if [ "$bad" -eq 0 ]; then ok "every Prometheus sample line is well formed"
else nok "every Prometheus sample line is well formed ($bad bad)"; fi

out=$(CINETTY_REDIS=unix:/nonexistent/redis.sock "$BUILD/cinetty" status 2>/dev/null)
rc=$?
if [ $rc -eq 1 ] && echo "$out" | grep -q '^redis       DOWN: .*/nonexistent/redis.sock' &&
    echo "$out" | grep -q '^database    ok'; then
	ok "a down Redis is named, the database still reported, exit 1"
else
	nok "a down Redis is named, the database still reported, exit 1 (rc=$rc)"
	echo "$out" | sed 's/^/# /'
fi
