#!/bin/sh
# `make install` into a staging directory, then build examples/c/run.c with
# nothing but pkg-config, and run a sandboxed command with it.
set -u
srcdir=${srcdir:-.}
tmp=$(mktemp -d /tmp/sbx-pc.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; echo "## tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
${MAKE:-make} -s install DESTDIR="$tmp/stage" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install"; }
pcdir=$(dirname "$(find "$tmp/stage" -name libsandbox.pc | head -1)")
[ -f "$pcdir/libsandbox.pc" ] || fail "libsandbox.pc not installed"
flags=$(PKG_CONFIG_SYSROOT_DIR="$tmp/stage" PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs libsandbox) || fail "pkg-config libsandbox"
# (a library built with --enable-sanitizers needs their runtime in the
# program: its users build with the same flags)
flags="$flags ${SBX_SANITIZER_LDFLAGS:-}"
${CC:-cc} "$srcdir/examples/c/run.c" $flags -o "$tmp/run" || fail "building the example with: $flags"
libdir=$(dirname "$(find "$tmp/stage" -name 'libsandbox.so' | head -1)")
sup=$(find "$tmp/stage" -name sbx-supervisor -type f | head -1)
[ -x "$sup" ] || fail "the supervisor was not installed under libexecdir"
[ -n "$(find "$tmp/stage" -name sbx -path '*/bin/*')" ] || fail "sbx was not installed under bindir"
[ -f "$(find "$tmp/stage" -name sandbox.h | head -1)" ] || fail "sandbox.h was not installed"
out=$(LD_LIBRARY_PATH="$libdir" SBX_SUPERVISOR="$sup" "$tmp/run" -- /bin/sh -c 'echo sandboxed; cat /proc/self/uid_map >/dev/null') || fail "running the example: $out"
case "$out" in
*sandboxed*'"status":"exited"'*) ;;
*) fail "unexpected output: $out" ;;
esac
echo "$out"
# A timeout is no success: the example exits non-zero, and the result's
# exit_code is null (not the 0 a C caller could read as success).
out=$(LD_LIBRARY_PATH="$libdir" SBX_SUPERVISOR="$sup" "$tmp/run" --timeout 1 -- /bin/sleep 30 2>&1) && fail "a timeout exited 0: $out"
case "$out" in
*'"status":"timeout","exit_code":null'*) ;;
*) fail "a timeout's result: $out" ;;
esac
echo "## tests: 2 passed, 0 failed, 0 skipped"
