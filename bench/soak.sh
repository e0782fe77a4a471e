#!/bin/sh
# soak.sh - RUNS sandboxed runs back to back (default 5000) through the C
# API, reporting time per run and the kernel's backlog of dying network
# namespaces (bench/soak.c).  Run as root to see the namespace count.
#
#   bench/soak.sh [RUNS]     from a built tree (or with libsandbox installed)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -x "$top/sbx-supervisor" ]; then
	export SBX_SUPERVISOR="$top/sbx-supervisor"
	export LD_LIBRARY_PATH="$top/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	cflags="-I$top/include" libs="-L$top/.libs -lsandbox"
else
	cflags=$(pkg-config --cflags libsandbox) libs=$(pkg-config --libs libsandbox)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
cc -O2 $cflags "$top/bench/soak.c" -o "$tmp/soak" $libs
"$tmp/soak" "${1:-5000}"
