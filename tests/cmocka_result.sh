# Sourced by tests/run.sh and tests/pg/suites.sh (issue 26): one reading of
# a cmocka binary's log for both.
#
# cmocka_result LABEL LOG RC: the binary's log (it may run several groups:
# their summaries are added up) into the totals $passed and $failed, and
# one line "ok   LABEL (N passed)" or "FAIL LABEL ..." with what failed. A
# binary that exited non-zero with no failure counted (a crash), or whose
# sanitizer spoke after the tests, counts as one failure.
cmocka_result() {
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$2" | awk '{s += $1} END {print s + 0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$2" | awk '{s += $1} END {print s + 0}')
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$2" && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $1 ($p passed, $f failed; exit $3) -- log: $2"
		grep -E "^\[  FAILED  \]|^\[  ERROR   \]|ERROR: |runtime error|error:" "$2" | head -n 20
	else
		echo "ok   $1 ($p passed)"
	fi
}
