#!/bin/sh
# The differential test of the request framing (see tests/diff/compare.py
# for the rule): every tests/diff/corpus/*.http through entente's reader
# (tests/diff/frames.c, plain and under AddressSanitizer + UBSan, each
# also checking that cutting the bytes anywhere changes nothing) and
# through h11 (tests/diff/reference.py, Debian's python3-h11). One line
# per failing case, then "N passed, M failed"; exit status 1 on any
# failure. No network, no stdin; run from anywhere.
set -u
cd "$(dirname "$0")/../.." || exit 2
CC=${CC:-cc}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
LIMIT=1048576 # the server's default body limit (ENTENTE_BODY_LIMIT)
DIR=build/diff
OUT=$DIR/out
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=24"
SRCS="tests/diff/frames.c src/http/reader.c src/http/wire.c"
DEPS="$SRCS src/http/reader.h src/http/wire.h"
mkdir -p "$OUT"

# build $1 with flags $2.. when it is missing or older than a source
build() {
	bin=$1
	shift
	need=0
	[ -x "$bin" ] || need=1
	# shellcheck disable=SC2086
	[ $need -eq 0 ] && [ -n "$(find $DEPS -newer "$bin")" ] && need=1
	[ $need -eq 0 ] && return 0
	# shellcheck disable=SC2086
	$CC -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Isrc "$@" -o "$bin" $SRCS
}
if ! build $DIR/frames -O2 -g || ! build $DIR/frames-asan -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined; then
	echo "FAIL tests/diff/frames.c does not build"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! "$PY" -c 'import h11' 2>/dev/null; then
	echo "FAIL h11 is missing for $PY (apt-get install python3-h11)"
	echo "0 passed, 1 failed"
	exit 1
fi

rm -f "$OUT"/*.json "$OUT"/*.fail "$OUT"/*.err
for f in tests/diff/corpus/*.http; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .http)
	# the plain build: the result, and the cuts' check
	$DIR/frames "$f" $LIMIT >"$OUT/$name.json" 2>"$OUT/$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		{ echo "frames exits $rc:"; head -n 5 "$OUT/$name.err"; } | tr '\n' ' ' >>"$OUT/$name.fail"
		echo >>"$OUT/$name.fail"
	fi
	# the sanitized build: the same, and no report
	$DIR/frames-asan "$f" $LIMIT >"$OUT/$name.asan.json" 2>"$OUT/$name.asan.err"
	rc=$?
	if [ $rc -ne 0 ] || grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$OUT/$name.asan.err"; then
		{ echo "frames (ASan+UBSan) exits $rc:"; grep -m 3 -E "ERROR|runtime error|differs" "$OUT/$name.asan.err"; } | tr '\n' ' ' >>"$OUT/$name.fail"
		echo >>"$OUT/$name.fail"
	elif ! cmp -s "$OUT/$name.json" "$OUT/$name.asan.json"; then
		echo "the plain and sanitized builds print different results" >>"$OUT/$name.fail"
	fi
done
"$PY" tests/diff/compare.py tests/diff/corpus "$OUT" tests/diff/stricter.txt
