#!/bin/sh
# The API suite under valgrind: no leak, no invalid access in the library
# (the caller's side; the supervisor is a separate process, not traced).
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind is not installed"; exit 77; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
SBX_TEST_SKIP_SLOW=1 ${LIBTOOL:-./libtool} --mode=execute valgrind -q --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=42 --trace-children=no tests/test-api >"$log" 2>&1
rc=$?
cat "$log"
if [ $rc = 42 ]; then
	echo "valgrind found errors or leaks"
	echo "## tests: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
grep -q '^## tests: [0-9]* passed, 0 failed' "$log" || { echo "## tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
echo "## tests: 1 passed, 0 failed, 0 skipped"
