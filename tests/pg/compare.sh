#!/bin/sh
# The PostgreSQL engine answers as the SQLite engine does (issue 26): the
# same demonstration loaded into a SQLite file and into $ENTENTE_PG_URL
# (an empty database: run under tests/pg/pg.sh), each served, and the
# answers of GET requests compared after the things that differ by
# nature are masked: times (each run has its own clock), hashes and keys
# (the audit chain hashes its times; each database has its own signing
# key), the servers' ports. Usage: tests/pg/pg.sh tests/pg/compare.sh [--story|--copy]
#
# --copy: entente copy-db instead (issue 26): the story made in a SQLite
# file, copied into $ENTENTE_PG_URL, and from there into a new SQLite
# file. Before they are served, the three audit chains must have the
# same head (the chain hashes every event's content, times included);
# then the three are served and compared as above. (Read with API tokens
# made before the copy, so that no sign-in adds an event of its own.)
set -eu
[ -n "${ENTENTE_PG_URL:-}" ] || { echo "compare.sh: run under tests/pg/pg.sh" >&2; exit 2; }
bin=${ENTENTE:-build/entente}
work=$(mktemp -d "${TMPDIR:-/tmp}/entente-compare.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo 'tortoise-lantern-quarry-26' >"$work/pw"
story=""
copy=""
[ "${1:-}" = --story ] && story=--story
[ "${1:-}" = --copy ] && story=--story && copy=1

demo() { # name database: the demonstration (with --story, its story) made there
	ENTENTE_SIGNING_KEY="$work/$1.signing-key" "$bin" --db "$2" init --demo $story --admin-password-file "$work/pw" >"$work/$1.init" 2>&1 ||
		{ cat "$work/$1.init" >&2; exit 1; }
}
serve() { # name database
	# no signer while the answers are read: when each would sign its
	# checkpoint is a matter of timing, not of the engine
	"$bin" --db "$2" serve --listen 127.0.0.1:0 --ready-file "$work/$1.url" --signing-key "$work/no-signer" \
		--web-dir "$work" >"$work/$1.log" 2>&1 &
	pids="$pids $!"
	for _ in $(seq 100); do [ -s "$work/$1.url" ] && return 0; sleep 0.1; done
	cat "$work/$1.log" >&2
	exit 1
}
if [ -n "$copy" ]; then
	demo sqlite "$work/entente.db"
	"$bin" --db "$work/entente.db" token create --email vp@dmtf.example >"$work/vp.token"
	"$bin" --db "$work/entente.db" token create --email admin@localhost >"$work/admin.token"
	"$bin" copy-db "$work/entente.db" "$ENTENTE_PG_URL" || exit 1
	"$bin" copy-db "$ENTENTE_PG_URL" "$work/back.db" || exit 1
	i=0
	for db in "$work/entente.db" "$ENTENTE_PG_URL" "$work/back.db"; do
		i=$((i + 1))
		"$bin" --db "$db" audit verify --full >"$work/verify" || { cat "$work/verify" >&2; exit 1; }
		"$bin" --db "$db" audit head >"$work/head.$i"
	done
	cmp -s "$work/head.1" "$work/head.2" && cmp -s "$work/head.1" "$work/head.3" ||
		{ echo "compare.sh: the copies' audit heads differ:" >&2; cat "$work/head.1" "$work/head.2" "$work/head.3" >&2; exit 1; }
	echo "the three audit chains end in the same head: $(grep '"head"' "$work/head.1")"
	serve sqlite "$work/entente.db"
	serve pg "$ENTENTE_PG_URL"
	serve back "$work/back.db"
	servers="sqlite pg back"
else
	demo sqlite "$work/entente.db"
	serve sqlite "$work/entente.db"
	demo pg "$ENTENTE_PG_URL"
	serve pg "$ENTENTE_PG_URL"
	servers="sqlite pg"
fi

# as the VP of Alliances, then as the administrator (the audit, the outbox)
paths="/api/v1/me /api/v1/work-registers /api/v1/work-registers?limit=2 /api/v1/work-registers?limit=2&offset=2
/api/v1/work-registers?q=power /api/v1/work-registers?q=cool%20liq /api/v1/work-registers?q=Pow /api/v1/work-registers?q=zzz
/api/v1/work-registers?q=-%20inventory /api/v1/work-registers?status=established /api/v1/work-registers?partner_id=3
/api/v1/organizations /api/v1/organizations/2 /api/v1/people /api/v1/people?limit=3 /api/v1/bodies /api/v1/bodies/3/members
/api/v1/officers /api/v1/ballots /api/v1/change-requests /api/v1/meetings
/api/v1/dmtf-standards /api/v1/standard-types /api/v1/settings /api/v1/notification-rules /api/v1/tasks /api/v1/me/tasks
/api/v1/reviews /api/v1/portfolio /api/v1/overlaps /api/v1/process /api/v1/delegation-rules /api/v1/checkpoints
/api/v1/openapi.json"
for i in $(seq 20); do
	paths="$paths /api/v1/work-registers/$i"
done
for i in $(seq 6); do
	paths="$paths /api/v1/ballots/$i /api/v1/ballots/$i/receipts /api/v1/change-requests/$i /api/v1/meetings/$i"
done
admin_paths="/api/v1/audit?limit=50 /api/v1/audit/head /api/v1/audit/verify /api/v1/outbox?limit=20 /api/v1/outbox/stats
/api/v1/people/1 /api/v1/invitations"

# mask what differs by nature
mask() {
	python3 -c '
import json, re, sys
t = sys.stdin.read()
try:
    t = json.dumps(json.loads(t), indent=1)
except Exception:
    pass
t = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", "TIME", t)
# the same times as mail words them ("2026-12-21 19:11 UTC"): the two
# databases are made a little apart, which may cross a minute
t = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "TIME", t)
t = re.sub(r"\b[0-9a-f]{32,}\b", "HEX", t)
t = re.sub(r"http://127\.0\.0\.1:\d+", "BASE", t)
t = re.sub(r"\"(deadline|expires_at|next_attempt_at|lease_until|last_used_at)\": \d+", r"\"\1\": N", t)
print(t)'
}

# who: each server's curl options for the VP (vp) and the administrator
# (admin): a session of its own, or (--copy) the tokens made before
for who in $servers; do
	base=$(cat "$work/$who.url")
	for jar in vp admin; do
		if [ -n "$copy" ]; then
			echo "-H" >"$work/$who.$jar.auth"
			echo "Authorization: Bearer $(cat "$work/$jar.token")" >>"$work/$who.$jar.auth"
			continue
		fi
		email=vp@dmtf.example
		pw=demo-alliance
		[ $jar = admin ] && email=admin@localhost && pw=$(cat "$work/pw")
		curl -fsS -c "$work/$who.$jar" -H 'Content-Type: application/json' \
			-d "{\"email\":\"$email\",\"password\":\"$pw\"}" "$base/api/v1/session" >/dev/null
		printf -- '-b\n%s\n' "$work/$who.$jar" >"$work/$who.$jar.auth"
	done
done
fail=0
n=0
for p in $paths $(for a in $admin_paths; do echo "admin:$a"; done); do
	n=$((n + 1))
	jar=vp
	case $p in admin:*) jar="admin"; p=${p#admin:} ;; esac
	for who in $servers; do
		base=$(cat "$work/$who.url")
		curl -sS "$(head -n 1 "$work/$who.$jar.auth")" "$(tail -n 1 "$work/$who.$jar.auth")" -o "$work/$who.body" \
			-w '%{http_code}\n' "$base$p" >"$work/$who.code"
		mask <"$work/$who.body" >"$work/$who.$n"
	done
	for who in $servers; do
		[ "$who" = sqlite ] && continue
		if cmp -s "$work/sqlite.code" "$work/$who.code" && cmp -s "$work/sqlite.$n" "$work/$who.$n"; then
			echo "same  $(cat "$work/$who.code") $jar $p ($who: $(wc -c <"$work/$who.body") bytes)"
		else
			fail=$((fail + 1))
			echo "DIFF  sqlite $(cat "$work/sqlite.code") $who $(cat "$work/$who.code") $jar $p"
			diff "$work/sqlite.$n" "$work/$who.$n" | head -"${DIFF_LINES:-20}"
		fi
	done
done
echo "compare.sh: $n requests to each of $servers, $fail different"
[ "$fail" = 0 ]
