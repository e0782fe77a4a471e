#!/bin/sh
# ladder-sysctl.sh - the fallback ladder with user namespaces really
# disabled host-wide.  tools/run-tests runs it as root, alone, after
# setting user.max_user_namespaces=0 (and restores it whatever happens);
# make check never does (other sandboxes on the machine would fail).
set -u
sbx=${SBX:-./sbx}
listener=
tmp=$(mktemp -d /tmp/sbx-sysctl.XXXXXX)
chmod 755 "$tmp"
# degraded runs use host paths, and a root caller's program runs as an id
# that owns nothing: stage the helper where any id may run it, in a
# directory of its own (the runs bind it; the secret stays outside)
try=${SBX_TRY:-$tmp/bin/sbx-try}
[ -n "${SBX_TRY:-}" ] || { mkdir -m 755 "$tmp/bin" && cp tests/sbx-try "$try" &&
	chmod 755 "$try"; }
trap '[ -n "$listener" ] && kill "$listener" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
no() { failed=$((failed + 1)); echo "FAIL: $1"; sed 's/^/  | /' "$tmp/out" "$tmp/err" 2>/dev/null; }
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
has() { grep -qF -- "$2" "$tmp/$1"; }
expect() { d=$1; shift; if "$@"; then ok "$d"; else no "$d"; fi; }

[ "$(cat /proc/sys/user/max_user_namespaces)" = 0 ] || {
	echo "user.max_user_namespaces is not 0: nothing to test"
	echo "## tests: 0 passed, 1 failed, 0 skipped"
	exit 1
}
echo "host secret" >"$tmp/secret"
chmod 644 "$tmp/secret"

run "$sbx" run /bin/true
expect "refused by default (125)" test "$rc" = 125
expect "the cause" has err "user.max_user_namespaces=0"
expect "the fix" has err "sysctl -w user.max_user_namespaces=15000"

run "$sbx" doctor
expect "doctor: exit 1" test "$rc" = 1
expect "doctor: the fix" has out "fix: sysctl -w user.max_user_namespaces=15000"

ro="--allow-degraded --ro-bind $(dirname "$try") --json-result $tmp/result.json"
# A kernel older than Landlock ABI 6 (Linux 6.12; Debian 12's 6.1 has ABI
# 2) refuses runs without namespaces too: nothing would keep signals and
# abstract unix sockets inside.
abi=$("$sbx" doctor --json | sed -n 's/.*"landlock_abi": *\([0-9]*\).*/\1/p')
if [ "${abi:-0}" -lt 6 ]; then
	run "$sbx" run $ro -- "$try" read "$tmp/secret"
	expect "Landlock ABI ${abi:-0}: --allow-degraded refused too (125)" test "$rc" = 125
	expect "Landlock ABI ${abi:-0}: the cause" has err "needs ABI 6 (Linux 6.12 or later)"
	expect "Landlock ABI ${abi:-0}: nothing ran" test ! -s "$tmp/out"
	echo "## tests: $passed passed, $failed failed, 0 skipped"
	[ "$failed" = 0 ]
	exit
fi
run "$sbx" run $ro -- "$try" read "$tmp/secret"
expect "degraded: runs" test -s "$tmp/result.json"
expect "degraded: a host file outside the policy is unreadable" has out EACCES
expect "degraded: says what it does not hide" has err "command lines"
# the sandbox's cgroup stays when the limits went to one
cg=
grep -q '"memory":{[^}]*"mechanism":"cgroup-v' "$tmp/result.json" &&
	cg=',"cgroup-v[12]:memory[a-z,]*"'
expect "degraded: the layers" grep -Eq '"layers":\["caps","nnp","landlock-abi[0-9]*:fs[a-z,]*","seccomp:no-sockets,no-sysv-ipc,no-metadata-changes,no-file-watching,no-other-processes"'"$cg"'\]' "$tmp/result.json"
expect "degraded: reported" grep -q '"degraded":true' "$tmp/result.json"

"$try" tcp-listen "$tmp/port" "$tmp/stop" >"$tmp/listener" &
listener=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
run "$sbx" run $ro -- "$try" tcp-connect 127.0.0.1 "$(cat "$tmp/port")"
expect "degraded: no TCP to the host's loopback" has out EPERM
printf '{"seccomp": {"allow": ["socket"]}}' >"$tmp/p.json"
run "$sbx" run $ro --policy "$tmp/p.json" -- "$try" tcp-connect 127.0.0.1 "$(cat "$tmp/port")"
expect "degraded: a policy cannot allow sockets" has err "cannot be allowed"
touch "$tmp/stop"
wait $listener
expect "the host's listener saw nobody" grep -q none "$tmp/listener"

echo "## tests: $passed passed, $failed failed, 0 skipped"
[ "$failed" = 0 ]
