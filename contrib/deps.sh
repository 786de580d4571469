#!/bin/sh
# deps.sh - make sure every package cinetty builds, tests and demos with is
# installed. As root, missing packages are installed with apt-get (one
# `apt-get update`, then one `apt-get install -y`). As another user, the exact
# command to run is printed and the script fails.
set -eu

# Debian package, and how to tell it is present: "pc:NAME" (pkg-config
# module), "cmd:NAME" (a program on PATH or an absolute path), "file:PATH".
PACKAGES="
build-essential     cmd:gcc
pkg-config          cmd:pkg-config
libpq-dev           pc:libpq
libhiredis-dev      pc:hiredis
libssh-dev          pc:libssh
libargon2-dev       pc:libargon2
libncurses-dev      pc:ncursesw
libcmocka-dev       pc:cmocka
libqrencode-dev     pc:libqrencode
postgresql-15       cmd:/usr/lib/postgresql/15/bin/pg_ctl
postgresql-contrib  file:/usr/share/postgresql/15/extension/btree_gist.control
redis-server        cmd:redis-server
redis-tools         cmd:redis-cli
tmux                cmd:tmux
openssh-client      cmd:ssh
sshpass             cmd:sshpass
mandoc              cmd:mandoc
procps              cmd:pkill
haproxy             cmd:/usr/sbin/haproxy
pgbouncer           cmd:/usr/sbin/pgbouncer
clang-14            cmd:clang-14
valgrind            cmd:valgrind
libclang-rt-14-dev  glob:/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a
"

present() {
	case "$1" in
	pc:*)   pkg-config --exists "${1#pc:}" 2>/dev/null ;;
	cmd:/*) [ -x "${1#cmd:}" ] ;;
	cmd:*)  command -v "${1#cmd:}" >/dev/null 2>&1 ;;
	file:*) [ -e "${1#file:}" ] ;;
	glob:*) for f in ${1#glob:}; do [ -e "$f" ] && return 0; done; return 1 ;;
	esac
}

missing=""
# pkg-config itself is needed to test the pc: entries.
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
set -- $PACKAGES
while [ $# -ge 2 ]; do
	if ! present "$2"; then
		case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac
	fi
	shift 2
done
missing=$(echo $missing)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: $missing" >&2
	echo "deps.sh: install them with:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
	exit 1
fi
echo "deps.sh: installing: $missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages such as postgresql and redis-server start a system-wide server on
# install; cinetty runs its own, so keep the package scripts from starting one.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
fi
trap '[ "$added_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -q >&2
apt-get install -y -q --no-install-recommends $missing >&2
