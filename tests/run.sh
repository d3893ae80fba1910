#!/bin/sh
# Runs every test binary, plain and under AddressSanitizer + UBSan, and ends
# with the line "N passed, M failed". A binary that crashes or whose
# sanitizer reports anything counts as a failure.
set -u
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=24"
export CMOCKA_MESSAGE_OUTPUT=stdout
passed=0
failed=0
mkdir -p build/logs
for variant in plain asan; do
	if [ $variant = plain ]; then dir=build/tests; bin=build/entente; else dir=build/asan/tests; bin=build/asan/entente; fi
	for t in "$dir"/*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		log="build/logs/$variant-$name.log"
		ENTENTE_BIN="$bin" ENTENTE_TEST_LOGS="build/logs/$variant-$name" "$t" >"$log" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
		p=${p:-0}
		f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed, or a sanitizer spoke after the tests
		fi
		if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
			[ "$f" -eq 0 ] && f=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -ne 0 ]; then
			echo "FAIL $variant $name ($p passed, $f failed; exit $rc) -- log: $log"
			grep -E "^\[  FAILED  \]|^\[  ERROR   \]|ERROR: |runtime error|error:" "$log" | head -n 20
		else
			echo "ok   $variant $name ($p passed)"
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
