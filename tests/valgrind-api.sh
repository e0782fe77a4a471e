#!/bin/sh
# The API suites under valgrind's memcheck: no invalid access, no use of
# uninitialised memory and no definite or indirect leak in the library (the
# caller's side: the policy parser and explainer, the spawn, the results).
# The supervisor is a separate process and not traced; the
# --enable-sanitizers pass of tools/run-tests covers it.
if [ "${SBX_SANITIZERS:-no}" = yes ]; then
	echo "SKIP: valgrind cannot run programs built with ASan;" \
		"the pass without --enable-sanitizers runs this"
	exit 77
fi
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind is not installed"; exit 77; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0
for suite in tests/test-api tests/test-policy; do
	echo "=== $suite under valgrind"
	${LIBTOOL:-./libtool} --mode=execute valgrind -q --leak-check=full \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect \
		--error-exitcode=42 --trace-children=no "$suite" >"$log" 2>&1
	rc=$?
	cat "$log"
	if [ $rc = 42 ]; then
		echo "valgrind found errors or leaks in $suite"
		failed=$((failed + 1))
	elif ! grep -q '^## tests: [0-9]* passed, 0 failed' "$log"; then
		echo "$suite failed under valgrind"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
echo "## tests: $passed passed, $failed failed, 0 skipped"
[ "$failed" = 0 ]
