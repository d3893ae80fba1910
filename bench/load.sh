#!/bin/sh
# make load: a normal client's figures while entente is attacked from
# loopback (slow-loris from 16 addresses, a burst of vanishing, half-closed
# and silent connections). Printed, never asserted. ENTENTE_BIN picks the
# server; SERVE_FLAGS adds options to serve.
set -eu
cd "$(dirname "$0")/.."
BIN=${ENTENTE_BIN:-build/entente}
mkdir -p build/bench
cc -O2 -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -o build/bench/attack bench/attack.c -lpthread
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$BIN" --db "$dir/b.db" init --demo >/dev/null
# shellcheck disable=SC2086
"$BIN" --db "$dir/b.db" serve --listen 127.0.0.1:0 --ready-file "$dir/ready" --tick 0 ${SERVE_FLAGS:-} 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$dir/ready" ] || { echo "load: the server did not start"; cat "$dir/log"; exit 1; }
port=$(sed 's/.*://' "$dir/ready")
echo "$BIN ($(git rev-parse --short HEAD 2>/dev/null || echo "?")) on $(date -u +%Y-%m-%d), $(nproc) cores; serve ${SERVE_FLAGS:-(defaults)}"
./build/bench/attack 127.0.0.1 "$port" "${1:-all}"
