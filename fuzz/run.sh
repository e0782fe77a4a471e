#!/bin/sh
# fuzz/run.sh - `make fuzz`: build the harnesses and run each FUZZ_TIME
# seconds from a scratch copy of its seed corpus (the committed one never
# grows), with a 10 s timeout per input and a 2 GiB memory limit.  A
# crash, leak, timeout or out-of-memory fails the harness and names the
# reproducer (fuzz/artifacts/...; `fuzz/fuzz-NAME FILE` replays it).
# Each harness counts as one test: fuzz/logs/NAME.log, and this script's
# output, end with "## tests: P passed, F failed, S skipped".
# Usage: run.sh SRCDIR NAME...; FUZZ_CC, FUZZ_TIME and MAKE from make.
set -u
srcdir=$1
shift
cc=${FUZZ_CC:-clang}
time=${FUZZ_TIME:-60}
n=$#
passed=0 failed=0

summary() { echo "## tests: $passed passed, $failed failed, $1 skipped"; }

# clang with its fuzzer runtime (Debian: clang and libclang-rt-14-dev)
probe=$(mktemp -d /tmp/sbx-fuzz-probe.XXXXXX)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return 0; }\n' >"$probe/p.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
	echo "SKIP: fuzz: $cc cannot build a libFuzzer program with ASan and UBSan:"
	sed 's/^/  | /' "$probe/log" | head -5
	echo "  (Debian: apt-get install clang libclang-rt-14-dev, or tools/install-deps)"
	rm -rf "$probe"
	summary "$n"
	exit 0
fi
rm -rf "$probe"

if ! $MAKE -s fuzz-build; then
	echo "FAIL: fuzz: the harnesses do not build"
	failed=$n
	summary 0
	exit 1
fi

mkdir -p fuzz/logs fuzz/artifacts
for name in "$@"; do
	log=fuzz/logs/$name.log
	work=$(mktemp -d /tmp/sbx-fuzz-$name.XXXXXX)
	cp -R "$srcdir/fuzz/corpus/$name/." "$work/"
	echo "=== fuzz-$name: $time s from $(ls "$work" | wc -l) seeds"
	if fuzz/fuzz-$name -max_total_time="$time" -timeout=10 \
		-rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="fuzz/artifacts/$name-" "$work" >"$log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^Done' "$log" | tail -2
		echo "ok: fuzz-$name"
		echo "## tests: 1 passed, 0 failed, 0 skipped" >>"$log"
		passed=$((passed + 1))
	else
		tail -40 "$log" | sed 's/^/  | /'
		repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		echo "FAIL: fuzz-$name: reproducer ${repro:-(none written; see $log)}"
		[ -n "$repro" ] && echo "  replay: fuzz/fuzz-$name $repro"
		echo "## tests: 0 passed, 1 failed, 0 skipped" >>"$log"
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
summary 0
[ "$failed" = 0 ]
