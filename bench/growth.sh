#!/bin/sh
# Issue 27: costs that stay flat as the record grows. Two databases, the
# second 10x the first, seeded through the one door (entente seed, with
# WRs taken to established so the public site, its feed and the
# checkpoints grow too); each figure at both sizes and its growth. A figure
# for one request may grow at most 2x per 10x of data; start-up and the full
# audit verify at most 10x (linear); memory after reads at most 2x.
# Printed, never asserted: this machine is shared and noisy, and only the
# ratios of one run mean anything.
#   make bench GROWTH=1        1,000 then 10,000 WRs, 100,000 then 1,000,000
#                              votes (about ten minutes of seeding)
#   GROWTH=0.1 sh bench/growth.sh   a quick run, 100 and 1,000 WRs
set -eu
cd "$(dirname "$0")/.."
G=${GROWTH:-1}
D=${BENCH_SECONDS:-5}
C=${BENCH_CONNECTIONS:-16}
BIN=${ENTENTE_BIN:-build/entente}
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

n() { awk -v g="$G" -v m="$2" -v b="$1" -v least="${3:-0}" 'BEGIN {v = int(b * g * m + 0.5); if (v < least) v = least; printf "%d", v}'; }
now_ms() { date +%s%3N; }

# wrk URL TOKEN [SCRIPT]: "req/s p99_ms"
bench() {
	curl -fsS -o /dev/null -H "Authorization: Bearer $2" "$1" 2>/dev/null || true
	if [ -n "${3:-}" ]; then
		out=$(wrk -t2 -c"$C" -d"${D}s" --latency -H "Authorization: Bearer $2" -s "$3" "$1" 2>&1)
	else
		out=$(wrk -t2 -c"$C" -d"${D}s" --latency -H "Authorization: Bearer $2" "$1" 2>&1)
	fi
	rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}')
	echo "${rate:-0} ${p99:-0}"
}

# measure TAG MULTIPLIER: seed, serve, measure; figures into $dir/TAG
measure() {
	tag=$1 m=$2
	db="$dir/$tag.db" f="$dir/$tag"
	wrs=$(n 1000 "$m") votes=$(n 100000 "$m") est=$(n 100 "$m") people=$(n 100 "$m" 160)
	"$BIN" --db "$db" init --demo >/dev/null
	t=$(now_ms)
	"$BIN" --db "$db" seed --wrs "$wrs" --people "$people" --votes "$votes" --established "$est" 2>"$dir/seed.log" >/dev/null || {
		tail -n 5 "$dir/seed.log"
		exit 1
	}
	events=$(sqlite3 "$db" "SELECT count(*) FROM audit")
	echo "$tag: $wrs WRs ($est established), $people people, $votes votes, $events audit events; seeded in $(( ($(now_ms) - t) / 1000 )) s"
	{
		echo "wrs $wrs"
		echo "events $events"
	} >"$f"
	vp=$("$BIN" --db "$db" token create --email vp@dmtf.example)
	# an open seeded ballot of 101 voters and one who voted there: they
	# change their vote (the seed leaves one voter out, so it stays open)
	ballot=$(sqlite3 "$db" "SELECT id FROM ballots WHERE status = 'open' AND eligible_count > 100 ORDER BY id LIMIT 1")
	voter=$(sqlite3 "$db" "SELECT p.email FROM votes v JOIN people p ON p.id = v.person_id WHERE v.ballot_id = $ballot LIMIT 1")
	vtok=$("$BIN" --db "$db" token create --email "$voter")
	wr=$(sqlite3 "$db" "SELECT id FROM work_registers WHERE established_at IS NOT NULL ORDER BY id DESC LIMIT 1")
	cat >"$dir/vote.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"choice":"yes"}'
wrk.headers["Content-Type"] = "application/json"
EOF
	# start-up: from launch to ready, the database already migrated
	rm -f "$dir/ready"
	t=$(now_ms)
	"$BIN" --db "$db" serve --listen 127.0.0.1:0 --ready-file "$dir/ready" --tick 0 2>"$dir/$tag.log" &
	pid=$!
	i=0
	while [ ! -s "$dir/ready" ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
	echo "startup_ms $(( $(now_ms) - t ))" >>"$f"
	U=$(cat "$dir/ready")
	echo "wr $(bench "$U/api/v1/work-registers/$wr" "$vp")" >>"$f"
	echo "list $(bench "$U/api/v1/work-registers" "$vp")" >>"$f"
	echo "ballot $(bench "$U/api/v1/ballots/$ballot" "$vp")" >>"$f"
	echo "search $(bench "$U/api/v1/work-registers?q=telemetry" "$vp")" >>"$f"
	echo "tasks $(bench "$U/api/v1/me/tasks" "$vp")" >>"$f"
	echo "portfolio $(bench "$U/api/v1/portfolio" "$vp")" >>"$f"
	echo "registers $(bench "$U/registers" "$vp")" >>"$f"
	echo "feed $(bench "$U/registers/feed.atom" "$vp")" >>"$f"
	echo "vote $(bench "$U/api/v1/ballots/$ballot/votes" "$vtok" "$dir/vote.lua")" >>"$f"
	echo "rss_kb $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")" >>"$f"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	# the record checked: whole, then from the newest checkpoint
	set -- $( { /usr/bin/time -f "%e %M" "$BIN" --db "$db" audit verify --full >/dev/null; } 2>&1 | tail -n 1)
	echo "verify_full_s $1" >>"$f"
	echo "verify_full_kb $2" >>"$f"
	"$BIN" --db "$db" audit checkpoint >/dev/null
	set -- $( { /usr/bin/time -f "%e %M" "$BIN" --db "$db" audit verify >/dev/null; } 2>&1 | tail -n 1)
	echo "verify_s $1" >>"$f"
	# the signer's pass: the head it signs, counted on from the checkpoint
	set -- $( { /usr/bin/time -f "%e %M" "$BIN" --db "$db" audit head >/dev/null; } 2>&1 | tail -n 1)
	echo "head_s $1" >>"$f"
}

get() { awk -v k="$2" -v i="${3:-2}" '$1 == k {print $i}' "$dir/$1"; }

echo "bench/growth.sh: $BIN ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d), $(nproc) cores, GROWTH=$G, wrk ${D}s, $C connections"
measure small 1
measure large 10

# row NAME KEY KIND: KIND rate (req/s: cost is its inverse), time, size
row() {
	a=$(get small "$2") b=$(get large "$2")
	case $3 in
	rate) growth=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') limit="<= 2x"
		pa=$(get small "$2" 3) pb=$(get large "$2" 3)
		printf "%-44s %12s %12s %8sx   %s   (p99 %s ms, %s ms)\n" "$1" "$a/s" "$b/s" "$growth" "$limit" "$pa" "$pb" ;;
	*) growth=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", (a > 0 ? b / a : 0)}')
		limit=$4
		printf "%-44s %12s %12s %8sx   %s\n" "$1" "$a" "$b" "$growth" "$limit" ;;
	esac
}
echo
printf "%-44s %12s %12s %9s   %s\n" "figure" "small" "large" "growth" "limit"
row "audit events" events size "10x (the data)"
row "GET a WR document" wr rate
row "GET /api/v1/work-registers (first page)" list rate
row "GET a ballot of 101 voters" ballot rate
row "GET ?q=telemetry (search)" search rate
row "GET /api/v1/me/tasks (the VP)" tasks rate
row "GET /api/v1/portfolio (the VP)" portfolio rate
row "GET /registers (first page)" registers rate
row "GET /registers/feed.atom" feed rate
row "POST a vote (101 voters)" vote rate
row "server memory after the reads (KB)" rss_kb size "<= 2x"
row "start-up (ms)" startup_ms size "<= 10x"
row "audit verify --full (s)" verify_full_s size "<= 10x"
row "audit verify --full, max memory (KB)" verify_full_kb size "<= 2x (constant)"
row "audit verify from the checkpoint (s)" verify_s size "<= 2x"
row "audit head, the signer's pass (s)" head_s size "<= 2x"
