#!/bin/sh
# The public header compiles as strict C89 and as C++, alone.
set -e
srcdir=${srcdir:-.}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include "sandbox.h"\nint main(void) { return sbx_version() == 0; }\n' > "$tmp/h.c"
fail=0
$cc -std=c89 -pedantic -Werror -Wall -Wextra -I"$srcdir/include" -c "$tmp/h.c" -o "$tmp/h.o" || fail=1
if command -v c++ >/dev/null 2>&1; then
	cp "$tmp/h.c" "$tmp/h.cc"
	c++ -std=c++11 -pedantic -Werror -Wall -I"$srcdir/include" -c "$tmp/h.cc" -o "$tmp/hx.o" || fail=1
fi
if [ $fail = 0 ]; then echo "## tests: 1 passed, 0 failed, 0 skipped"; else echo "## tests: 0 passed, 1 failed, 0 skipped"; fi
exit $fail
