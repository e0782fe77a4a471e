"""Policies from Python: preset=, policy= (a file or a dict), the options
over them, the switches of the policy issue (allow_degraded, require,
read_only, allow_setid, allow_trusted_paths), Sandbox.policy() and Sandbox.explain(), and the
result's degraded fields.  Every run is real: what a policy allows or
forbids is checked where it shows (the host's side of a socket, a file
in a workspace)."""

import asyncio
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import sandbox
from helpers import PY, Listener, SandboxTestCase, skip_userns

HERE = os.path.dirname(os.path.abspath(__file__))


class TempDir:
    """A directory of this test, removed after it."""

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="sbx-py-policy-")
        os.chmod(self.dir, 0o755)  # a root caller's sandbox is not root
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def write_policy(self, doc, name="policy.json"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc, indent=2))
        return path


class Documents(TempDir, unittest.TestCase):
    """What is checked before anything runs."""

    def test_unknown_key_names_the_key_and_the_line(self):
        # a dict: serialized one key a line, so "netwrok" is on line 3
        with self.assertRaises(sandbox.SandboxError) as cm:
            sandbox.Sandbox(policy={"version": 1, "netwrok": "host"})
        e = cm.exception
        self.assertIsInstance(e, ValueError)
        self.assertEqual(e.errno, errno.EINVAL)
        self.assertRegex(e.message, r":3: netwrok: unknown key; did you "
                         r"mean \"network\"")
        self.assertIn(e.message, str(e))
        # a file: its path and the line of the key
        path = self.write_policy('{\n  "limits": {\n    "memroy": "1G"\n'
                                 '  }\n}\n')
        with self.assertRaises(ValueError) as cm:
            sandbox.run(["true"], policy=path)
        self.assertIn(f"{path}:3: limits.memroy: unknown key",
                      cm.exception.message)
        # a bad value and a wrong type name their key
        with self.assertRaisesRegex(ValueError, r"limits\.memory: \"12Q\" "
                                    r"is not a size"):
            sandbox.Sandbox(policy={"limits": {"memory": "12Q"}})
        with self.assertRaisesRegex(ValueError, r"read_only"):
            sandbox.Sandbox(policy={"read_only": "yes"})

    def test_other_refusals(self):
        missing = os.path.join(self.dir, "nope.json")
        with self.assertRaises(FileNotFoundError) as cm:
            sandbox.Sandbox(policy=missing)
        self.assertIsInstance(cm.exception, sandbox.SandboxError)
        self.assertIn(missing, cm.exception.message)
        with self.assertRaisesRegex(ValueError, "unknown preset"):
            sandbox.Sandbox(preset="lax")
        with self.assertRaisesRegex(ValueError, "unknown layer"):
            sandbox.Sandbox(require=["netns", "moat"])
        for kw in (dict(policy=42), dict(policy=b"{}"), dict(preset=1),
                   dict(require=[1]), dict(policy={"x": object()})):
            with self.assertRaises(TypeError, msg=kw):
                sandbox.Sandbox(**kw)
        with self.assertRaisesRegex(ValueError, "^writable: .*needs a "
                                    "workspace"):
            sandbox.Sandbox(preset="build", writable=True)
        # a policy without a workspace: read-only is nothing to do
        sandbox.Sandbox(preset="build", writable=False).close()

    def test_policy_round_trips(self):
        ws = os.path.join(self.dir, "ws")
        os.mkdir(ws)
        path = self.write_policy({
            "preset": "build",
            "workspace": {"path": "ws", "mode": "rw"},  # relative: the file's
            "env": {"FROM_POLICY": "1", "PASSED": None},
            "limits": {"wall": 7, "memory": "300M"},
            "seccomp": {"deny": [{"name": "mknod", "errno": "EACCES"}]},
            "require": ["pidns"],
        })
        with sandbox.Sandbox(policy=path, memory="200M", env={"OPT": "2"},
                             require=["netns"], single_id=True) as sb:
            doc = sb.policy()
        self.assertEqual(doc["workspace"], {"path": os.path.realpath(ws),
                                            "mode": "rw"})
        self.assertEqual(doc["limits"]["memory"], "200M")  # the option's
        self.assertEqual(doc["limits"]["wall"], 7)
        self.assertEqual(doc["limits"]["pids"], 2048)  # the preset's
        self.assertEqual(doc["env"]["FROM_POLICY"], "1")
        self.assertIsNone(doc["env"]["PASSED"])
        self.assertEqual(doc["env"]["OPT"], "2")
        self.assertEqual(sorted(doc["require"]), ["netns", "pidns"])
        self.assertTrue(doc["single_id"])
        self.assertIn({"name": "mknod", "errno": "EACCES"},
                      doc["seccomp"]["deny"])
        # the exported document gives the same policy, as a dict or a file
        with sandbox.Sandbox(policy=doc) as again:
            self.assertEqual(again.policy(), doc)
        with sandbox.Sandbox(policy=self.write_policy(doc, "x.json")) as f:
            self.assertEqual(f.policy(), doc)
        # without a policy: what the options say (test_api: the
        # library's default wall-clock limit without timeout=)
        plain = sandbox.Sandbox(timeout=5, network="host").policy()
        self.assertEqual((plain["limits"]["wall"], plain["network"]),
                         (5, "host"))
        self.assertEqual(sandbox.Sandbox(policy=plain).policy(), plain)

    def test_explicit_options_override_the_policy(self):
        doc = {"network": "host", "read_only": True, "single_id": True,
               "allow_degraded": True, "limits": {"wall": 1, "pids": 99}}
        sb = sandbox.Sandbox(policy=doc)
        got = sb.policy()
        self.assertEqual((got["network"], got["read_only"], got["single_id"],
                          got["allow_degraded"], got["limits"]["pids"]),
                         ("host", True, True, True, 99))
        sb = sandbox.Sandbox(policy=doc, network="none", read_only=False,
                             single_id=False, allow_degraded=False, pids=7,
                             timeout=30, allow_setid=True)
        got = sb.policy()
        self.assertEqual((got["network"], got["read_only"], got["single_id"],
                          got["allow_degraded"], got["allow_setid"],
                          got["limits"]["pids"], got["limits"]["wall"]),
                         ("none", False, False, False, True, 7, 30))
        # the preset comes first, then the document, whatever the order
        got = sandbox.Sandbox(policy={"limits": {"pids": 5}},
                              preset="strict").policy()
        self.assertEqual((got["limits"]["pids"], got["read_only"]),
                         (5, True))

    def test_explain(self):
        sb = sandbox.Sandbox()
        passwd = sb.explain("/etc/passwd")
        self.assertEqual(passwd["kind"], "path")
        self.assertIs(passwd["read"], True)
        self.assertIs(passwd["write"], False)
        self.assertTrue(passwd["rule"])
        ptrace = sb.explain("ptrace")
        self.assertEqual((ptrace["kind"], ptrace["action"]),
                         ("syscall", "deny"))
        socket_rule = sb.explain("socket")
        self.assertEqual((socket_rule["action"], socket_rule["errno"]),
                         ("conditional", "EAFNOSUPPORT"))
        strict = sandbox.Sandbox(preset="strict")
        self.assertEqual(strict.explain("socket")["action"], "deny")
        self.assertIs(strict.explain("/tmp")["write"], False)
        allowed = sandbox.Sandbox(policy={"seccomp": {"allow": ["ptrace"]}})
        self.assertEqual(allowed.explain("ptrace")["action"], "allow")
        for bad in ("etc/passwd", "no_such_syscall", ""):
            with self.assertRaises(ValueError, msg=bad) as cm:
                sb.explain(bad)
            self.assertIsInstance(cm.exception, sandbox.SandboxError)
        sb.close()
        with self.assertRaises(ValueError):
            sb.policy()


class PolicyRuns(TempDir, SandboxTestCase):
    def test_policy_file_limits_end_a_run(self):
        path = self.write_policy({"limits": {"wall": "1s", "pids": 77}})
        r = sandbox.run(["sleep", "60"], policy=path)
        self.assertEqual((r.status, r.reason), ("timeout", "timeout"))
        self.assertLess(r.wall_time, 30)
        self.assertEqual(r.limits["wall_ms"].value, 1000)
        self.assertEqual(r.limits["pids"].value, 77)
        with self.assertRaises(sandbox.TimeoutExpired) as cm:
            sandbox.run(["sleep", "60"], policy=path, check=True)
        self.assertEqual(cm.exception.timeout, 1.0)
        # an explicit timeout wins over the policy's, on run() and per run
        r = sandbox.run(["sleep", "2"], policy=path, timeout=60)
        self.assertEqual((r.status, r.exit_code), ("exited", 0))
        with sandbox.Sandbox(policy=path) as sb:
            self.assertEqual(sb.run(["sleep", "60"]).reason, "timeout")
            r = sb.run(["sleep", "2"], timeout=60)
            self.assertEqual(r.status, "exited")
            self.assertEqual(sb.run(["true"]).limits["wall_ms"].value, 1000)
            # TimeoutExpired says the run's limit, the run's own here
            with self.assertRaises(sandbox.TimeoutExpired) as cm:
                sb.run(["sleep", "60"], timeout=0.5, check=True)
            self.assertEqual(cm.exception.timeout, 0.5)
            self.assertEqual(sb.run(["true"]).limits["wall_ms"].value, 1000)

    def test_network_from_a_dict_reaches_the_host_listener(self):
        srv = Listener()
        self.addCleanup(srv.close)
        policy = {"network": "host", "limits": {"memory": "300M"}}
        r = sandbox.run([PY, "-c", srv.probe], policy=policy, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(srv.accepted(), [b"from-the-sandbox"])
        self.assertEqual(r.limits["memory"].value, 300 << 20)
        self.assertNotIn("netns", r.layers)
        # the default: nothing arrives
        r = sandbox.run([PY, "-c", srv.probe], timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"ConnectionRefusedError", r.stderr)
        self.assertEqual(srv.accepted(), [])
        # explicit options override the policy's network and memory
        r = sandbox.run([PY, "-c", srv.probe], policy=policy, network="none",
                        memory="200M", timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(srv.accepted(), [])
        self.assertEqual(r.limits["memory"].value, 200 << 20)
        self.assertIn("netns", r.layers)

    def test_strict_preset_blocks_sockets(self):
        probe = (
            "import socket\n"
            "for make in (lambda: socket.socket(socket.AF_INET),\n"
            "             lambda: socket.socket(socket.AF_UNIX),\n"
            "             lambda: socket.socketpair()):\n"
            "    try:\n"
            "        make()\n"
            "        print('made')\n"
            "    except OSError as e:\n"
            "        print(type(e).__name__)\n")
        r = sandbox.run([PY, "-c", probe], preset="strict", text=True,
                        timeout=60, check=True)
        self.assertEqual(r.stdout.split(), ["PermissionError"] * 3)
        self.assertIn("read-only", r.layers)
        self.assertEqual(r.limits["memory"].value, 512 << 20)
        # the probe works where sockets are allowed
        r = sandbox.run([PY, "-c", probe], text=True, timeout=60, check=True)
        self.assertEqual(r.stdout.split(), ["made"] * 3)

    def test_policy_workspace_and_writable(self):
        ws = os.path.join(self.dir, "ws")
        os.mkdir(ws)
        os.chmod(ws, 0o777)
        with open(os.path.join(ws, "in.txt"), "w") as f:
            f.write("from the workspace")
        path = self.write_policy({"workspace": "ws"})  # the file's ws
        r = sandbox.run(["sh", "-c", "cat in.txt; echo x > out.txt"],
                        policy=path, text=True, timeout=60)
        self.assertEqual(r.stdout, "from the workspace")
        self.assertNotEqual(r.returncode, 0)  # read-only
        self.assertFalse(os.path.exists(os.path.join(ws, "out.txt")))
        r = sandbox.run(["sh", "-c", "echo x > out.txt"], policy=path,
                        writable=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(ws, "out.txt")))
        # writable= sets the mode of the policy's workspace, either way
        rw = self.write_policy({"workspace": {"path": "ws", "mode": "rw"}},
                               "rw.json")
        for writable, mode in ((None, "rw"), (False, "ro"), (True, "rw"),
                               ("live", "rw-live")):
            with sandbox.Sandbox(policy=rw, writable=writable) as sb:
                self.assertEqual(sb.policy()["workspace"],
                                 {"path": os.path.realpath(ws),
                                  "mode": mode})

    def test_require(self):
        r = sandbox.run(["true"], require=["netns", "seccomp"], timeout=60)
        self.assertEqual(r.returncode, 0)
        self.assertIn("netns", r.layers)
        with self.assertRaises(sandbox.SandboxError) as cm:
            sandbox.run(["true"], network="host", require=["netns"],
                        timeout=60)
        e = cm.exception
        self.assertEqual(e.step, "require")
        self.assertIn("requires the layer netns", e.message)
        self.assertEqual(e.result.status, "setup_error")
        # a policy's require adds to the option's, and a string is a name
        with self.assertRaisesRegex(sandbox.SandboxError, "netns"):
            sandbox.run(["true"], policy={"network": "host"},
                        require="netns", timeout=60)

    def test_read_only_and_allow_setid(self):
        r = sandbox.run(["sh", "-c", "echo x > /tmp/f"], read_only=True,
                        timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"Read-only", r.stderr)
        self.assertIn("read-only", r.layers)
        # a policy's read_only, turned off by the option
        r = sandbox.run(["sh", "-c", "echo x > /tmp/f"], read_only=False,
                        policy={"read_only": True}, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("read-only", r.layers)
        r = sandbox.run(["true"], allow_setid=True, timeout=60)
        self.assertIn("caps:setid", r.layers)
        self.assertNotIn("caps:setid", sandbox.run(["true"]).layers)

    def test_allow_trusted_paths(self):
        # a writable workspace withholds .git/config; the result says so
        os.makedirs(os.path.join(self.dir, ".git"))
        config = os.path.join(self.dir, ".git", "config")
        with open(config, "w") as f:
            f.write("[core]\n")
        script = "echo '# x' >> .git/config; echo new > README"
        r = sandbox.run(["sh", "-c", script], workspace=self.dir,
                        writable=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.withheld, (".git/config",))
        self.assertIn("allow_trusted_paths", r.message)
        with open(config) as f:
            self.assertEqual(f.read(), "[core]\n")
        with open(os.path.join(self.dir, "README")) as f:
            self.assertEqual(f.read(), "new\n")
        # allowed (the option, or the policy's key), the change lands
        r = sandbox.run(["sh", "-c", script], workspace=self.dir,
                        writable=True, allow_trusted_paths=True, timeout=60)
        self.assertEqual(r.withheld, ())
        r = sandbox.run(["sh", "-c", script], workspace=self.dir,
                        writable=True, timeout=60,
                        policy={"allow_trusted_paths": True})
        with open(config) as f:
            self.assertEqual(f.read(), "[core]\n# x\n# x\n")

    def test_not_degraded_here(self):
        r = sandbox.run(["true"], allow_degraded=True, timeout=60)
        self.assertIs(r.degraded, False)
        self.assertIsNone(r.degraded_reason)
        self.assertIsNone(r.degraded_not_hidden)
        self.assertIn("userns", " ".join(r.layers))

    def test_async_and_stream_take_the_policy(self):
        async def main():
            r = await sandbox.run_async(["sleep", "60"],
                                        policy={"limits": {"wall": 1}})
            chunks = []
            async with sandbox.stream(["sh", "-c", "echo hi; sleep 60"],
                                      preset="strict",
                                      policy={"limits": {"wall": 1}}) as s:
                async for chunk in s:
                    chunks.append(chunk.data)
            return r, s.result, chunks

        r, streamed, chunks = asyncio.run(main())
        self.assertEqual(r.reason, "timeout")
        self.assertEqual(streamed.reason, "timeout")
        self.assertEqual(chunks, [b"hi\n"])
        self.assertIn("read-only", streamed.layers)


# Runs the snippet in a child where user namespaces are disabled
# (nouserns.py) and prints one JSON line per case.
DEGRADED_PROBE = r"""
import json, sandbox
cases = [dict(), dict(allow_degraded=True),
         dict(policy={"allow_degraded": True}),
         dict(allow_degraded=True, require=["netns"])]
for kw in cases:
    try:
        r = sandbox.run(["sh", "-c", "echo ran"], timeout=60, **kw)
        out = dict(stdout=r.stdout.decode(), degraded=r.degraded,
                   reason=r.degraded_reason, layers=list(r.layers),
                   not_hidden=r.degraded_not_hidden)
    except sandbox.SandboxError as e:
        out = dict(step=e.step, error=e.message)
    print(json.dumps(out), flush=True)
"""


class Degraded(SandboxTestCase):
    """allow_degraded for real: on a host without user namespaces."""

    def test_refused_by_default_and_degraded_on_request(self):
        p = subprocess.run(
            [sys.executable, os.path.join(HERE, "nouserns.py"),
             sys.executable, "-c", DEGRADED_PROBE],
            capture_output=True, text=True, timeout=300)
        if p.returncode == 77:
            skip_userns(self, f"cannot disable user namespaces in a "
                              f"user namespace here: {p.stderr.strip()}")
        self.assertEqual(p.returncode, 0, p.stderr)
        refused, degraded, by_policy, required = [
            json.loads(line) for line in p.stdout.splitlines()]
        self.assertEqual(refused["step"], "namespaces")
        self.assertIn("max_user_namespaces", refused["error"])
        self.assertIn("allow-degraded", refused["error"])
        if degraded.get("step") == "degraded":
            self.skipTest(f"degraded runs refuse here: {degraded['error']}")
        self.assertEqual(degraded["stdout"], "ran\n", degraded)
        self.assertIs(degraded["degraded"], True)
        self.assertIn("max_user_namespaces", degraded["reason"])
        self.assertFalse({"userns", "pidns", "netns"} & set(
            degraded["layers"]))
        self.assertTrue(any(x.startswith("landlock")
                            for x in degraded["layers"]))
        self.assertTrue(any("command lines" in x
                            for x in degraded["not_hidden"]))
        self.assertIs(by_policy["degraded"], True)
        self.assertEqual(required["step"], "require")
        self.assertIn("netns", required["error"])


if __name__ == "__main__":
    unittest.main()
