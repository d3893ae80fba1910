#!/bin/sh
# The scale issue's figures: seed a database of SCALE x (10,000 WRs, 1,000
# people, 1,000,000 votes) through the one door (entente seed), serve it,
# and measure with wrk the p99 of the WR list under each filter, a later
# page by cursor, and me/tasks, each beside its goal (p99 under 10 ms).
# Printed, never asserted: this machine is shared.
#   sh bench/scale.sh              SCALE=1, about ten minutes of seeding
#   SCALE=0.01 sh bench/scale.sh   a quick run
# SCALE_DB=path keeps the seeded database there (and reuses it if present).
set -eu
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1}
D=${BENCH_SECONDS:-5}
C=${BENCH_CONNECTIONS:-64}
BIN=${ENTENTE_BIN:-build/entente}
dir=$(mktemp -d)
db=${SCALE_DB:-$dir/scale.db}
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

wrs=$(awk -v s="$SCALE" 'BEGIN {printf "%d", 10000 * s + 0.5}')
votes=$(awk -v s="$SCALE" 'BEGIN {printf "%d", 1000000 * s + 0.5}')
# committees of 101 voters need about 130 people, whatever the scale
people=$(awk -v s="$SCALE" 'BEGIN {n = int(1000 * s + 0.5); printf "%d", n < 160 ? 160 : n}')

if [ ! -f "$db" ]; then
	"$BIN" --db "$db" init --demo >/dev/null
	echo "seeding $wrs WRs, $people people, $votes votes (SCALE=$SCALE) into $db"
	start=$(date +%s)
	"$BIN" --db "$db" seed --wrs "$wrs" --people "$people" --votes "$votes" 2>"$dir/seed.log" || {
		tail -n 5 "$dir/seed.log"
		exit 1
	}
	echo "seeded in $(( $(date +%s) - start )) s"
fi
vp=$("$BIN" --db "$db" token create --email vp@dmtf.example)
# seed1 owns WRs and sits on committees with open ballots: a full me/tasks
voter=$("$BIN" --db "$db" token create --email seed1@dmtf.example)
"$BIN" --db "$db" serve --listen 127.0.0.1:0 --ready-file "$dir/ready" --tick 0 2>"$dir/log" &
pid=$!
i=0
while [ ! -s "$dir/ready" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
U=$(cat "$dir/ready")

get() { curl -fsS -H "Authorization: Bearer $1" "$U$2"; }
partner=$(get "$vp" "/api/v1/organizations?kind=partner&limit=200" | jq -r '[.items[] | select(.short_name | startswith("SP"))][0].id')
# a seeded owner (the demo's WRs come first)
owner=$(get "$vp" "/api/v1/work-registers?status=drafting&partner_id=$partner&limit=1" | jq -r '.items[0].owner_id')
later="c$((wrs / 2))"

# wrk URL TOKEN: "req/s p99_ms non2xx errors" (timeouts count as errors)
bench() {
	# one request first: the figure is the steady state; the cost of a page
	# built after a change is the table at the end
	curl -fsS -o /dev/null -H "Authorization: Bearer $2" "$1"
	out=$(wrk -t2 -c"$C" -d"${D}s" --latency -H "Authorization: Bearer $2" "$1" 2>&1)
	rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errs=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
	echo "${rate:-0} ${p99:-0} ${bad:-0} ${errs:-0}"
}

row() { # name "req/s p99 non2xx errors" [goal]
	goal=${3:-p99 < 10 ms}
	set -- "$1" $2
	printf "%-64s %9.0f %9.2f %7s %7s   %s\n" "$1" "$2" "$3" "$4" "$5" "$goal"
}

echo "bench/scale.sh: $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d), $(nproc) cores, SCALE=$SCALE, wrk ${D}s, $C connections"
printf "%-64s %9s %9s %7s %7s   %s\n" "figure" "req/s" "p99 ms" "non2xx" "errors" "goal"
W=/api/v1/work-registers
row "GET $W (first page)" "$(bench "$U$W" "$vp")"
row "GET $W?status=drafting" "$(bench "$U$W?status=drafting" "$vp")"
row "GET $W?partner_id=$partner" "$(bench "$U$W?partner_id=$partner" "$vp")"
row "GET $W?owner_id=$owner" "$(bench "$U$W?owner_id=$owner" "$vp")"
row "GET $W?status=committee_ballots&cursor=$later" "$(bench "$U$W?status=committee_ballots&cursor=$later" "$vp")"
row "GET $W?cursor=$later (a later page)" "$(bench "$U$W?cursor=$later" "$vp")"
row "GET /api/v1/me/tasks (the VP)" "$(bench "$U/api/v1/me/tasks" "$vp")"
row "GET /api/v1/me/tasks (a voter and owner)" "$(bench "$U/api/v1/me/tasks" "$voter")"
# full text (FTS5) over titles, scopes and Table 1 (entente seed gives each
# WR one of 16 subjects and 13 aspects): a word, two words, a prefix
row "GET $W?q=telemetry (1 WR in 16)" "$(bench "$U$W?q=telemetry" "$vp")" "p99 < 20 ms"
row "GET $W?q=telemetry%20redfish (1 in 208)" "$(bench "$U$W?q=telemetry%20redfish" "$vp")" "p99 < 20 ms"
row "GET $W?q=tele (a prefix)" "$(bench "$U$W?q=tele" "$vp")" "p99 < 20 ms"
row "GET $W?q=telemetry&status=drafting" "$(bench "$U$W?q=telemetry&status=drafting" "$vp")" "p99 < 20 ms"

# the same pages built, not kept: after each change (the VP edits a partner's
# web address, which renews the database's stamp) one request, timed alone
built() { # PATH TOKEN: "median_ms p99_ms" of 50
	i=0
	: >"$dir/times"
	while [ $i -lt 50 ]; do
		curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $vp" -H "Content-Type: application/json" \
			-d "{\"website\":\"https://example.org/$i\"}" "$U/api/v1/organizations/$partner"
		curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $2" "$U$1" >>"$dir/times"
		i=$((i + 1))
	done
	sort -n "$dir/times" | awk '{t[NR] = $1 * 1000} END {printf "%.2f %.2f", t[int((NR + 1) / 2)], t[int(NR * 0.99 + 0.999)]}'
}
printf "%-64s %9s %9s   %s\n" "built after a change (one request at a time)" "median ms" "p99 ms" ""
for p in "$W" "$W?status=drafting" "$W?q=telemetry" "/api/v1/me/tasks"; do
	set -- $(built "$p" "$vp")
	printf "%-64s %9s %9s\n" "GET $p (the VP)" "$1" "$2"
done
set -- $(built /api/v1/me/tasks "$voter")
printf "%-64s %9s %9s\n" "GET /api/v1/me/tasks (a voter and owner)" "$1" "$2"
