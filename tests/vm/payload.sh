#!/bin/sh
# payload.sh - what tests/vm/run.sh runs in the guest (Debian 12's kernel,
# systemd, cgroup v2, AppArmor, Landlock ABI 2), from the build tree's
# path, with the project installed.  payload.sh root|user|nouserns:
#   root, user  sbx doctor's verdicts, the sandbox's cgroup v2 seen from
#               the guest (limits, born in it, removed after), the kernel-
#               dependent suites, the Python binding;
#   nouserns    the fallback ladder with user.max_user_namespaces=0.
# Each part prints "## tests: P passed, F failed, S skipped".
set -u
mode=$1
export SBX_SUPERVISOR=/usr/local/libexec/sbx-supervisor
sbx=/usr/local/bin/sbx
tmp=$(mktemp -d /var/tmp/sbx-vm/payload.XXXXXX)
chmod 755 "$tmp"
passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
no() {
	failed=$((failed + 1))
	echo "FAIL: $1"
	for f in "$tmp/out" "$tmp/err"; do
		[ -s "$f" ] && head -c 3000 "$f" | sed 's/^/  | /'
	done
}
skp() { skipped=$((skipped + 1)); echo "SKIP: $1"; }
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
has() { grep -qE -- "$2" "$tmp/$1"; }
expect() { d=$1; shift; if "$@"; then ok "$d"; else no "$d"; fi; }
summary() {
	echo "## tests: $passed passed, $failed failed, $skipped skipped"
	passed=0 failed=0 skipped=0
}
# a key of sbx doctor --json, or of a check: py EXPR (d is the report)
doc() {
	python3 -c "import json,sys; d=json.load(open('$tmp/doctor.json')); c={x['name']:x for x in d['checks']}; print($1)"
}
landlock_abi() { doc "d.get('landlock_abi', 0)"; }

doctor_checks() { # sbx doctor's verdicts on this host
	echo "--- sbx doctor ($mode)"
	run "$sbx" doctor
	cat "$tmp/out"
	if [ "$mode" = nouserns ]; then
		expect "doctor: exit 1 without user namespaces" test "$rc" = 1
	else
		expect "doctor: exit 0 (the default policy runs)" test "$rc" = 0
	fi
	"$sbx" doctor --json >"$tmp/doctor.json" 2>"$tmp/err"
	expect "doctor: Landlock ABI $(landlock_abi) (2 or later: Debian 12's 6.1 has 2)" \
		test "$(landlock_abi)" -ge 2
	expect "doctor: the landlock line names the ABI" \
		test "$(doc "'ABI %d' % d['landlock_abi'] in c['landlock']['summary']")" = True
	# AppArmor is on in the guest, and the supervisor runs unconfined
	expect "doctor: the lsm line says AppArmor is on" \
		test "$(doc "c['lsm']['apparmor'] and 'AppArmor on' in c['lsm']['summary']")" = True
	expect "doctor: the lsm line names apparmor among the modules" \
		test "$(doc "'apparmor' in (c['lsm']['modules'] or '')")" = True
	if [ "$(landlock_abi)" -lt 6 ]; then
		expect "doctor: below ABI 6, --allow-degraded cannot run" \
			test "$(doc "d['can_run_degraded']")" = False
	fi
	if [ "$mode" = nouserns ]; then
		expect "doctor: userns FAIL" test "$(doc "c['userns']['status']")" = fail
	else
		expect "doctor: cgroup v2, ok" \
			test "$(doc "c['cgroup']['status'] + ' ' + c['cgroup']['summary'][:3]")" = "ok v2:"
		expect "doctor: the cgroup line names memory and pids" \
			test "$(doc "'memory' in c['cgroup']['summary'] and 'pids' in c['cgroup']['summary']")" = True
	fi
	summary
}

python_smoke() {
	echo "--- the Python binding ($mode)"
	if [ -n "${PYTHON_MISSING:-}" ]; then
		skp "python: $PYTHON_MISSING"
		summary
		return
	fi
	cat >"$tmp/smoke.py" <<'PY'
import sandbox
r = sandbox.run(["python3", "-c", "print(6 * 7)"], timeout=30, memory="256M")
assert (r.returncode, r.stdout, r.status) == (0, b"42\n", "exited"), r
assert r.limits["memory"].mechanism == "cgroup-v2", r.limits
r = sandbox.run(["python3", "-c", "b = bytearray(512 << 20)"], timeout=60,
                memory="64M")
assert r.reason == "memory", (r.status, r.reason)
print("python smoke: ok")
PY
	run /usr/bin/python3 "$tmp/smoke.py"
	expect "python: import sandbox, run, the memory limit" has out "python smoke: ok"
	summary
}

# The cgroup of a running sandbox, from the guest's side: its limits,
# whether it was born there (no migration into it: root may trace them),
# and that it is gone after the run.
# Make systemd realize its units' cgroups, as any unit starting does.
realize() {
	if [ "$mode" = user ]; then
		systemd-run --user --scope --quiet true
		systemctl --user daemon-reload
	else
		systemd-run --scope --quiet true
		systemctl daemon-reload
	fi
}
xattr() {
	python3 -c "import os,sys; print(os.getxattr(sys.argv[1], sys.argv[2]).decode())" "$1" "$2" 2>/dev/null || echo "(none)"
}
sctl() { if [ "$mode" = user ]; then systemctl --user "$@"; else systemctl "$@"; fi; }

# No sbx-*.scope unit (loaded, even failed or inactive) or cgroup is left
# once the supervisors are gone: systemd removes an empty scope, and
# CollectMode=inactive-or-failed unloads it (after a bounded wait: that
# is systemd's work, after our exit).
leftovers_check() {
	echo "--- leftovers ($mode)"
	i=0
	while [ $i -lt 50 ]; do
		units=$(sctl list-units --all --no-legend 'sbx-*.scope' 2>&1)
		dirs=$(find /sys/fs/cgroup -name 'sbx-*.scope' 2>/dev/null)
		[ -z "$units$dirs" ] && break
		sleep 0.2
		i=$((i + 1))
	done
	echo "units: ${units:-none}; scopes: ${dirs:-none}"
	expect "leftovers: no sbx-* unit loaded after the runs" test -z "$units"
	expect "leftovers: no sbx-*.scope cgroup after the runs" test -z "$dirs"
	summary
}

# What a scope costs a run: runs with limits with the manager's sockets
# open (a scope each, for a user under systemd) against the same runs
# with them closed (no scope: the cgroup in the slice, the same cgroup
# work otherwise), alternated so that the guest's drift counts in both;
# and runs without limits.  Printed, not judged: the guest is emulated.
scope_cost() {
	echo "--- the cost of a run's scope ($mode)"
	# (root makes no scope, and permissions do not stop it anyway)
	socks=
	[ "$mode" = user ] &&
		socks="/run/user/$(id -u)/systemd/private /run/user/$(id -u)/bus"
	modes=$(stat -c %a $socks /dev/null)
	with=0 without=0 none=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		t=$(date +%s%N)
		"$sbx" run --memory 64M --pids 64 --cpus 1 -- /bin/true >/dev/null 2>&1
		with=$((with + $(date +%s%N) - t))
		[ -z "$socks" ] || chmod 000 $socks
		t=$(date +%s%N)
		"$sbx" run --memory 64M --pids 64 --cpus 1 -- /bin/true >/dev/null 2>&1
		without=$((without + $(date +%s%N) - t))
		set -- $modes
		for s in $socks; do chmod "$1" "$s"; shift; done
		t=$(date +%s%N)
		"$sbx" run -- /bin/true >/dev/null 2>&1
		none=$((none + $(date +%s%N) - t))
	done
	echo "ms per run, 10 each: limits $((with / 10000000)), limits with" \
		"the manager unreachable $((without / 10000000)), no limits" \
		"$((none / 10000000))"
	# what systemd's own tool pays for a transient scope here, the
	# reference for the difference above
	if [ "$mode" = user ]; then
		t=$(date +%s%N)
		for i in 1 2 3 4 5 6 7 8 9 10; do
			systemd-run --user --scope --quiet true
		done
		sr=$((($(date +%s%N) - t) / 10000000))
		t=$(date +%s%N)
		for i in 1 2 3 4 5 6 7 8 9 10; do
			env true
		done
		echo "ms per run, 10 each: systemd-run --user --scope true $sr," \
			"true $((($(date +%s%N) - t) / 10000000))"
	fi
}

cgroup_checks() {
	echo "--- the sandbox's cgroup, seen from the guest ($mode)"
	tr=/sys/kernel/tracing
	tracing=
	if [ "$mode" = root ] && [ -d $tr/events/cgroup/cgroup_attach_task ]; then
		echo 0 >$tr/tracing_on
		echo >$tr/trace
		echo 1 >$tr/events/cgroup/cgroup_attach_task/enable
		echo 1 >$tr/tracing_on && tracing=1
	fi
	# Control: a cgroup of our own in a slice systemd manages loses cpu
	# when systemd realizes the slice (nothing there asks for cpu), so
	# the sandbox's cpu.max kept below is kept for a reason.
	if [ "$mode" = user ]; then
		slice=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
		slice=${slice%/*}
		ctl=$slice/vm-control
	else
		slice=/sys/fs/cgroup/system.slice ctl=$slice/vm-control
	fi
	mkdir "$ctl" && echo +cpu >"$slice/cgroup.subtree_control" &&
		echo "50000 100000" >"$ctl/cpu.max"
	before=$(cat "$ctl/cpu.max" 2>&1)
	realize
	echo "control: $ctl cpu.max '$before', after systemd's reload: $(cat "$ctl/cpu.max" 2>&1)"
	expect "cgroup: (control) a cgroup in ${slice##*/} loses cpu.max when systemd realizes it" \
		test "$before" = "50000 100000" -a ! -e "$ctl/cpu.max"
	rmdir "$ctl"
	# long enough for systemd's reload below under emulation
	marker="sleep 25.$$"
	"$sbx" run --memory 64M --pids 32 --cpus 0.5 --json-result "$tmp/r.json" \
		-- sh -c "$marker" >"$tmp/out" 2>"$tmp/err" &
	job=$!
	pid= i=0
	while [ -z "$pid" ] && [ $i -lt 100 ]; do
		sleep 0.2
		pid=$(pgrep -f -x "$marker" | head -1)
		i=$((i + 1))
	done
	cg=
	[ -n "$pid" ] && cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
	echo "the sandbox's cgroup: ${cg:-(not found)}"
	val() { cat "$cg/$1" 2>/dev/null; }
	expect "cgroup: the sandbox runs in a cgroup of its own" \
		test -n "$pid" -a -d "$cg" -a "$cg" != /sys/fs/cgroup
	if [ "$mode" = user ]; then
		expect "cgroup: inside the user's delegated user@$(id -u).service" \
			test "${cg#*/user@$(id -u).service/}" != "$cg"
	fi
	expect "cgroup: memory.max 64M" test "$(val memory.max)" = 67108864
	expect "cgroup: memory.swap.max 0" test "$(val memory.swap.max)" = 0
	expect "cgroup: memory.oom.group 1" test "$(val memory.oom.group)" = 1
	expect "cgroup: pids.max 32" test "$(val pids.max)" = 32
	expect "cgroup: cpu.max half a CPU" test "$(val cpu.max)" = "50000 100000"
	if [ "$mode" = user ]; then
		# the supervisor's own scope, delegated (systemd.c)
		expect "cgroup: in a delegated scope of its own (sbx-*.scope)" \
			test "${cg%/sbx-*.scope/sbx-*}" != "$cg"
		echo "the scope: user.delegate=$(xattr "${cg%/*}" user.delegate)," \
			"subtree_control: $(cat "${cg%/*}/cgroup.subtree_control")," \
			"$(systemctl --user list-units --all --no-legend 'sbx-*.scope' | head -3)"
	else
		expect "cgroup: root's is in /libsandbox at the top" \
			test "${cg#/sys/fs/cgroup/libsandbox/sbx-}" != "$cg"
	fi
	# systemd rewrites the controllers of its slices whenever a unit in
	# them starts: the sandbox's limits must outlive that (as root, the
	# kernel keeps cpu at the top: /libsandbox has it enabled for its
	# children, and a controller cannot be taken from a parent while a
	# child hands it on)
	realize
	echo "after systemd's reload: memory.max $(val memory.max)," \
		"pids.max $(val pids.max), cpu.max $(val cpu.max)," \
		"$(cat "$cg/../cgroup.subtree_control" 2>&1)"
	expect "cgroup: memory.max kept when systemd realizes the slices" \
		test "$(val memory.max)" = 67108864
	expect "cgroup: pids.max kept when systemd realizes the slices" \
		test "$(val pids.max)" = 32
	expect "cgroup: cpu.max kept when systemd realizes the slices" \
		test "$(val cpu.max)" = "50000 100000"
	wait $job
	expect "cgroup: the run ended well" test $? = 0
	expect "cgroup: removed after the run" test -n "$cg" -a ! -d "$cg"
	for l in memory pids cpu_share; do
		expect "cgroup: the result says $l by cgroup-v2" \
			grep -q "\"$l\":{[^}]*\"mechanism\":\"cgroup-v2\"" "$tmp/r.json"
	done
	if [ "$mode" = user ]; then
		# No manager to ask (its sockets closed to us for a moment):
		# the cgroup goes in the slice as before, and the result says
		# that its limits may not hold.
		rt=/run/user/$(id -u)
		modes=$(stat -c %a "$rt/systemd/private" "$rt/bus")
		chmod 000 "$rt/systemd/private" "$rt/bus"
		"$sbx" run --memory 64M --cpus 0.5 --json-result "$tmp/f.json" \
			-- /bin/true >/dev/null 2>&1
		set -- $modes
		chmod "$1" "$rt/systemd/private"
		chmod "$2" "$rt/bus"
		python3 -c "import json; print(json.load(open('$tmp/f.json'))['message'])"
		expect "cgroup: no systemd manager answers: the result says the limits may not hold" \
			grep -q 'cgroup limits may not hold.*systemd rewrites.*cpu' "$tmp/f.json"
	fi
	if [ -n "$tracing" ]; then
		name=${cg##*/}
		expect "cgroup: born in it (clone3 CLONE_INTO_CGROUP: no process moved in)" \
			test -n "$name" -a "$(grep -c "dst_path=[^ ]*/$name " $tr/trace)" = 0
		# control: a move into a cgroup is traced
		mkdir /sys/fs/cgroup/sbx-vm-control
		sleep 5 &
		echo $! >/sys/fs/cgroup/sbx-vm-control/cgroup.procs
		kill $!
		wait $! 2>/dev/null
		expect "cgroup: (control) a process moved in is traced" \
			grep -q "dst_path=/sbx-vm-control " $tr/trace
		grep cgroup_attach_task $tr/trace | tail -3
		echo 0 >$tr/events/cgroup/cgroup_attach_task/enable
		rmdir /sys/fs/cgroup/sbx-vm-control
		echo >$tr/trace
	else
		skp "cgroup: born in it (needs root's tracefs)"
	fi
	summary
}

# The kernel-dependent CUnit suites, built on the host.  SBX_VM_SUITES lists,
# one a line,
# "program:only:skip" (testlib's SBX_TEST_ONLY and SBX_TEST_SKIP); what
# would take too long under software emulation is left out.
suites() {
	echo "$SBX_VM_SUITES" | while IFS= read -r s; do
		[ -n "$s" ] || continue
		prog=$(echo "$s" | cut -d: -f1)
		only=$(echo "$s" | cut -s -d: -f2)
		skip=$(echo "$s" | cut -s -d: -f3)
		echo "--- $prog ($mode)${only:+ only $only}${skip:+ skipping $skip}"
		start=$(date +%s)
		SBX_TEST_ONLY="$only" SBX_TEST_SKIP="$skip" "tests/$prog" \
			>"$tmp/suite" 2>&1
		rc=$?
		cat "$tmp/suite"
		# a program that died before its summary counts as a failure
		grep -q '^## tests:' "$tmp/suite" ||
			echo "## tests: 0 passed, 1 failed, 0 skipped"
		echo "--- $prog: exit $rc in $(($(date +%s) - start)) s"
	done
}

nouserns() {
	sysctl=/proc/sys/user/max_user_namespaces
	old=$(cat $sysctl)
	echo 0 >$sysctl
	doctor_checks
	echo "--- tests/ladder-sysctl.sh"
	SBX=$sbx sh tests/ladder-sysctl.sh
	echo "$old" >$sysctl
}

case $mode in
root | user)
	doctor_checks
	cgroup_checks
	scope_cost
	suites
	python_smoke
	leftovers_check
	;;
nouserns) nouserns ;;
esac
rm -rf "$tmp"
