#!/bin/sh
# compare.sh - time `sbx run -- /bin/true` with every layer on against
# `bwrap --unshare-all` running the same program, and count sandboxed runs
# per second from one process through the C API (bench/runs.c).
#
#   bench/compare.sh [RUNS]     from a built tree (or with sbx installed)
#
# Needs hyperfine and bubblewrap (Debian packages of the same names).
# Numbers depend on the machine: run it on a quiet one, and read the
# relative figure, not the milliseconds.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-300}
if [ -x "$top/sbx-supervisor" ]; then
	export SBX_SUPERVISOR="$top/sbx-supervisor"
	export LD_LIBRARY_PATH="$top/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	sbx="$top/.libs/sbx"
	cflags="-I$top/include" libs="-L$top/.libs -lsandbox"
else
	sbx=$(command -v sbx)
	cflags=$(pkg-config --cflags libsandbox) libs=$(pkg-config --libs libsandbox)
fi
for tool in hyperfine bwrap; do
	command -v $tool >/dev/null || { echo "compare.sh: $tool is not installed (apt-get install $tool)"; exit 77; }
done
# bwrap with every namespace and a comparable root
bwrap_cmd="bwrap --unshare-all --die-with-parent --new-session --ro-bind /usr /usr"
for d in bin sbin lib lib64; do
	if [ -L /$d ]; then bwrap_cmd="$bwrap_cmd --symlink $(readlink /$d) /$d";
	elif [ -d /$d ]; then bwrap_cmd="$bwrap_cmd --ro-bind /$d /$d"; fi
done
bwrap_cmd="$bwrap_cmd --ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp /bin/true"

echo "== one sandboxed /bin/true from the command line"
hyperfine -N --warmup 30 --runs "$runs" --export-json /tmp/sbx-bench.json \
	-n sbx "$sbx run -- /bin/true" -n bwrap "$bwrap_cmd"
python3 - <<'PY'
import json
r = {x["command"]: x["mean"] for x in json.load(open("/tmp/sbx-bench.json"))["results"]}
print(f"sbx / bwrap = {r['sbx'] / r['bwrap']:.2f}  (sbx {r['sbx']*1e3:.2f} ms, bwrap {r['bwrap']*1e3:.2f} ms)")
PY

echo "== runs per second from one process (C API)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
cc -O2 $cflags "$top/bench/runs.c" -o "$tmp/runs" $libs
"$tmp/runs" "$runs"
