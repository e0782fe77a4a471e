#!/bin/sh
# The library exports exactly the symbols of its version script, each in a
# LIBSANDBOX_ node, and every function the header declares.
set -e
srcdir=${srcdir:-.}
lib=.libs/libsandbox.so
[ -f "$lib" ] || { echo "no $lib (built with --disable-shared?)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u > "$tmp/exported"
sed -n 's/^[[:space:]]*\(sbx_[a-z0-9_]*\);$/\1/p' "$srcdir/libsandbox/libsandbox.sym" | sort -u > "$tmp/script"
sed -n 's/^[a-z].*[ *]\(sbx_[a-z0-9_]*\)(.*$/\1/p' "$srcdir/include/sandbox.h" | sort -u > "$tmp/header"
fail=0
if ! diff -u "$tmp/script" "$tmp/exported"; then echo "exports differ from libsandbox.sym"; fail=1; fi
if ! diff -u "$tmp/header" "$tmp/exported"; then echo "exports differ from sandbox.h"; fail=1; fi
if objdump -T "$lib" | grep ' sbx_' | grep -v 'LIBSANDBOX_'; then echo "symbols outside a version node"; fail=1; fi
if [ $fail = 0 ]; then echo "## tests: 1 passed, 0 failed, 0 skipped"; else echo "## tests: 0 passed, 1 failed, 0 skipped"; fi
exit $fail
