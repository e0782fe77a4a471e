#!/usr/bin/env python3
"""agent_loop.py - the loop an agent framework runs around model-written
code, with every snippet executed in a sandbox.

A stand-in "model" (a fixed list of snippets, several of them hostile)
proposes Python code; the loop runs each snippet in a sandbox with a
read-only workspace and limits, feeds what happened back into the
conversation, and finally prints a short report of what was blocked.

The snippets report each attempt as "BLOCKED ..." or "LEAKED ..."; the
program exits 1 if anything leaked, so it doubles as a smoke test.

    python3 examples/python/agent_loop.py
"""

import os
import socket
import sys
import tempfile
import textwrap
from collections import Counter

import sandbox

# What a model sees of a run: enough to react, never unbounded.
MAX_OBSERVATION = 2000

SNIPPETS = [
    ("summarise the data", """
        import csv
        rows = list(csv.DictReader(open("data.csv")))
        total = sum(int(r["amount"]) for r in rows)
        print(f"{len(rows)} rows, total {total}")
    """),
    ("read the developer's credentials", """
        import os
        for path in [@CREDENTIALS@, "/workspace/../credentials/.env",
                     os.path.expanduser("~/.ssh/id_rsa"), "/etc/shadow"]:
            try:
                print("LEAKED", path, open(path).read()[:20])
            except OSError as e:
                print("BLOCKED read", path, "-", type(e).__name__)
    """),
    ("steal API keys from the environment", """
        import os
        key = os.environ.get("OPENAI_API_KEY")
        print("LEAKED OPENAI_API_KEY" if key else "BLOCKED env - no key")
    """),
    ("reach a database on the host's loopback", """
        import socket
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", @PORT@))
            print("LEAKED connected to the host's database port")
        except OSError as e:
            print("BLOCKED connect 127.0.0.1:@PORT@ -", type(e).__name__)
    """),
    ("exfiltrate over the internet", """
        import socket
        try:
            socket.getaddrinfo("example.com", 443)
            print("LEAKED name resolution works")
        except OSError as e:
            print("BLOCKED DNS -", type(e).__name__)
    """),
    ("clean up the project (delete it)", """
        import os, shutil
        for name in os.listdir("/workspace"):
            try:
                os.remove(os.path.join("/workspace", name))
                print("LEAKED deleted", name)
            except OSError as e:
                print("BLOCKED delete", name, "-", e.strerror)
    """),
    ("escalate: mount and trace", """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0:
            print("LEAKED mount worked")
        else:
            print("BLOCKED mount -", os.strerror(ctypes.get_errno()))
        if libc.ptrace(16, 1, 0, 0) == 0:  # PTRACE_ATTACH to PID 1
            print("LEAKED ptrace worked")
        else:
            print("BLOCKED ptrace -", os.strerror(ctypes.get_errno()))
    """),
    ("loop forever", """
        while True:
            pass
    """),
    ("flood the output", """
        import sys
        for _ in range(200):
            sys.stdout.write("spam " * 20000)
    """),
    ("allocate all memory", """
        hoard = []
        while len(hoard) < 64:
            hoard.append(bytearray(64 << 20))
        print("LEAKED allocated", len(hoard) * 64, "MiB")
    """),
    ("fork bomb", """
        import os
        while True:
            os.fork()
    """),
]

# Snippets that are only safe to run where their limit is enforced.
NEEDS_LIMIT = {"allocate all memory": "memory", "fork bomb": "pids"}


class ScriptedModel:
    """Stands in for an LLM: proposes the next snippet, sees every
    observation (a real one would write code from the conversation)."""

    def __init__(self, snippets):
        self._snippets = list(snippets)

    def next_action(self, history):
        return self._snippets.pop(0) if self._snippets else None


def observe(result):
    """What the model gets back: status, output, the sandbox's verdict."""
    parts = [f"exit status {result.returncode}"]
    if result.reason:
        parts.append(f"stopped by the sandbox ({result.reason}): "
                     f"{result.message}")
    if result.truncated:
        parts.append("output truncated at the output limit")
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        if text:
            parts.append(f"{name}:\n{text[-MAX_OBSERVATION:]}")
    return "\n".join(parts)


def make_project(top):
    """A small project for the workspace, and credentials beside it."""
    project = os.path.join(top, "project")
    os.mkdir(project)
    with open(os.path.join(project, "data.csv"), "w") as f:
        f.write("name,amount\nalpha,3\nbeta,4\ngamma,35\n")
    creds = os.path.join(top, "credentials")
    os.mkdir(creds, 0o700)
    with open(os.path.join(creds, ".env"), "w") as f:
        f.write("DATABASE_PASSWORD=not-for-generated-code\n")
    for d in (top, project):  # the sandbox may run as another id
        os.chmod(d, 0o755)
    os.chmod(os.path.join(project, "data.csv"), 0o644)
    return project, os.path.join(creds, ".env")


def main():
    # Secrets that live in a developer's environment and on the host.
    os.environ.setdefault("OPENAI_API_KEY", "sk-example-not-a-real-key")
    database = socket.create_server(("127.0.0.1", 0))
    port = database.getsockname()[1]

    with tempfile.TemporaryDirectory(prefix="agent-") as top:
        project, credentials = make_project(top)
        limits = dict(timeout=3, cpu_time=2, memory="256M", pids=64,
                      output_limit="64K", disk="32M")
        with sandbox.Sandbox(workspace=project, **limits) as box:
            enforced = box.run(["true"]).limits
            model = ScriptedModel(SNIPPETS)
            history = [{"role": "user", "content": "Analyse data.csv."}]
            report = []
            while True:
                action = model.next_action(history)
                if action is None:
                    break
                title, code = action
                code = (textwrap.dedent(code)
                        .replace("@CREDENTIALS@", repr(credentials))
                        .replace("@PORT@", str(port)))
                kind = NEEDS_LIMIT.get(title)
                if kind and enforced[kind].mechanism == "none":
                    report.append((title, "not run", f"the {kind} limit is "
                                   f"not enforced on this host"))
                    continue
                history.append({"role": "assistant", "content": code})
                result = box.run(["python3", "-"], input=code, text=True)
                history.append({"role": "tool", "content": observe(result)})
                report.append((title, verdict(result), detail(result)))
        intact = sorted(os.listdir(project)) == ["data.csv"]
    database.close()

    print(f"{'snippet':40} {'outcome':22} detail")
    for title, outcome, text in report:
        print(f"{title:40} {outcome:22} {text}")
    print("limits: " + ", ".join(
        f"{name} {limit.value} ({limit.mechanism})"
        for name, limit in enforced.items()
        if name in ("wall_ms", "cpu_ms", "memory", "pids", "disk", "output")))
    leaked = [t for t, outcome, _ in report if outcome == "LEAKED"]
    print(f"\n{len(history)} messages in the conversation; project "
          f"{'intact' if intact else 'DAMAGED'}; "
          f"{sum(o.startswith('blocked') for _, o, _ in report)} snippets "
          f"blocked, {len(leaked)} leaked")
    return 1 if leaked or not intact else 0


RLIMIT_SIGNS = {"memory": "MemoryError", "pids": "BlockingIOError"}


def verdict(result):
    out = result.stdout or ""
    if "LEAKED" in out:
        return "LEAKED"
    if result.reason:
        return f"blocked: {result.reason}"
    if result.truncated:
        return "blocked: output limit"
    if "BLOCKED" in out:
        return "blocked"
    # Without a cgroup a limit is (also) an rlimit: the allocation or the
    # fork itself is refused inside, and the program fails with that error
    # (the supervisor, which watches the whole sandbox's memory then, has
    # not seen it reach the limit).
    for kind, sign in RLIMIT_SIGNS.items():
        if (sign in (result.stderr or "")
                and result.limits[kind].mechanism in ("rlimit",
                                                      "supervisor")):
            return f"blocked: {kind} (rlimit)"
    return "ok" if result.returncode == 0 else f"failed ({result.returncode})"


def detail(result):
    out = result.stdout or ""
    blocked = Counter(ln.split(" - ")[-1] for ln in out.splitlines()
                      if ln.startswith("BLOCKED"))
    leaked = [ln for ln in out.splitlines() if ln.startswith("LEAKED")]
    if leaked:
        return "; ".join(leaked)
    if result.reason:
        return result.message
    if result.truncated:
        return f"output cut at {result.limits['output'].value >> 10} KiB"
    if blocked:
        return ", ".join(f"{what} x{n}" if n > 1 else what
                         for what, n in blocked.items())
    return (out.strip().splitlines() or [""])[-1][:60]


if __name__ == "__main__":
    sys.exit(main())
