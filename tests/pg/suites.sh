#!/bin/sh
# Issue 26: the PostgreSQL engine under the tests (run by tests/run.sh
# under tests/pg/pg.sh, which sets ENTENTE_PG_URL): the demonstration and
# its story answer every read alike on both engines (compare.sh; with
# --copy, the story moved by entente copy-db to PostgreSQL and back), and the
# API suites that never open the database file themselves run with each
# server on a PostgreSQL database of its own (ENTENTE_TEST_PG=1,
# tests/http/client.c), as do the store's and the door's unit tests
# (tests/unit/test_units.c); several runs two servers on one database (its
# PostgreSQL group; the plain run gives it its SQLite group). Left out, each for a reason: operations, keys and
# cli copy or edit the database file, or need PATH.signing-key beside it;
# audit, receipts and home tamper with rows in SQLite's dialect; mail,
# publish, proxy, framing, hardening, openapi and calendar test the
# server's edges, which no engine changes. Plain and under ASan+UBSan, as
# tests/run.sh runs the rest. Ends with "N passed, M failed".
set -u
: "${ENTENTE_PG_URL:?run under tests/pg/pg.sh}"
passed=0
failed=0
. tests/cmocka_result.sh
for variant in plain asan; do
	if [ $variant = plain ]; then dir=build/tests; bin=build/entente; else dir=build/asan/tests; bin=build/asan/entente; fi
	for story in "" --story --copy; do
		log=build/logs/pg-$variant-compare$story.log
		# each comparison on an empty database of its own
		db=compare_$variant${story#--}
		psql -q "$ENTENTE_PG_URL" -c "CREATE DATABASE $db" >/dev/null
		if ENTENTE="$bin" ENTENTE_PG_URL="${ENTENTE_PG_URL%/*}/$db" sh tests/pg/compare.sh $story >"$log" 2>&1 &&
			! grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
			passed=$((passed + 1)); echo "ok   pg $variant compare$story ($(tail -n 1 "$log"))"
		else
			failed=$((failed + 1)); echo "FAIL pg $variant compare$story -- log: $log"; grep -E "^DIFF|compare.sh|ERROR" "$log" | head -n 20
		fi
	done
	for name in units process base search registry section53 authz accounts safe_actions cache several; do
		t=$dir/http_test_$name
		[ $name = units ] && t=$dir/test_units # the store's and the door's unit tests
		log=build/logs/pg-$variant-$name.log
		ENTENTE_TEST_PG=1 ENTENTE_BIN="$bin" ENTENTE_TEST_LOGS="build/logs/pg-$variant-$name" "$t" >"$log" 2>&1
		cmocka_result "pg $variant $name" "$log" $?
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
