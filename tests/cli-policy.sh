#!/bin/sh
# The sbx tool's policy options and commands, and `sbx doctor`: on this
# machine, and with user namespaces disabled in a user namespace of the
# test's own (user.max_user_namespaces is per user namespace, so nothing
# outside changes).
set -u
sbx=${SBX:-./sbx}
tmp=$(mktemp -d /tmp/sbx-cli.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); echo "ok: $1"; }
no() { failed=$((failed + 1)); echo "FAIL: $1"; sed 's/^/  | /' "$tmp/out" "$tmp/err" 2>/dev/null; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $1"; }
# run CMD...: output in $tmp/out and $tmp/err, status in $rc
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
has() { grep -qF -- "$2" "$tmp/$1"; }
expect() { # DESCRIPTION TEST...
	d=$1
	shift
	if "$@"; then ok "$d"; else no "$d"; fi
}

# A shell without user namespaces: its own user namespace, the sysctl 0.
nouserns() {
	unshare --user --map-root-user sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' sh "$@"
}
can_nouserns=0
unshare --user --map-root-user true 2>/dev/null && can_nouserns=1

# ---------------------------------------------------------------- doctor
run "$sbx" doctor
expect "doctor: exit 0 here" test "$rc" = 0
expect "doctor: the verdict" has out "The default policy can run here."
expect "doctor: user namespaces ok" has out "ok    userns"
expect "doctor: seccomp ok" has out "ok    seccomp"
# the security modules, as the host says (AppArmor's module parameter)
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	expect "doctor: AppArmor reported on" has out "AppArmor on, the supervisor"
else
	expect "doctor: no AppArmor reported" has out "ok    lsm         no AppArmor"
fi
run "$sbx" doctor --json
expect "doctor --json: exit 0" test "$rc" = 0
expect "doctor --json: the verdict" has out '"can_run_default": true'
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	expect "doctor --json: apparmor true" has out '"apparmor": true'
else
	expect "doctor --json: apparmor false" has out '"apparmor": false'
fi
run "$sbx" doctor --frob
expect "doctor: a bad option" test "$rc" = 125
# an unknown option names the command it was given to, and its help
run "$sbx" run --frob -- /bin/true
expect "run: a bad option (125)" test "$rc" = 125
expect "run: a bad option named" has err "sbx run: unrecognized option '--frob'"
expect "run: a bad option, the help" has err 'see `sbx run --help`'
run "$sbx" policy show --frob
expect "policy show: a bad option (125)" test "$rc" = 125
expect "policy show: a bad option named" has err "sbx policy show: unrecognized option '--frob'"
expect "policy show: a bad option, the help" has err 'see `sbx policy --help`'

if [ $can_nouserns = 1 ]; then
	run nouserns "$sbx" doctor
	expect "doctor without userns: exit 1" test "$rc" = 1
	expect "doctor without userns: FAIL line" has out "FAIL  userns"
	expect "doctor without userns: the cause" has out "user.max_user_namespaces=0"
	expect "doctor without userns: the fix" has out "fix: sysctl -w user.max_user_namespaces=15000"
	expect "doctor without userns: the verdict" has out "cannot run here"
	run nouserns "$sbx" doctor --json
	expect "doctor --json without userns" has out '"can_run_default": false'
	expect "doctor --json: what a degraded run does not hide" has out "command lines"
	if grep -q '"can_run_degraded": true' "$tmp/out"; then
		run nouserns "$sbx" doctor
		expect "doctor without userns: what a degraded run does not hide" has out "still sees"
	fi

	# ------------------------------------------------------- the ladder
	run nouserns "$sbx" run /bin/true
	expect "run without userns: refused (125)" test "$rc" = 125
	expect "run without userns: the cause" has err "user.max_user_namespaces=0"
	expect "run without userns: the way out" has err "--allow-degraded"
	run nouserns "$sbx" run --allow-degraded -- /bin/sh -c 'cat /etc/hostname >/dev/null && echo ran'
	if [ "$(id -u)" = 0 ]; then
		# only root is mapped there: the program may not run as root
		expect "degraded as the host's root: refused" test "$rc" = 125
		expect "degraded as the host's root: why" has err "host's root"
	else
		expect "degraded: runs" test "$rc" = 0
		expect "degraded: its output" has out "ran"
		expect "degraded: says so" has err "warning: ran degraded"
		expect "degraded: lists the layers" has err "landlock-abi"
		expect "degraded: says what it does not hide" has err "command lines"
	fi
else
	skip "no user namespace to disable user namespaces in"
fi

# ---------------------------------------------------------------- policy
run "$sbx" policy show
expect "show: exit 0" test "$rc" = 0
expect "show: the default network" has out '"network": "none"'
run "$sbx" policy show --preset strict --net host
expect "show: a preset" has out '"read_only": true'
expect "show: flags override the preset" has out '"network": "host"'
printf '{\n  "network": "host",\n  "limits": {"memory": "2G"}\n}\n' >"$tmp/p.json"
run "$sbx" policy show --net none --policy "$tmp/p.json"
expect "show: flags override the file, wherever they are" has out '"network": "none"'
expect "show: the file's keys" has out '"memory": "2G"'
printf '{\n  "network": "none",\n  "netwrok": "host"\n}\n' >"$tmp/bad.json"
run "$sbx" policy show --policy "$tmp/bad.json"
expect "a bad policy: 125" test "$rc" = 125
expect "a bad policy: file, line, key" has err "bad.json:3: netwrok: unknown key"
run "$sbx" run --policy "$tmp/missing.json" /bin/true
expect "a missing policy: 125 and its name" has err "missing.json"
run "$sbx" policy explain /etc/passwd ptrace /root/.ssh/id_rsa
expect "explain: exit 0" test "$rc" = 0
expect "explain: a path" has out "/etc/passwd: read yes, write no, exec yes"
expect "explain: a system call" has out "deny (EPERM)"
expect "explain: the host's home is not there" has out "/root/.ssh/id_rsa: read no, write no"
run "$sbx" policy explain --json --preset strict socket
expect "explain --json" has out '"errno": "EPERM"'
run "$sbx" policy explain no_such_call
expect "explain: an unknown call" test "$rc" = 125
run "$sbx" policy export --format docker-seccomp
expect "export: exit 0" test "$rc" = 0
expect "export: Docker's keys" has out '"defaultAction": "SCMP_ACT_ALLOW"'
expect "export: the deny list" has out '"ptrace"'
run "$sbx" policy export --format yaml
expect "export: a bad format" test "$rc" = 125
run "$sbx" policy frob
expect "policy: an unknown command" test "$rc" = 125
run "$sbx" policy show extra
expect "show: no arguments" test "$rc" = 125

# Numbers: digits, a fraction and a unit, read the same in every locale;
# nothing else that strtod() or strtoull() would also take.
run "$sbx" policy show --timeout 90s --cpu 1.5 --cpus 0.5 --memory 1.5G --pids 7
expect "numbers: a unit" has out '"wall": 90,'
expect "numbers: seconds" has out '"cpu": 1.5,'
expect "numbers: CPUs" has out '"cpus": 0.5,'
expect "numbers: a size" has out '"memory": "1536M",'
for arg in "--timeout= 5" "--timeout=5 s" "--timeout=1e3" "--timeout=0x10" \
	"--timeout=inf" "--timeout=-1" "--cpu=1,5" "--cpus=1e3" "--cpus=0.5s" \
	"--cpus=2000" "--pids= 5" "--pids=+5" "--pids=5.0" "--memory= 5M" \
	"--memory=5 M"; do
	run "$sbx" policy show "$arg"
	expect "numbers: $arg refused" test "$rc" = 125
done
run "$sbx" policy show --timeout 1e3
expect "numbers: the message names the flag" has err "--timeout: \"1e3\" is not a duration"
# The library's check (sbx_parse_limit()), as the bindings': its words,
# and 0 is no limit for a count as for every limit.
run "$sbx" policy show --pids 1.5
expect "numbers: a count's message is the library's" has err "--pids: \"1.5\" is not a count"
run "$sbx" policy show --ptys 99999999
expect "numbers: the table's maximum" has err "--ptys: \"99999999\" is larger than the maximum, 1048576"
run "$sbx" policy show --pids 0 --cpus 0
expect "numbers: a count of 0 is no limit" has out '"pids": 0,'

# ------------------------------------------------------- run with a policy
run "$sbx" run --require netns --net host /bin/true
expect "a required layer that is missing: 125" test "$rc" = 125
expect "a required layer: named" has err "requires the layer netns"
run "$sbx" run --require magic /bin/true
expect "an unknown layer" has err "unknown layer"
run "$sbx" run --preset strict -- /bin/sh -c 'echo x > /tmp/x'
expect "strict: /tmp is read-only" test "$rc" != 0
run "$sbx" run --read-only --json-result - -- /bin/true
expect "--read-only: reported" has err '"read-only"'
run "$sbx" policy show --allow-setid
expect "show: --allow-setid" has out '"allow_setid": true'
# a policy's output limit holds as --output-limit does (relayed and cut)
printf '{"limits": {"output": 10}}\n' >"$tmp/out.json"
run "$sbx" run --policy "$tmp/out.json" --json-result "$tmp/r.json" -- \
	/bin/sh -c 'echo 0123456789abcdef'
expect "a policy's output limit: cut" test "$(cat "$tmp/out")" = 0123456789
expect "a policy's output limit: reported" grep -q '"stdout_truncated":true' "$tmp/r.json"

# No variable passed through: the program gets an empty environment
# (the sandbox's init once got none at all, and crashed).
run env -i SBX_SUPERVISOR="${SBX_SUPERVISOR:-}" "$sbx" run --env PATH \
	--env HOME --env LANG --env TERM --env TMPDIR -- env
expect "an empty environment: runs" test "$rc" = 0
expect "an empty environment: is empty" test ! -s "$tmp/out"

# ------------------------------------------- one meaning in every front end
# --timeout 0 and --cpu 0 are no limit, as 0 is for the library
run "$sbx" policy show --timeout 0 --cpu 0
expect "--timeout 0: no limit" has out '"wall": 0,'
expect "--cpu 0: no limit" has out '"cpu": 0,'
# one rounding (sbx_parse_duration): to the nearest ms, halves up
run "$sbx" policy show --timeout 0.0015 --cpu 90s
expect "--timeout 0.0015: 2 ms" has out '"wall": 0.002,'
expect "--cpu 90s: a unit" has out '"cpu": 90,'
run "$sbx" run --timeout 0.0001 -- /bin/true
expect "--timeout 0.0001: refused, not no limit" has err "shorter than a millisecond"
run "$sbx" run --timeout -1 -- /bin/true
expect "--timeout -1: refused (125)" test "$rc" = 125
# a timeout has no exit code in the result (null: never 0)
run "$sbx" run --no-pty --timeout 0.3 --json-result "$tmp/r.json" -- /bin/sleep 30
expect "a timeout: 124" test "$rc" = 124
expect "a timeout: exit_code null" grep -q '"status":"timeout","exit_code":null' "$tmp/r.json"

# --rw without --workspace: the policy's workspace, made writable on the
# host (RW applies after the run); none at all is refused (125)
mkdir "$tmp/ws"
printf '{"workspace": "%s"}\n' "$tmp/ws" >"$tmp/ws.json"
run "$sbx" run --no-pty --policy "$tmp/ws.json" --rw -- /bin/sh -c 'echo w >/workspace/f'
expect "--rw with a policy's workspace: exit 0" test "$rc" = 0
expect "--rw with a policy's workspace: written" test -f "$tmp/ws/f"
run "$sbx" run --no-pty --policy "$tmp/ws.json" -- /bin/sh -c 'echo w >/workspace/g'
expect "a policy's workspace stays read-only" test ! -e "$tmp/ws/g"
run "$sbx" run --rw -- /bin/true
expect "--rw without a workspace: 125" test "$rc" = 125
expect "--rw without a workspace: why" has err "--rw: a writable mode needs a workspace"

echo "## tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
