#!/bin/sh
# make bench: figures for the main requests of entente, each with its ratio
# to a reference measured in the same run against the same server (GET
# /healthz: the HTTP stack and one SQLite read, no domain work). Loopback
# only, bounded counts. Numbers are printed, never asserted.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_REQUESTS:-3000}
T=${BENCH_THREADS:-4}
mkdir -p build/bench
cc -O2 -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -o build/bench/load bench/load.c -lcurl -lpthread
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
./build/entente --db "$dir/b.db" init --demo >/dev/null
tok=$(./build/entente --db "$dir/b.db" token create --email vp@dmtf.example)
# an open ballot for the write benchmark: the VP changes their vote
./build/entente --db "$dir/b.db" wr socialize --id 1 >/dev/null
./build/entente --db "$dir/b.db" wr submit --id 1 >/dev/null
./build/entente --db "$dir/b.db" serve --listen 127.0.0.1:0 --ready-file "$dir/ready" --tick 0 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
U=$(cat "$dir/ready")
run() { ./build/bench/load "$U$1" "$T" "$N" "$tok" "${2:-GET}" "${3:-}"; }
ref=$(run /healthz)
ref_rate=${ref%% *}
printf "%-44s %10s %9s %9s %8s %6s\n" "request ($N, $T connections)" "req/s" "p50 ms" "p99 ms" "vs ref" "5xx"
show() {
	set -- "$1" $2
	printf "%-44s %10s %9s %9s %7.2fx %6s\n" "$1" "$2" "$3" "$4" "$(echo "$2 $ref_rate" | awk '{print $1/$2}')" "$5"
}
show "GET /healthz (reference)" "$ref"
show "GET /api/v1/work-registers/1 (document)" "$(run /api/v1/work-registers/1)"
show "GET /api/v1/work-registers (list)" "$(run /api/v1/work-registers)"
show "GET /api/v1/me/tasks" "$(run /api/v1/me/tasks)"
show "GET /registers (public HTML)" "$(run /registers)"
show "POST /api/v1/markdown" "$(run /api/v1/markdown POST '{"texts":[{"text":"# Scope\n\n**bold** and a [link](https://example.org)"}]}')"
show "POST /api/v1/ballots/1/votes (write+audit)" "$(run /api/v1/ballots/1/votes POST '{"choice":"yes"}')"
