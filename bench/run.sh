#!/bin/sh
# make bench: entente's figures beside references measured in the same run
# on this machine: nginx serving the very same bytes, and raw SQLite
# INSERT + COMMIT on the same disk with entente's settings. Load from wrk
# on loopback, bounded in time. Printed with the goal of each figure, never
# asserted: this machine is shared, only ratios of one run mean anything.
set -eu
cd "$(dirname "$0")/.."
D=${BENCH_SECONDS:-5}
C=${BENCH_CONNECTIONS:-64}
BIN=${ENTENTE_BIN:-build/entente}
mkdir -p build/bench
cc -O2 -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -o build/bench/sqlite_ref bench/sqlite_ref.c -lsqlite3
dir=$(mktemp -d)
pid=
ngx=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$ngx" ] && kill "$ngx" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

"$BIN" --db "$dir/b.db" init --demo >/dev/null
tok=$("$BIN" --db "$dir/b.db" token create --email vp@dmtf.example)
# an open ballot for the write figures: the VP casts and changes a vote
"$BIN" --db "$dir/b.db" wr socialize --id 1 >/dev/null
"$BIN" --db "$dir/b.db" wr submit --id 1 >/dev/null
"$BIN" --db "$dir/b.db" serve --listen 127.0.0.1:0 --ready-file "$dir/ready" --tick 0 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
U=$(cat "$dir/ready")

# nginx on the same bytes: each response body entente gives, as a file
mkdir -p "$dir/www" "$dir/ngx"
chmod 755 "$dir" "$dir/www" # nginx's workers run as another user
curl -fsS -H "Authorization: Bearer $tok" "$U/api/v1/work-registers/1" >"$dir/www/wr1.json"
curl -fsS "$U/registers" >"$dir/www/registers.html"
curl -fsS "$U/registers/feed.atom" >"$dir/www/feed.atom"
nport=$(( 20000 + $$ % 20000 ))
cat >"$dir/ngx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $dir/ngx/nginx.pid;
error_log $dir/ngx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/ngx/body;
  proxy_temp_path $dir/ngx/proxy;
  fastcgi_temp_path $dir/ngx/fastcgi;
  uwsgi_temp_path $dir/ngx/uwsgi;
  scgi_temp_path $dir/ngx/scgi;
  types { application/json json; text/html html; application/atom+xml atom; }
  server { listen 127.0.0.1:$nport; root $dir/www; }
}
EOF
nginx -c "$dir/ngx/nginx.conf" -p "$dir/ngx" &
ngx=$!
sleep 0.5
N="http://127.0.0.1:$nport"

cat >"$dir/vote.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"choice":"yes"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $tok"
EOF

# wrk URL CONNECTIONS [SCRIPT]: "req/s p99_ms non2xx errors"
bench() {
	threads=2
	[ "$2" -lt 2 ] && threads=1
	out=$(wrk -t"$threads" -c"$2" -d"${D}s" --latency -H "Authorization: Bearer $tok" ${3:+-s "$3"} "$1" 2>&1)
	rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errs=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
	echo "${rate:-0} ${p99:-0} ${bad:-0} ${errs:-0}"
}

row() { # name entente-figures reference-rate goal
	set -- "$1" $2 "$3" "$4"
	printf "%-46s %9.0f %9.2f %6s %6s   %7.2fx   %s\n" "$1" "$2" "$3" "$4" "$5" "$(echo "$2 $6" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" "$7"
}

echo "make bench: $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d), $(nproc) cores, wrk ${D}s, $C connections"
ref_wr=$(bench "$N/wr1.json" "$C")
ref_reg=$(bench "$N/registers.html" "$C")
ref_feed=$(bench "$N/feed.atom" "$C")
ref_sql=$(./build/bench/sqlite_ref "$dir/ref.db" 3)
printf "%-46s %9s %9s %6s %6s   %8s   %s\n" "figure" "req/s" "p99 ms" "non2xx" "errors" "vs ref" "goal"
row "nginx, the WR document's bytes (reference)" "$ref_wr" "${ref_wr%% *}" ""
row "GET /api/v1/work-registers/1" "$(bench "$U/api/v1/work-registers/1" "$C")" "${ref_wr%% *}" ">= 0.70x nginx, p99 < 5 ms"
row "GET /registers" "$(bench "$U/registers" "$C")" "${ref_reg%% *}" ">= 0.70x nginx"
row "GET /registers/feed.atom" "$(bench "$U/registers/feed.atom" "$C")" "${ref_feed%% *}" ">= 0.70x nginx"
row "GET /api/v1/work-registers (first page)" "$(bench "$U/api/v1/work-registers" "$C")" "${ref_wr%% *}" ""
row "GET /api/v1/me/tasks" "$(bench "$U/api/v1/me/tasks" "$C")" "${ref_wr%% *}" ""
printf "%-46s %9.0f\n" "raw SQLite INSERT+COMMIT, WAL, FULL (reference)" "$ref_sql"
row "POST /api/v1/ballots/1/votes, 1 connection" "$(bench "$U/api/v1/ballots/1/votes" 1 "$dir/vote.lua")" "$ref_sql" ">= 1.00x raw SQLite"
row "POST /api/v1/ballots/1/votes, $C connections" "$(bench "$U/api/v1/ballots/1/votes" "$C" "$dir/vote.lua")" "$ref_sql" ">= 2.00x raw SQLite"
rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
echo "server RSS after the run: $rss kB (goal: idle under 16 MB, no growth)"
