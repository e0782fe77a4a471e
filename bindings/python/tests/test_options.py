"""Every option of every entry point takes exactly its documented values.

A value that merely looks right is refused before anything runs, with
TypeError (a wrong type) or ValueError (a wrong value) naming the option:
network="none" once gave the host's network (bool("none") is True), and
allow_degraded="false" turned degraded mode on.  The tables below feed
each option wrong types and wrong strings; a new option without an entry
fails test_every_option_is_in_the_table.  The attacks at the end are
judged on the host: a listener on its loopback, files in a directory.
"""

import asyncio
import inspect
import json
import math
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import sandbox
from helpers import PY, Listener, SandboxTestCase, children, skip_userns

HERE = os.path.dirname(os.path.abspath(__file__))
NAN, INF = math.nan, math.inf
T, V = TypeError, ValueError

SANDBOX_OPTIONS = [
    n for n, p in inspect.signature(sandbox.Sandbox).parameters.items()
    if p.kind == p.KEYWORD_ONLY]
# The switches, as the signature declares them: a new one is covered here
# without a line of its own.
SWITCHES = [n for n, p in inspect.signature(sandbox.Sandbox).parameters
            .items() if p.annotation == "Optional[bool]"]
NOT_BOOLS = [("false", T), ("true", T), ("False", T), ("", T), (0, T),
             (1, T), (0.0, T), ([], T), ([True], T), (b"true", T)]
DURATION = [("5", T), (b"5", T), (True, T), ([1], T), (-1, V),
            (-0.5, V), (NAN, V), (INF, V), (1e300, V)]
SIZE = [("lots", V), ("", V), ("12Q", V), ("-1", V), ("1M\0", V),
        (-1, V), (1 << 64, V), (1.5, T), (True, T), (b"1M", T), ([], T)]
COUNT = [("5", T), (1.5, T), (True, T), (b"5", T), (-1, V),
         (1 << 64, V), ((1 << 64) - 1, V)]  # the last: the library's max
PATH = [(5, T), (b"/tmp", T), (["/tmp"], T), (True, T), ("/tmp\0x", V)]

# option -> [(bad value, the exception it must raise[, what its message
# names instead of the option]), ...]
BAD = {
    "timeout": DURATION,
    "cpu_time": DURATION,
    "memory": SIZE,
    "pids": COUNT,
    "file_size": SIZE,
    "open_files": COUNT,
    "disk": SIZE,
    "output_limit": SIZE,
    # 0 is no limit, as everywhere; 0.0001 would round to it
    "cpus": [("1", T), (True, T), (0.0001, V), (-1, V),
             (NAN, V), (INF, V), (1e9, V)],
    "env": [("A=b", T), ([("A", "b")], T), ({1: "x"}, T), ({b"A": "x"}, T),
            ({"A": 1}, T), ({"A": b"x"}, T), ({"A": True}, T),
            ({"A\0B": "x"}, V), ({"A": "x\0y"}, V), ({"A=B": "x"}, V),
            ({"": "x"}, V)],
    "cwd": PATH + [("relative", V)],
    "workspace": PATH,
    "writable": [("yes", V), ("true", V), ("Live", V), ("rw", V), (1, T),
                 (0, T), ([], T), (1.0, T)],
    "binds": [(5, T), (b"/usr", T), ({"/usr": "/x"}, T), ([42], T),
              ([b"/usr"], T), ([("/usr",)], T), ([("/usr", "/x", True)], T),
              ([("/usr", 5)], T), ([{"src": "/usr"}], T),
              ([sandbox.Bind("/usr", writable="false")], T),
              ([sandbox.Bind("/usr", optional=1)], T),
              ([sandbox.Bind(5)], T), (["/usr\0"], V),
              ([("/usr", "/proc/x")], V), (["relative"], V)],
    "network": [(True, T), (False, T), (0, T), (1, T), (b"none", T),
                (["none"], T), ("None", V), ("HOST", V), ("", V),
                ("off", V), ("host ", V), ("loopback", V)],
    "preset": [(3, T), (b"strict", T), (["strict"], T), ("Strict", V),
               ("nope", V), ("", V), ("strict\0", V)],
    "policy": [(3, T), (b"/p.json", T), (["network"], T), (True, T),
               ({"network": object()}, T), ({"netwrok": "host"}, V),
               # a file's errors name the file, the line and the key
               ({"network": "everywhere"}, V), ("/etc/passwd", V, "passwd"),
               ("/p.json\0", V)],
    "require": [(b"netns", T), (5, T), ([5], T), ({"netns": 1}, T),
                ([b"netns"], T), (["nope"], V), (["net\0ns"], V),
                ("Netns", V)],
}
for _name in SWITCHES:
    BAD[_name] = NOT_BOOLS

# The keywords of a run, beyond the Sandbox's: what Sandbox.run() takes.
RUN_SWITCH = [(s, e) for s, e in NOT_BOOLS]
STDIO = [("x", T), (1.5, T), (True, T), (b"", T), (-5, V),
         (sandbox.PIPE - 100, V)]
BAD_RUN = {
    "input": [(5, T), ([b"x"], T), ("str without text=True", T)],
    "stdin": STDIO + [(sandbox.PIPE, V), (sandbox.STDOUT, V)],
    "stdout": STDIO + [(sandbox.STDOUT, V)],
    "stderr": STDIO,
    "capture_output": RUN_SWITCH,
    "text": RUN_SWITCH,
    "encoding": [(5, T), (b"utf-8", T), ("no-such-codec", V)],
    "errors": [(5, T), ("no-such-handler", V)],
    "check": RUN_SWITCH,
    "shell": RUN_SWITCH,
    "pty": RUN_SWITCH,
    "timeout": DURATION,
    "on_stdout": [(5, T), ("print", T)],
    "on_stderr": [(5, T), ("print", T)],
}
BAD_ARGS = [({"a": 1}, T), ({"echo"}, T), (5, T), (None, T), (["echo", 5], T),
            (["echo", None], T), ([], V), (["a\0b"], V), (b"", V), ("", V),
            ([""], V)]
# A program that leaves a mark: a bad option must stop it from running.
MARK = ": > ran"  # in the start directory: the workspace


def mentions(exc, name):
    return name in str(exc)


class Options(unittest.TestCase):
    """Nothing here builds a sandbox: every call must raise first."""

    def setUp(self):
        self.ws = tempfile.mkdtemp(prefix="sbx-py-options-")
        os.chmod(self.ws, 0o777)
        self.addCleanup(shutil.rmtree, self.ws, ignore_errors=True)

    def ran(self):
        return os.path.exists(os.path.join(self.ws, "ran"))

    def bad(self, call, name, value, expected, names=None):
        """call() raises expected (also as a SandboxError of the
        library) naming the option, and nothing ran."""
        with self.assertRaises(expected, msg=f"{name}={value!r}") as cm:
            call()
        self.assertTrue(mentions(cm.exception, names or name),
                        f"{name}={value!r}: {cm.exception!r} does not name "
                        f"the option")
        self.assertFalse(self.ran(), f"{name}={value!r} ran the program")

    def test_every_option_is_in_the_table(self):
        self.assertEqual(set(SANDBOX_OPTIONS), set(BAD))
        self.assertGreaterEqual(set(SWITCHES), {
            "seccomp_kill", "single_id", "allow_degraded", "read_only",
            "allow_setid"})
        run_only = [n for n, p in inspect.signature(sandbox.Sandbox.run)
                    .parameters.items() if p.kind == p.KEYWORD_ONLY]
        self.assertEqual(set(run_only), set(BAD_RUN))
        # the module's functions take both (stream() a subset)
        for fn in (sandbox.run, sandbox.run_async, sandbox.stream):
            params = set(inspect.signature(fn).parameters) - {"args"}
            self.assertLessEqual(params, set(BAD) | set(BAD_RUN), fn)
            self.assertLessEqual(set(BAD), params, fn)

    def test_sandbox_options(self):
        for name, cases in BAD.items():
            for value, expected, *names in cases:
                with self.subTest(option=name, value=value):
                    self.bad(lambda: sandbox.Sandbox(**{name: value}),
                             name, value, expected, *names)

    def test_every_entry_point(self):
        ws = dict(workspace=self.ws, writable="live")

        def through_run(name, value):
            return lambda: sandbox.run(["sh", "-c", MARK],
                                       **{**ws, name: value})

        def through_run_async(name, value):
            return lambda: asyncio.run(sandbox.run_async(
                ["sh", "-c", MARK], **{**ws, name: value}))

        def through_stream(name, value):
            async def main():
                async with sandbox.stream(["sh", "-c", MARK],
                                          **{**ws, name: value}) as s:
                    async for _ in s:
                        pass
            return lambda: asyncio.run(main())

        def through_sandbox_run(name, value):
            def call():
                with sandbox.Sandbox(**ws) as sb:
                    sb.run(["sh", "-c", MARK], **{name: value})
            return call

        def through_sandbox_run_async(name, value):
            async def main():
                with sandbox.Sandbox(**ws) as sb:
                    await sb.run_async(["sh", "-c", MARK], **{name: value})
            return lambda: asyncio.run(main())

        def through_sandbox_stream(name, value):
            async def main():
                with sandbox.Sandbox(**ws) as sb:
                    async with sb.stream(["sh", "-c", MARK],
                                         **{name: value}) as s:
                        async for _ in s:
                            pass
            return lambda: asyncio.run(main())

        stream_keys = set(inspect.signature(sandbox.stream).parameters)
        sb_stream_keys = set(inspect.signature(sandbox.Sandbox.stream)
                             .parameters)
        for name, cases in list(BAD.items()) + list(BAD_RUN.items()):
            if name in ("workspace", "writable"):
                continue  # set above: tested through Sandbox()
            for value, expected, *names in cases:
                entries = [through_run, through_run_async]
                if name in stream_keys:
                    entries.append(through_stream)
                if name in BAD_RUN:
                    entries += [through_sandbox_run,
                                through_sandbox_run_async]
                    if name in sb_stream_keys:
                        entries.append(through_sandbox_stream)
                for entry in entries:
                    with self.subTest(entry=entry.__name__, option=name,
                                      value=value):
                        self.bad(entry(name, value), name, value, expected,
                                 *names)

    def test_args(self):
        for args, expected in BAD_ARGS:
            with self.subTest(args=args):
                self.bad(lambda: sandbox.run(args), "args", args, expected)
                with sandbox.Sandbox() as sb:
                    self.bad(lambda: sb.run(args), "args", args, expected)

    def test_explain(self):
        with sandbox.Sandbox() as sb:
            for what, expected in ((5, T), (b"/etc", T), (None, T),
                                   ("/etc\0", V)):
                with self.subTest(what=what):
                    self.bad(lambda: sb.explain(what), "what", what,
                             expected)

    def test_documented_values_are_accepted(self):
        good = [dict(network="none"), dict(network="host"),
                dict(network=None), dict(writable=False),
                dict(workspace=pathlib.Path(self.ws), writable=True),
                dict(workspace=self.ws, writable="live"),
                dict(binds="/usr"), dict(binds=None),
                dict(binds=[("/usr", "/x"), sandbox.Bind(self.ws, "/y", True),
                            pathlib.Path("/usr"),
                            sandbox.Bind("/nonexistent", optional=True)]),
                dict(require="netns"), dict(require=("netns", "seccomp")),
                dict(env={"A": "x", "HOME_OF_CALLER": None}), dict(env=None),
                dict(cwd=pathlib.Path("/tmp")), dict(memory="256M"),
                dict(memory=0), dict(pids=64), dict(timeout=0.5),
                dict(cpus=0.5), dict(preset="strict"),
                dict(policy={"network": "host"})]
        good += [{name: v} for name in SWITCHES for v in (True, False, None)]
        for kw in good:
            with self.subTest(kw=kw):
                sandbox.Sandbox(**kw).close()

    def test_the_policy_says_what_was_asked(self):
        # the effective policy of the accepted values, as the library has it
        def policy(**kw):
            with sandbox.Sandbox(**kw) as sb:
                return sb.policy()
        self.assertEqual(policy(network="none")["network"], "none")
        self.assertEqual(policy(network="host")["network"], "host")
        self.assertEqual(policy()["network"], "none")
        self.assertIs(policy(allow_degraded=False)["allow_degraded"], False)
        self.assertIs(policy(allow_degraded=True)["allow_degraded"], True)
        doc = {"network": "host", "allow_degraded": True}
        got = policy(policy=doc, network="none", allow_degraded=False)
        self.assertEqual((got["network"], got["allow_degraded"]),
                         ("none", False))

    def test_nothing_is_left_behind(self):
        before = set(children())
        for value in ("none ", True, "false"):
            with self.assertRaises((TypeError, ValueError)):
                sandbox.run(["true"], network=value)
        self.assertEqual(set(children()) - before, set())


class NetworkAttack(SandboxTestCase):
    """network="none" (and the default) cannot reach a listener on the
    host's loopback; network="host" can, so the probe is real."""

    def test_none_and_default_cannot_reach_the_host(self):
        srv = Listener()
        self.addCleanup(srv.close)
        for kw in (dict(network="none"), dict()):
            with self.subTest(**kw):
                r = sandbox.run([PY, "-c", srv.probe], timeout=60, **kw)
                self.assertNotEqual(r.returncode, 0)
                self.assertEqual(srv.accepted(), [])
                self.assertIn("netns", r.layers)
        with sandbox.Sandbox(network="none") as sb:
            self.assertNotEqual(sb.run([PY, "-c", srv.probe],
                                       timeout=60).returncode, 0)
        self.assertEqual(srv.accepted(), [])
        # the control: the opt-in does reach it
        r = sandbox.run([PY, "-c", srv.probe], network="host", timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(srv.accepted(), [b"from-the-sandbox"])

    def test_none_wins_over_a_policy_of_host(self):
        srv = Listener()
        self.addCleanup(srv.close)
        r = sandbox.run([PY, "-c", srv.probe], policy={"network": "host"},
                        network="none", timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(srv.accepted(), [])


# In a child where user namespaces are disabled (nouserns.py): each case
# runs a program that creates ran-N in a live workspace, and one JSON line
# says how the call ended.
DEGRADED_PROBE = r"""
import json, os, sys, sandbox
ws = sys.argv[1]
cases = [dict(allow_degraded="false"), dict(allow_degraded=1),
         dict(allow_degraded="False"), dict(allow_degraded=True)]
for i, kw in enumerate(cases):
    try:
        # the start directory is the workspace (where degraded runs
        # see it at its host path)
        r = sandbox.run(["sh", "-c", f": > ran-{i}"], workspace=ws,
                        writable="live", timeout=60, **kw)
        out = dict(ran=True, degraded=r.degraded, returncode=r.returncode)
    except (TypeError, ValueError) as e:
        out = dict(raised=type(e).__name__, message=str(e))
    except sandbox.SandboxError as e:
        out = dict(step=e.step, error=e.message)
    print(json.dumps(out), flush=True)
"""


class DegradedAttack(SandboxTestCase):
    """allow_degraded="false" on a host without user namespaces: it must
    raise, not run the program without namespaces."""

    def test_a_string_does_not_allow_degraded_mode(self):
        ws = tempfile.mkdtemp(prefix="sbx-py-degraded-")
        self.addCleanup(shutil.rmtree, ws, ignore_errors=True)
        os.chmod(ws, 0o777)  # the degraded program's id may be any
        p = subprocess.run(
            [sys.executable, os.path.join(HERE, "nouserns.py"),
             sys.executable, "-c", DEGRADED_PROBE, ws],
            capture_output=True, text=True, timeout=300)
        if p.returncode == 77:
            skip_userns(self, f"cannot disable user namespaces in a "
                              f"user namespace here: {p.stderr.strip()}")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = [json.loads(line) for line in p.stdout.splitlines()]
        *strings, control = lines
        for i, out in enumerate(strings):
            self.assertEqual(out.get("raised"), "TypeError", out)
            self.assertIn("allow_degraded", out["message"])
            self.assertFalse(os.path.exists(os.path.join(ws, f"ran-{i}")),
                             f"case {i} ran the program: {out}")
        # the control: a real True does run degraded here, so the cases
        # above would have run had the string been taken for True
        if control.get("step") == "degraded":
            self.skipTest(f"degraded runs refuse here: {control['error']}")
        self.assertEqual(control, dict(ran=True, degraded=True,
                                       returncode=0))
        self.assertTrue(os.path.exists(os.path.join(
            ws, f"ran-{len(strings)}")))


if __name__ == "__main__":
    unittest.main()
