#!/bin/sh
# demo.sh - run untrusted.py under `sbx run` and check on the host that none
# of its attempts got through: a secret in the caller's environment, a
# listener on the host's loopback and an abstract unix socket, a project
# directory it may read but not change, the host's /dev/null.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SBX=${SBX:-sbx}
command -v "$SBX" >/dev/null 2>&1 || SBX="$here/../../sbx"

work=$(mktemp -d /tmp/sbx-demo.XXXXXX)
trap 'kill $listener 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir "$work/project"
cp "$here/untrusted.py" "$work/project/"
echo "a project the untrusted code works on" > "$work/project/README.md"

# A service on the host: counts connections it receives.
python3 - "$work" <<'PY' &
import os, socket, sys, threading
work = sys.argv[1]
tcp = socket.socket(); tcp.bind(("127.0.0.1", 0)); tcp.listen()
uds = socket.socket(socket.AF_UNIX); uds.bind("\0sbx-demo-" + str(os.getpid())); uds.listen()
open(work + "/addr", "w").write(f"{tcp.getsockname()[1]} sbx-demo-{os.getpid()}\n")
def serve(s):
    while True:
        c, _ = s.accept()
        open(work + "/connections", "a").write("connection\n")
        c.close()
for s in (tcp, uds):
    threading.Thread(target=serve, args=(s,), daemon=True).start()
threading.Event().wait()
PY
listener=$!
while [ ! -s "$work/addr" ]; do sleep 0.05; done
read -r port abstract < "$work/addr"

devnull=$(stat -c '%a %Z' /dev/null)
export AWS_SECRET_ACCESS_KEY="demo-aws-secret" OPENAI_API_KEY="sk-demo-not-real"
echo "== sbx run --workspace project -- python3 untrusted.py"
"$SBX" run --workspace "$work/project" --timeout 30 -- \
	python3 untrusted.py "${HOME:-/root}" "$port" "$abstract"
rc=$?

echo "== checked on the host"
fail=0
if [ -s "$work/connections" ]; then
	echo "  LEAKED   the host's listeners got $(wc -l < "$work/connections") connection(s)"; fail=1
else
	echo "  ok       the host's listeners got no connection"
fi
if [ -f "$work/project/README.md" ]; then
	echo "  ok       the project is intact"
else
	echo "  LEAKED   the project lost a file"; fail=1
fi
if [ "$(stat -c '%a %Z' /dev/null)" = "$devnull" ]; then
	echo "  ok       the host's /dev/null is untouched"
else
	echo "  LEAKED   the host's /dev/null changed"; fail=1
fi
if [ $rc = 0 ] && [ $fail = 0 ]; then
	echo "== every attempt was blocked"
	exit 0
fi
echo "== something got through (exit $rc)"
exit 1
