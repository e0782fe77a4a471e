#!/bin/sh
# sanitizer-logs.sh - the last check of an --enable-sanitizers build: each
# ASan, LSan or UBSan report of the suites before it is a failure, even
# where nobody looked at the exit status of the process that wrote it: in
# the test logs (test programs and their children), and in
# SBX_SANITIZER_LOG_DIR (the supervisor and sbx: libsandbox/sanitizers.c).
if [ "${SBX_SANITIZERS:-no}" != yes ]; then
	echo "SKIP: not built with --enable-sanitizers"
	exit 77
fi
pattern='ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error: '
pattern="$pattern"'\|Sanitizer has encountered a fatal error\|ERROR: Can.t open file'
failed=0
for f in $SBX_TEST_LOGS; do
	[ -f "$f" ] && grep -q "$pattern" "$f" || continue
	echo "=== a report in $f:"
	grep -A30 "$pattern" "$f"
	failed=$((failed + 1))
done
for f in "${SBX_SANITIZER_LOG_DIR:?}"/*; do
	[ -e "$f" ] || continue
	echo "=== $f"
	cat "$f"
	failed=$((failed + 1))
done
if [ "$failed" = 0 ]; then
	echo "no sanitizer report in the suites' logs or in $SBX_SANITIZER_LOG_DIR"
	echo "## tests: 1 passed, 0 failed, 0 skipped"
	exit 0
fi
echo "## tests: 0 passed, $failed failed, 0 skipped"
exit 1
