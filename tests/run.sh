#!/bin/sh
# Runs every test binary, plain and under AddressSanitizer + UBSan, and ends
# with the line "N passed, M failed". A binary that crashes or whose
# sanitizer reports anything counts as a failure.
set -u
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=24"
export CMOCKA_MESSAGE_OUTPUT=stdout
# no operator's configuration file of this machine reaches a test (issue 23)
export ENTENTE_CONFIG=""
passed=0
failed=0
# tally RC PASSED FAILED: a runner's counts (empty: 0) into p and f and the
# totals; a runner that exited non-zero with no failure counted failed once.
tally() {
	p=${2:-0}
	f=${3:-0}
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
}
# checked LABEL LOG RC PATTERN: a checker whose log ends with "N passed, M
# failed" (exit RC) into the totals; on failure the lines matching PATTERN.
checked() {
	log=$2
	rc=$3
	tally "$rc" "$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$log" | tail -n 1)" \
		"$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)"
	if [ "$f" -ne 0 ]; then
		echo "FAIL $1 ($p passed, $f failed) -- log: $log"
		grep -E "$4" "$log" | head -n 30
	else
		echo "ok   $1 ($p passed)"
	fi
}
mkdir -p build/logs
. tests/cmocka_result.sh
# issue 22: the plain run records every exchange with the server for
# tests/openapi/validate.py (below)
answers=build/logs/openapi-answers.jsonl
rm -f "$answers"
for variant in plain asan; do
	if [ $variant = plain ]; then dir=build/tests; bin=build/entente; else dir=build/asan/tests; bin=build/asan/entente; fi
	for t in "$dir"/*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		log="build/logs/$variant-$name.log"
		record=""
		[ $variant = plain ] && record="$answers"
		ENTENTE_BIN="$bin" ENTENTE_TEST_LOGS="build/logs/$variant-$name" ENTENTE_OPENAPI_RECORD="$record" "$t" >"$log" 2>&1
		cmocka_result "$variant $name" "$log" $?
	done
done
# Issue 26: the PostgreSQL engine against a throwaway server from Debian's
# packages (tests/pg/pg.sh); tests/pg/suites.sh says what runs on it and why.
sh tests/pg/pg.sh sh tests/pg/suites.sh >build/logs/pg.log 2>&1
checked "postgresql engine (tests/pg)" build/logs/pg.log $? '^FAIL|^DIFF|ERROR|error:'
# The browser tests (tests/e2e, node's test runner driving Debian's chromium).
if [ -d tests/e2e ] && ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
	log=build/logs/e2e.log
	ENTENTE_BIN=build/entente node --test --test-reporter=tap --test-concurrency=1 tests/e2e/ >"$log" 2>&1
	rc=$?
	tally "$rc" "$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)" "$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)"
	if [ "$f" -ne 0 ]; then
		echo "FAIL e2e ($p passed, $f failed; exit $rc) -- log: $log, screenshots: build/e2e"
		grep -E "^not ok|error:|Error" "$log" | head -n 20
	else
		echo "ok   e2e ($p passed)"
	fi
fi
# Bounded fuzzing runs of the request-body parsers and the HTTP framing,
# when clang built them.
for fz in body:corpus wire:corpus-wire conn:corpus-conn; do
	name=${fz%%:*}
	corpus=${fz#*:}
	[ -x build/fuzz/fuzz_$name ] || continue
	mkdir -p build/fuzz/$corpus
	if ./build/fuzz/fuzz_$name -max_total_time="${FUZZ_SECONDS:-10}" -max_len=8192 build/fuzz/$corpus tests/fuzz/$corpus >build/logs/fuzz-$name.log 2>&1; then
		passed=$((passed + 1)); echo "ok   fuzz $name ($(grep -o 'Done [0-9]* runs' build/logs/fuzz-$name.log))"
	else
		failed=$((failed + 1)); echo "FAIL fuzz $name -- log: build/logs/fuzz-$name.log"; tail -n 30 build/logs/fuzz-$name.log
	fi
done
# The request framing against a reference parser (h11) on a committed corpus,
# each case also cut at every byte, plain and under ASan+UBSan (tests/diff).
sh tests/diff/run.sh >build/logs/diff.log 2>&1
checked "diff: framing against h11" build/logs/diff.log $? '^FAIL'
# docs/openapi.json is the API reference: it must be what the server serves.
if ./build/entente openapi | cmp -s - docs/openapi.json; then
	passed=$((passed + 1)); echo "ok   docs/openapi.json is current"
else
	failed=$((failed + 1)); echo "FAIL docs/openapi.json differs from entente openapi: run make docs"
fi
# ... and so are the manual pages and the example configuration (issue 23)
for doc in "help --man:docs/entente.1" "config --man:docs/entente.conf.5" "config --example:docs/entente.conf"; do
	# shellcheck disable=SC2086
	if ./build/entente ${doc%%:*} | cmp -s - "${doc#*:}"; then
		passed=$((passed + 1)); echo "ok   ${doc#*:} is current"
	else
		failed=$((failed + 1)); echo "FAIL ${doc#*:} differs from entente ${doc%%:*}: run make docs"
	fi
done
# Issue 22: every answer the tests received matches the document, and every
# operation answered a success; checked by Debian's python3-jsonschema (JSON
# Schema 2020-12), not by us. The checker's self-test first.
for mode in --self-test check; do
	log=build/logs/openapi-answers${mode#check}.log
	if [ "$mode" = check ]; then
		/usr/bin/python3 tests/openapi/validate.py docs/openapi.json "$answers" >"$log" 2>&1
	else
		/usr/bin/python3 tests/openapi/validate.py --self-test >"$log" 2>&1
	fi
	checked "answers against docs/openapi.json ($mode)" "$log" $? '^FAIL|^  '
	[ "$f" -eq 0 ] && grep -E '^ok   answers|refusals' "$log" | sed 's/^ */     /'
done
# ... and a client generated from it compiles a scenario under tsc --strict.
sh tests/openapi/client.sh >build/logs/openapi-client.log 2>&1
checked "typed client (openapi-typescript, tsc --strict)" build/logs/openapi-client.log $? '^FAIL|error'
# ... and pass a maintained OpenAPI linter's recommended rules, with no
# warning either (Redocly CLI, installed by npm ci from package-lock.json).
if [ -x node_modules/.bin/redocly ]; then
	if REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint docs/openapi.json \
		--config redocly.yaml --format=stylish >build/logs/openapi-lint.log 2>&1 &&
		! grep -E "^ +[0-9]+:[0-9]+ +(warning|error) " build/logs/openapi-lint.log >/dev/null; then
		passed=$((passed + 1)); echo "ok   OpenAPI lint (Redocly, recommended rules)"
	else
		failed=$((failed + 1)); echo "FAIL OpenAPI lint -- log: build/logs/openapi-lint.log"; grep -E "(warning|error) " build/logs/openapi-lint.log | head -n 20
	fi
else
	failed=$((failed + 1)); echo "FAIL OpenAPI lint: node_modules/.bin/redocly is missing (npm ci)"
fi
# The floors of the house (issue 20): includes and calls only down a floor,
# no circle, no hidden declaration, an engine that names no record of the
# domain; and the check's own self-test, each rule broken on purpose.
for mode in --self-test ""; do
	log=build/logs/structure${mode:+-self}.log
	python3 tests/structure/check.py $mode >"$log" 2>&1
	checked "structure ${mode:-of src/}" "$log" $? '^FAIL'
done
# What an operator installs (issue 23): make install, the systemd unit,
# the Debian package and lintian.
sh tests/package/run.sh >build/logs/package.log 2>&1
checked "package: make install, systemd-analyze verify, make deb, lintian" build/logs/package.log $? '^FAIL|^  in the'
# The lifecycle table must stay sound (entente process check).
if ./build/entente process check >build/logs/process-check.log 2>&1; then
	passed=$((passed + 1)); echo "ok   process check"
else
	failed=$((failed + 1)); echo "FAIL process check"; cat build/logs/process-check.log
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
