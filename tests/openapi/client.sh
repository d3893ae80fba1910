#!/bin/sh
# Issue 22: a typed client generated from the served document
# (openapi-typescript, from npm ci), and a read-comment-edit scenario with a
# partial PATCH (tests/openapi/client/scenario.ts) compiled under
# tsc --strict with no cast. The same scenario with a wrong type in its
# PATCH must not compile: the types are the document's, not "any".
# Prints "ok ..." / "FAIL ..." lines and "N passed, M failed".
set -u
dir=build/openapi-client
bin=node_modules/.bin
passed=0
failed=0
rm -rf "$dir" && mkdir -p "$dir"
cp tests/openapi/client/scenario.ts tests/openapi/client/tsconfig.json "$dir/"
if ! ./build/entente openapi >"$dir/openapi.json" ||
	! "$bin/openapi-typescript" "$dir/openapi.json" -o "$dir/schema.d.ts" >"$dir/generate.log" 2>&1; then
	echo "FAIL the client is not generated"; cat "$dir/generate.log"
	echo "0 passed, 1 failed"
	exit 1
fi
if (cd "$dir" && "../../$bin/tsc" -p tsconfig.json) >"$dir/tsc.log" 2>&1; then
	passed=$((passed + 1)); echo "ok   the scenario compiles under tsc --strict"
else
	failed=$((failed + 1)); echo "FAIL the scenario does not compile"; head -n 30 "$dir/tsc.log"
fi
if grep -q 'as any\|as unknown\|<any>' "$dir/scenario.ts"; then
	failed=$((failed + 1)); echo "FAIL the scenario casts"
else
	passed=$((passed + 1)); echo "ok   the scenario has no cast"
fi
sed -i 's/body: { title: `${wr.title} (edited)` }/body: { title: 42 }/' "$dir/scenario.ts"
if grep -q 'title: 42' "$dir/scenario.ts" && ! (cd "$dir" && "../../$bin/tsc" -p tsconfig.json) >"$dir/tsc-wrong.log" 2>&1 &&
	grep -q "scenario.ts" "$dir/tsc-wrong.log"; then
	passed=$((passed + 1)); echo "ok   a PATCH with a number for the title does not compile"
else
	failed=$((failed + 1)); echo "FAIL a PATCH with a wrong type compiled (or the check did not run)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
