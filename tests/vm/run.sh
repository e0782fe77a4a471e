#!/bin/sh
# run.sh - `make check-vm`: boot Debian 12's own kernel (systemd, cgroup v2,
# AppArmor, Landlock ABI 2) in QEMU and run the payload (tests/vm/payload.sh)
# there as root and as an unprivileged user with a lingering systemd
# session, on the project built in this tree.  One boot per kernel.
# Prints "N passed, N failed" last; exits 77 with the reason when QEMU,
# debootstrap or Debian's archive cannot be had.
#
# Environment: SBX_VM_KERNELS ("stock", "backports" or both; default
# stock), SBX_VM_CACHE (where the guest image is kept; default
# tests/vm/cache of the build tree), SBX_VM_TIMEOUT (seconds per boot,
# default 1500), SBX_VM_SMP, SBX_VM_MEM.
set -u
srcdir=$(cd "${srcdir:-$(dirname "$0")/../..}" && pwd)
builddir=$(pwd)
vmdir=$srcdir/tests/vm
kernels=${SBX_VM_KERNELS:-stock}
cache=${SBX_VM_CACHE:-$builddir/tests/vm/cache}
timeout=${SBX_VM_TIMEOUT:-1500}
# The suites of the payload, "program:only:skip" (tests/vm/payload.sh),
# what depends on the kernel.  Left out, as CPU-bound under emulation
# (minutes each) and the same on any kernel: seccomp's SIGSYS and x32
# loops, the apply of sparse files, the output flood.
# One a line.
suites="test-isolation
test-seccomp:*/denied calls fail*,*/i386*,*/TIOC*
test-limits::*/applying*,*/100 MB*
test-ladder
test-layers
test-lifecycle
security/test-sec-degraded
security/test-sec-memory"

skip() {
	echo "SKIP: check-vm: $*"
	echo "## tests: 0 passed, 0 failed, 1 skipped"
	exit 77
}

[ -x "$builddir/sbx" ] && [ -x "$builddir/sbx-supervisor" ] ||
	{ echo "run.sh: run it from a built tree (make check-vm)"; exit 2; }
[ "$(id -u)" = 0 ] ||
	skip "building the guest image and installing into it need root"
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
	skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
command -v debootstrap >/dev/null 2>&1 ||
	skip "no debootstrap (apt-get install debootstrap)"
command -v mkfs.ext4 >/dev/null 2>&1 || skip "no mkfs.ext4 (e2fsprogs)"

# ------------------------------------------------------------ the image
# Rebuilt when its recipe or the kernels change.
want=$(sha256sum <"$vmdir/build-image.sh" | cut -c1-16)
img=$cache/$want
if [ ! -f "$img/done" ]; then
	# older images (another recipe or kernel list) go
	for d in "$cache"/????????????????; do
		[ -d "$d" ] && rm -rf "$d"
	done
	rm -rf "$img"
	mkdir -p "$img"
	start=$(date +%s)
	echo "=== building the guest image in $img"
	if ! nice sh "$vmdir/build-image.sh" "$img"; then
		rm -rf "$img"
		skip "the guest image could not be built (Debian's archive" \
			"unreachable?); see above"
	fi
	echo "=== image built in $(($(date +%s) - start)) s"
	touch "$img/done"
fi
. "$img/guest.env"

# The host's binaries run in the guest only if its C library is no newer.
host_glibc=$(ldd --version | sed -n '1s/.* //p')
[ "$(printf '%s\n%s\n' "$host_glibc" "$GLIBC" | sort -V | tail -1)" = "$GLIBC" ] ||
	skip "this host's C library ($host_glibc) is newer than Debian 12's" \
		"($GLIBC): its binaries cannot run in the guest"

# ------------------------------------------------------ the payload disk
# The project installed (make install DESTDIR=, the Python package into
# the guest's site-packages), the test programs built here (at this
# tree's path, which they have compiled in), and the scripts.
work=$(mktemp -d /tmp/sbx-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
stage=$work/stage
mkdir -p "$stage/install" "$stage/build"
if ! make -s install DESTDIR="$stage/install" >"$work/install.log" 2>&1; then
	cat "$work/install.log"
	echo "run.sh: make install DESTDIR= failed"
	exit 2
fi
# libtool installs the module only where configure's Python wants it:
# move the package to the guest's /usr/bin/python3's site-packages.
hostpy=$(sed -n 's/^pyexecdir = //p' Makefile)
if [ -n "$hostpy" ] && [ -d "$stage/install$hostpy/sandbox" ] &&
	[ "$hostpy" != "$PYTHON_SITE" ]; then
	mkdir -p "$stage/install$PYTHON_SITE"
	mv "$stage/install$hostpy/sandbox" "$stage/install$PYTHON_SITE/"
fi
py_ext=$(ls "$stage/install$PYTHON_SITE/sandbox/" 2>/dev/null | sed -n 's/^_sandbox//p' | head -1)
[ -z "$py_ext" ] || [ "$py_ext" = "$PYTHON_EXT" ] ||
	echo "PYTHON_MISSING=built for $py_ext, the guest's python3 wants $PYTHON_EXT" >>"$stage/env"
[ -n "$py_ext" ] ||
	echo "PYTHON_MISSING=the Python binding was not built (configure found no python3-dev or swig)" >>"$stage/env"
# Test programs: the real executables behind libtool's wrappers (in the
# guest they find the installed libsandbox).
(cd "$builddir" && find tests -type f ! -path '*/.deps/*' ! -path '*/.libs/*' \
	! -name '*.[cho]' ! -name '*.l[ao]' ! -name '*.log' ! -name '*.trs' \
	! -name '*.mk' ! -name 'Makefile*') | while read -r f; do
	mkdir -p "$stage/build/$(dirname "$f")"
	real=$builddir/$(dirname "$f")/.libs/$(basename "$f")
	if grep -q 'libtool wrapper' "$builddir/$f" 2>/dev/null && [ -f "$real" ]; then
		cp "$real" "$stage/build/$f"
	else
		cp -p "$builddir/$f" "$stage/build/$f"
	fi
done
rm -rf "$stage/build/tests/vm/cache"
cp "$vmdir/guest-run.sh" "$stage/run"
cp "$vmdir/payload.sh" "$stage/payload.sh"
{
	echo "BUILDDIR=$builddir"
	echo "SBX_TEST_RUNS=${SBX_VM_RUNS:-20}"
	# "none": only the payload's own checks
	[ "${SBX_VM_SUITES:-}" = none ] && suites=
	[ "${SBX_VM_SUITES:-none}" = none ] || suites=$SBX_VM_SUITES
	echo "SBX_VM_SUITES='$suites'"
} >>"$stage/env"
size=$(du -sm "$stage" | cut -f1)
mkfs.ext4 -q -F -L payload -d "$stage" "$work/payload.img" "$((size * 2 + 64))M" ||
	{ echo "run.sh: mkfs.ext4 -d of the payload failed"; exit 2; }

# ------------------------------------------------------------- the boots
passed=0 failed=0 skipped=0
for k in $kernels; do
	if [ ! -f "$img/vmlinuz-$k" ]; then
		echo "SKIP: no $k kernel in the image (Debian's archive had none)"
		skipped=$((skipped + 1))
		continue
	fi
	eval "kv=\${KERNEL_$k:-?}"
	echo "=== booting $k kernel $kv (QEMU, software emulation)"
	start=$(date +%s)
	out=$builddir/tests/vm/$k
	mkdir -p "$out"
	rm -f "$out/console.log" "$out/payload.log"
	# -snapshot: the cached image is never written
	timeout -k 10 "$timeout" nice qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu qemu64 \
		-smp "${SBX_VM_SMP:-2}" -m "${SBX_VM_MEM:-1024}" \
		-nic none -display none -monitor none -no-reboot -snapshot \
		-kernel "$img/vmlinuz-$k" -initrd "$img/initrd-$k" \
		-append "root=/dev/vda rw console=ttyS0 quiet loglevel=4 systemd.show_status=0 panic=-1" \
		-drive "file=$img/rootfs.img,format=raw,if=virtio" \
		-drive "file=$work/payload.img,format=raw,if=virtio,readonly=on" \
		-serial "file:$out/console.log" -serial "file:$out/payload.log" \
		</dev/null
	rc=$?
	tr -d '\r' <"$out/payload.log" >"$out/payload.txt"
	sed 's/^/  | /' "$out/payload.txt"
	echo "=== $k: QEMU exit $rc after $(($(date +%s) - start)) s" \
		"(console: $out/console.log)"
	if [ "$rc" = 124 ] || ! grep -q '^VM: payload exit' "$out/payload.txt"; then
		echo "FAIL: $k: the payload did not finish (timeout or crash); the console's end:"
		tail -30 "$out/console.log" | tr -d '\r' | sed 's/^/  | /'
		failed=$((failed + 1))
		continue
	fi
	# every part of the payload prints "## tests: P passed, F failed, S skipped"
	set -- $(grep -h '^## tests:' "$out/payload.txt" | sed 's/[^0-9 ]//g' |
		awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}')
	passed=$((passed + $1)) failed=$((failed + $2)) skipped=$((skipped + $3))
done
echo "## tests: $passed passed, $failed failed, $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
