#!/bin/sh
# A throwaway PostgreSQL for the PostgreSQL engine (issue 26): a cluster
# made by Debian's initdb in a temporary directory, listening on a free
# port of 127.0.0.1 only and on a socket in that directory, trust
# authentication for its own user; runs the command given with
# ENTENTE_PG_URL set, then stops the server and removes the directory,
# also when the command fails or the script is interrupted.
#
# Usage: tests/pg/pg.sh COMMAND [ARG...]   (no command: prints the URL and
# waits until interrupted, for a server to try things against by hand)
#
# initdb refuses to run as root: as root, the cluster belongs to the
# postgres user Debian's package makes (runuser), and the directory is
# made for it; as anyone else, to the caller.
set -eu
bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$bindir/initdb" ] || { echo "pg.sh: no $bindir/initdb: apt-get install postgresql (make deps-test)" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/entente-pg.XXXXXX")
chmod 0755 "$dir"
as=""
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
	owner=postgres
	chown postgres: "$dir"
	as="runuser -u postgres --"
fi

sleeper=""
stop() {
	rc=$?
	trap - EXIT INT TERM HUP
	[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
	if [ -f "$dir/data/postmaster.pid" ]; then
		$as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# a free port: ask the kernel for one, then give it to the server (the
# window between is a few milliseconds; a clash fails pg_ctl and says so)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# C.UTF-8: the text search folds the case of any letter, not only ASCII's;
# the columns' own order is COLLATE "C" whatever the cluster's locale
$as "$bindir/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
# fsync stays on: the engine's durability is what is tested
$as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
	-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=60" start >/dev/null ||
	{ cat "$dir/server.log" >&2; exit 1; }
$as "$bindir/createdb" -h "$dir" -p "$port" -U "$owner" entente

ENTENTE_PG_URL="postgresql://$owner@127.0.0.1:$port/entente"
export ENTENTE_PG_URL
echo "pg.sh: $ENTENTE_PG_URL (log $dir/server.log)" >&2
if [ $# -eq 0 ]; then
	echo "$ENTENTE_PG_URL"
	# waited for in the background: a signal to this script ends it at once
	while :; do
		sleep 3600 &
		sleeper=$!
		wait "$sleeper" || true
	done
fi
"$@"
