#!/bin/sh
# sbx's exit statuses: for a few cases, the status sbx really exits with
# against the one list of them (enum cli_exit, tools/cli.h), README's
# table of them and the usage text, so that none of the three can change
# alone.
set -u
sbx=${SBX:-./sbx}
src=${srcdir:-.}
tmp=$(mktemp -d /tmp/sbx-exit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); echo "ok: $1"; }
no() { failed=$((failed + 1)); echo "FAIL: $1"; sed 's/^/  | /' "$tmp/err" 2>/dev/null; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $1"; }

# code NAME: the value of CLI_EXIT_NAME in tools/cli.h
code() {
	sed -n "s/^[[:space:]]*CLI_EXIT_$1 = \([0-9][0-9]*\),.*/\1/p" \
		"$src/tools/cli.h"
}
# row STATUS: the text of README's row "| STATUS | ... |"
row() { grep -F -- "| $1 | " "$src/README.md"; }

# check DESCRIPTION STATUS ROW WORDS CMD...: CMD exits with STATUS, and
# README's row "| ROW | ... |" says WORDS (ROW is STATUS where README
# writes the number itself).
check() {
	d=$1 want=$2 key=$3 words=$4
	shift 4
	if [ -z "$want" ]; then
		no "$d: no such code in tools/cli.h"
		return
	fi
	"$@" >/dev/null 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" != "$want" ]; then
		no "$d: exit $rc, enum cli_exit says $want"
	elif ! row "$key" | grep -qF -- "$words"; then
		no "$d: README has no row \"| $key | ...$words...\""
	else
		ok "$d: $want"
	fi
}

signal=$(code SIGNAL)
check "the program's own status" 3 "the program's own" "it exited" \
	"$sbx" run --no-pty -- /bin/sh -c 'exit 3'
check "killed by SIGTERM" $((signal + 15)) "$signal+N" "killed by signal N" \
	"$sbx" run --no-pty -- /bin/sh -c 'kill -TERM $$'
check "a timeout" "$(code TIMEOUT)" "$(code TIMEOUT)" "wall clock" \
	"$sbx" run --no-pty --timeout 0.3 -- /bin/sleep 30
check "a bad option" "$(code SETUP)" "$(code SETUP)" "bad option" \
	"$sbx" run --frob -- /bin/true
check "no sandbox without its workspace" "$(code SETUP)" "$(code SETUP)" \
	"could not be set up" \
	"$sbx" run --workspace "$tmp/missing" -- /bin/true
check "a program that cannot be executed" "$(code NOEXEC)" \
	"$(code NOEXEC)" "cannot be executed" \
	"$sbx" run --no-pty -- /etc/passwd
check "a program that is not there" "$(code NOTFOUND)" "$(code NOTFOUND)" \
	"not found" "$sbx" run --no-pty -- sbx-no-such-program
if unshare --user --map-root-user true 2>/dev/null; then
	check "doctor without user namespaces" "$(code CANNOT_RUN)" \
		"$(code CANNOT_RUN)" "sbx doctor" \
		unshare --user --map-root-user sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' \
		sh "$sbx" doctor
else
	skip "doctor without user namespaces: no user namespace to disable them in"
fi

# The usage text names the same codes.
"$sbx" run --help >"$tmp/help" 2>"$tmp/err"
for name in TIMEOUT SETUP NOEXEC NOTFOUND; do
	if grep -qw -- "$(code $name)" "$tmp/help"; then
		ok "usage: CLI_EXIT_$name"
	else
		no "usage: CLI_EXIT_$name ($(code $name)) not in \`sbx run --help\`"
	fi
done

echo "## tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
