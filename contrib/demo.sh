#!/bin/sh
# demo.sh BUILD - bring up the demo: a persistent stack under ./var,
# migrated and seeded, then cinettyd on 127.0.0.1:2222 in the foreground.
# Run it again any time: everything it does is idempotent.
set -eu
BUILD=${1:-build}
top=$(pwd)
var="$top/var"

mkdir -p "$var"
eval "$(sh contrib/stack up "$var")"

# The admin password: chosen once, kept in var/ so every run can show it.
if [ -z "${CINETTY_ADMIN_PASSWORD:-}" ]; then
	if [ ! -s "$var/admin-password" ]; then
		(umask 077 && od -An -N12 -tx1 /dev/urandom | tr -d ' \n' \
		    >"$var/admin-password")
	fi
	CINETTY_ADMIN_PASSWORD=$(cat "$var/admin-password")
fi
export CINETTY_ADMIN_PASSWORD

cat >"$var/cinetty.conf" <<EOT
# written by contrib/demo.sh; see cinetty.conf(5)
cinema_name = "cinetty demo"
redis = $CINETTY_REDIS
listen = 127.0.0.1:2222
host_key = $var/ssh_host_ed25519_key
worker = yes
mail_command =
EOT

"$BUILD/cinetty" -f "$var/cinetty.conf" migrate
"$BUILD/cinetty" -f "$var/cinetty.conf" seed

cat <<EOT

cinetty demo is ready.
  data:      PostgreSQL socket $PGHOST (database $PGDATABASE, user $PGUSER)
             psql -h $PGHOST -U $PGUSER $PGDATABASE
  redis:     $CINETTY_REDIS
  accounts:  admin / $CINETTY_ADMIN_PASSWORD
             alice, bob (staff) and carol, dave, erin, frank, grace
             (customers) / cinetty-demo
  stop:      sh contrib/stack down var
EOT

if [ -x "$BUILD/cinettyd" ]; then
	cat <<EOT
  connect:   ssh -p 2222 guest@localhost
             ssh -p 2222 carol@localhost   (password cinetty-demo)

Starting cinettyd on 127.0.0.1:2222 (Ctrl-C stops it)...
EOT
	exec "$BUILD/cinettyd" -d -f "$var/cinetty.conf"
fi
echo "  app:       $BUILD/cinetty -f var/cinetty.conf tui"
