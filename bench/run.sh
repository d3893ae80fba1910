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
cc -O2 -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -o build/bench/burst bench/burst.c
dir=$(mktemp -d)
pid=
pid2=
ngx=
pg=
pid3=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid2" ] && kill "$pid2" 2>/dev/null; [ -n "$pid3" ] && kill "$pid3" 2>/dev/null; [ -n "$ngx" ] && kill "$ngx" 2>/dev/null; [ -n "$pg" ] && kill "$pg" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
E() { "$BIN" --db "$dir/b.db" "$@"; }
json_id() { sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' | head -1; }

"$BIN" --db "$dir/b.db" init --demo >/dev/null
tok=$("$BIN" --db "$dir/b.db" token create --email vp@dmtf.example)
# an open ballot for the write figures: the VP casts and changes a vote
E wr socialize --id 1 >/dev/null
E wr submit --id 1 >/dev/null

# BURST voters on one ballot: a committee of them, each with a token, and a
# WR whose Originating Committee it is, submitted (R17) so that its ballot
# opens with them all eligible
NB=${BURST:-1000}
body=$(E body add --name "Burst Committee" --kind committee --json | json_id)
: >"$dir/tokens"
i=0
while [ $i -lt "$NB" ]; do
	p=$(E person add --name "Voter $i" --email "voter$i@dmtf.example" --org-id 1 --json | json_id)
	role=voting
	[ $i -eq 0 ] && role=chair
	E body member-add --id "$body" --person-id "$p" --role $role >/dev/null
	E token create --email "voter$i@dmtf.example" >>"$dir/tokens"
	i=$((i + 1))
done
bwr=$(E wr create --partner-id 2 --title "Burst" --originating-body-id "$body" --owner-id 3 --scope "Many voters." \
	--benefits "Figures." --deliverables "A tally." --json | json_id)
E milestone add --id "$bwr" --description "The burst" --body-id "$body" --target-date 2030-01-01 >/dev/null
E contact add --id "$bwr" --name "Sam" --email sam@snia.example --role board_rep >/dev/null
E wr socialize --id "$bwr" >/dev/null
E wr submit --id "$bwr" >/dev/null
bballot=$(E ballot list --wr_id "$bwr" --json | json_id)

# --log-level warn: no access line per request, as nginx below runs with
# access_log off: both do the same work
start() { # start DB [options]: serve DB; its base URL in $dir/DB.ready
	db=$1
	shift
	"$BIN" --db "$dir/$db" serve --listen 127.0.0.1:0 --ready-file "$dir/$db.ready" --tick 0 --metrics-from 127.0.0.1 --log-level warn "$@" 2>>"$dir/log" &
	last=$!
	i=0
	while [ ! -s "$dir/$db.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
start b.db
pid=$last
U=$(cat "$dir/b.db.ready")
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
# one server per database (issue 23): the second its own copy, the same
# records and tokens
"$BIN" --db "$dir/b.db" backup --to "$dir/b2.db" >/dev/null
start b2.db --no-group-commit
pid2=$last
U2=$(cat "$dir/b2.db.ready")

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

# The server's counter NAME from /metrics.
metric() { { curl -fsS "$1/metrics" 2>/dev/null || true; } | awk -v n="$2" '$1 == n {v = $2} END {print v + 0}'; }

# wrk URL CONNECTIONS [SCRIPT]: "req/s p99_ms non2xx errors statements/request"
bench() {
	threads=2
	[ "$2" -lt 2 ] && threads=1
	base=${1%%/api/*}
	base=${base%%/registers*}
	s0=$(metric "$base" entente_sql_statements_total)
	r0=$(metric "$base" entente_http_requests_total)
	out=$(wrk -t"$threads" -c"$2" -d"${D}s" --latency -H "Authorization: Bearer $tok" ${3:+-s "$3"} "$1" 2>&1)
	s1=$(metric "$base" entente_sql_statements_total)
	r1=$(metric "$base" entente_http_requests_total)
	rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errs=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
	spr=$(echo "$s0 $s1 $r0 $r1" | awk '{print ($4 - $3 > 1 ? ($2 - $1) / ($4 - $3 - 1) : 0)}') # less the metrics read
	echo "${rate:-0} ${p99:-0} ${bad:-0} ${errs:-0} $spr"
}

row() { # name entente-figures reference-rate goal
	set -- "$1" $2 "$3" "$4"
	printf "%-46s %9.0f %9.2f %6s %6s %6.1f  %7.2fx   %s\n" "$1" "$2" "$3" "$4" "$5" "$6" "$(echo "$2 $7" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" "$8"
}

echo "make bench: $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d), $(nproc) cores, wrk ${D}s, $C connections"
ref_wr=$(bench "$N/wr1.json" "$C")
ref_reg=$(bench "$N/registers.html" "$C")
ref_feed=$(bench "$N/feed.atom" "$C")
ref_sql=$(./build/bench/sqlite_ref "$dir/ref.db" 3)
printf "%-46s %9s %9s %6s %6s %6s  %8s   %s\n" "figure" "req/s" "p99 ms" "non2xx" "errors" "SQL/r" "vs ref" "goal"
row "nginx, the WR document's bytes (reference)" "$ref_wr" "${ref_wr%% *}" ""
f_wr=$(bench "$U/api/v1/work-registers/1" "$C")
row "GET /api/v1/work-registers/1" "$f_wr" "${ref_wr%% *}" ">= 0.70x nginx, p99 < 5 ms"

row "GET /registers" "$(bench "$U/registers" "$C")" "${ref_reg%% *}" ">= 0.70x nginx"
row "GET /registers/feed.atom" "$(bench "$U/registers/feed.atom" "$C")" "${ref_feed%% *}" ">= 0.70x nginx"
f_list=$(bench "$U/api/v1/work-registers" "$C")
row "GET /api/v1/work-registers (first page)" "$f_list" "${ref_wr%% *}" ""
row "GET /api/v1/me/tasks" "$(bench "$U/api/v1/me/tasks" "$C")" "${ref_wr%% *}" ""
printf "%-46s %9.0f\n" "raw SQLite INSERT+COMMIT, WAL, FULL (reference)" "$ref_sql"
f_v1=$(bench "$U/api/v1/ballots/1/votes" 1 "$dir/vote.lua")
row "POST /api/v1/ballots/1/votes, 1 connection" "$f_v1" "$ref_sql" ">= 1.00x raw SQLite"
f_vc=$(bench "$U/api/v1/ballots/1/votes" "$C" "$dir/vote.lua")
row "POST /api/v1/ballots/1/votes, $C connections" "$f_vc" "$ref_sql" ">= 2.00x raw SQLite"
row "  the same, --no-group-commit, 1 connection" "$(bench "$U2/api/v1/ballots/1/votes" 1 "$dir/vote.lua")" "$ref_sql" "(each change its own commit)"
row "  the same, --no-group-commit, $C connections" "$(bench "$U2/api/v1/ballots/1/votes" "$C" "$dir/vote.lua")" "$ref_sql" ""
echo "write batches: $(metric "$U" entente_write_batches_total) commits held $(metric "$U" entente_write_batched_total) changes"

# the burst: every voter at the same moment, then the tally as the database has it
host=${U#http://}
set -- $(./build/bench/burst "${host%:*}" "${host##*:}" "/api/v1/ballots/$bballot/votes" "$dir/tokens" '{"choice":"yes"}')
tally=$(curl -fsS -H "Authorization: Bearer $tok" "$U/api/v1/ballots/$bballot" | tr ',' '\n' | sed -n 's/.*"cast":\([0-9]*\).*/\1/p' | head -1)
printf "%d voters at once on ballot %s: %d acknowledged (2xx), %d refused, %d unanswered, all within %.0f ms (p99 %.0f ms); tally: %s cast (goal: all within 1000 ms, tally exact)\n" \
	"$1" "$bballot" "$2" "$3" "$4" "$5" "$6" "$tally"

# memory: warm (after every figure and the burst: each thread's connection,
# statements, pages and buffers made) against a million requests later; at
# most a minute of load to get there
rss_warm=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
requests_warm=$(metric "$U" entente_http_requests_total)
requests=$requests_warm
i=0
while [ "$requests" -lt $((requests_warm + 1000000)) ] && [ $i -lt 12 ]; do
	wrk -t2 -c"$C" -d5s -H "Authorization: Bearer $tok" "$U/api/v1/work-registers/1" >/dev/null 2>&1
	wrk -t1 -c4 -d1s -H "Authorization: Bearer $tok" -s "$dir/vote.lua" "$U/api/v1/ballots/1/votes" >/dev/null 2>&1
	requests=$(metric "$U" entente_http_requests_total)
	i=$((i + 1))
done
rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
echo "server RSS: $rss_idle kB at start, $rss_warm kB warm (after $requests_warm requests), $rss kB $((requests - requests_warm)) requests later ($(echo "$rss $rss_warm" | awk '{printf "%.2f", $1 / $2}')x; goals: idle under 16 MB, no growth: within 2x after a million requests)"
echo "statements per request (SQL/r) and pages kept: $(metric "$U" 'entente_pages_total{outcome="kept"}') kept, $(metric "$U" 'entente_pages_total{outcome="built"}') built"

# Issue 26: the same figures on PostgreSQL, beside SQLite's above: a
# throwaway cluster from Debian's packages on the same disk
# (tests/pg/pg.sh: fsync on), the same demonstration and ballot, and as
# its reference PostgreSQL's own rate of one INSERT and COMMIT from one
# client (pgbench), as raw SQLite commits are SQLite's.
sh tests/pg/pg.sh >"$dir/pg.url" 2>"$dir/pg.log" &
pg=$!
i=0
while [ ! -s "$dir/pg.url" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
PGU=$(head -n 1 "$dir/pg.url")
if [ -z "$PGU" ]; then
	echo "PostgreSQL: no throwaway cluster ($(tail -n 1 "$dir/pg.log")): no PostgreSQL figures"
	exit 0
fi
P() { "$BIN" --db "$PGU" "$@"; }
P init --demo --signing-key "$dir/pg.signing-key" >/dev/null
ptok=$(P token create --email vp@dmtf.example)
P wr socialize --id 1 >/dev/null
P wr submit --id 1 >/dev/null
"$BIN" --db "$PGU" serve --listen 127.0.0.1:0 --ready-file "$dir/pg.ready" --tick 0 --metrics-from 127.0.0.1 --log-level warn \
	--signing-key "$dir/pg.signing-key" 2>>"$dir/log" &
pid3=$!
i=0
while [ ! -s "$dir/pg.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
UP=$(cat "$dir/pg.ready")
psql -q "$PGU" -c "CREATE TABLE bench_ref (id bigserial PRIMARY KEY, ballot bigint, voter bigint, choice text, at text)"
echo "INSERT INTO bench_ref (ballot, voter, choice, at) VALUES (1, :client_id, 'yes', '2026-01-01T00:00:00Z');" >"$dir/pgref.sql"
ref_pg=$(/usr/lib/postgresql/15/bin/pgbench -n -c 1 -T 3 -f "$dir/pgref.sql" "$PGU" 2>/dev/null | awk '/^tps/ {print int($3); exit}')
tok=$ptok # bench() sends it
sed "s/Bearer .*\"/Bearer $ptok\"/" "$dir/vote.lua" >"$dir/pgvote.lua"
p_wr=$(bench "$UP/api/v1/work-registers/1" "$C")
p_list=$(bench "$UP/api/v1/work-registers" "$C")
p_v1=$(bench "$UP/api/v1/ballots/1/votes" 1 "$dir/pgvote.lua")
p_vc=$(bench "$UP/api/v1/ballots/1/votes" "$C" "$dir/pgvote.lua")
echo
echo "PostgreSQL beside SQLite (req/s; in brackets each against its engine's reference: nginx for reads, its own raw commits for votes)"
printf "%-46s %9.0f %9.0f\n" "raw INSERT+COMMIT, one client (reference)" "$ref_sql" "${ref_pg:-0}"
side() { # name sqlite-figures postgresql-figures reference-sqlite reference-postgresql
	set -- "$1" "${2%% *}" "${3%% *}" "$4" "$5"
	printf "%-46s %9.0f %9.0f   (%.2fx, %.2fx)  PostgreSQL/SQLite %.2fx\n" "$1" "$2" "$3" \
		"$(echo "$2 $4" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" "$(echo "$3 $5" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" \
		"$(echo "$3 $2" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')"
}
printf "%-46s %9s %9s\n" "figure" "SQLite" "PostgreSQL"
side "GET /api/v1/work-registers/1" "$f_wr" "$p_wr" "${ref_wr%% *}" "${ref_wr%% *}"
side "GET /api/v1/work-registers (first page)" "$f_list" "$p_list" "${ref_wr%% *}" "${ref_wr%% *}"
side "POST /api/v1/ballots/1/votes, 1 connection" "$f_v1" "$p_v1" "$ref_sql" "${ref_pg:-0}"
side "POST /api/v1/ballots/1/votes, $C connections" "$f_vc" "$p_vc" "$ref_sql" "${ref_pg:-0}"
echo "PostgreSQL statements per request: reads $(echo "$p_wr" | awk '{print $5}'), votes $(echo "$p_v1" | awk '{print $5}'); non-2xx: $(echo "$p_vc" | awk '{print $3}')"

