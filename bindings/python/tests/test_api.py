"""The package's own API: options, errors, results, reuse, streaming."""

import errno
import os
import platform
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
from unittest import mock

import sandbox
import helpers
from helpers import PY, SandboxTestCase, procs_with, wait_until


class Sizes(unittest.TestCase):
    def test_parse_size(self):
        cases = {"512": 512, "64K": 64 << 10, "256M": 256 << 20,
                 "1G": 1 << 30, "1.5GiB": 3 << 29, "2MiB": 2 << 20,
                 4096: 4096, 0: 0}
        for text, want in cases.items():
            self.assertEqual(sandbox.parse_size(text), want, text)
        for bad in ("", "lots", "12Q", "-1", "1.5", " 2MiB", "2 MiB", "1e3",
                    "0x10", "+5", "1,5G"):
            with self.assertRaises(ValueError, msg=bad):
                sandbox.parse_size(bad)
        with self.assertRaises(ValueError):
            sandbox.parse_size(-5)
        with self.assertRaises(ValueError):
            sandbox.parse_size("99999999999T")
        for bad in (1.5, True, None, b"1M"):
            with self.assertRaises(TypeError, msg=repr(bad)):
                sandbox.parse_size(bad)


class RequireUserns(unittest.TestCase):
    """Under tools/run-tests on a host with user namespaces, a suite that
    cannot build a sandbox fails instead of skipping every test."""

    def test_a_skip_for_want_of_a_sandbox_fails_when_required(self):
        broken = mock.patch.object(helpers, "sandbox_problem",
                                   lambda: "the supervisor is broken")
        with broken, mock.patch.dict(os.environ,
                                     {"SBX_TEST_REQUIRE_USERNS": "1"}):
            with self.assertRaisesRegex(AssertionError, "must not be "
                                        "skipped"):
                helpers.require_sandbox(None)
        with broken, mock.patch.dict(os.environ,
                                     {"SBX_TEST_REQUIRE_USERNS": ""}):
            with self.assertRaises(unittest.SkipTest):
                helpers.require_sandbox(None)


class Options(unittest.TestCase):
    def test_values_that_cannot_be_right(self):
        bad = [dict(timeout=-1), dict(timeout=float("nan")),
               dict(cpu_time=-1), dict(pids=-1), dict(memory="lots"),
               dict(memory=-1), dict(cpus=-1), dict(cpus=0.0001),
               dict(writable="yes", workspace="/tmp")]
        for kw in bad:
            with self.assertRaises(ValueError, msg=kw):
                sandbox.Sandbox(**kw)
        for kw in (dict(timeout="5"), dict(pids=1.5), dict(memory=1.5),
                   dict(env={"A": 1}), dict(binds=[42])):
            with self.assertRaises(TypeError, msg=kw):
                sandbox.Sandbox(**kw)
        with self.assertRaises(TypeError):
            sandbox.Sandbox(no_such_option=1)
        with self.assertRaisesRegex(ValueError, "memory"):
            sandbox.Sandbox(memory="lots")

    def test_zero_duration_is_no_limit(self):
        # as in C, `sbx run` and Node
        with sandbox.Sandbox(timeout=0, cpu_time=0) as sb:
            limits = sb.policy()["limits"]
            self.assertEqual((limits["wall"], limits["cpu"]), (0, 0))

    def test_writable_without_a_workspace_is_the_librarys_rule(self):
        # sbx_set_workspace_mode(), as `sbx run --rw`: read-only is
        # nothing to do, a writable mode needs a workspace
        sandbox.Sandbox(writable=False).close()
        for writable in (True, "live"):
            with self.assertRaisesRegex(
                    sandbox.SandboxError,
                    r"^writable: .*needs a workspace.*give its directory"
                    ) as cm:
                sandbox.Sandbox(writable=writable)
            self.assertIsInstance(cm.exception, ValueError)

    def test_default_timeout_is_the_librarys(self):
        # timeout=None sets nothing: a run has the library's wall-clock
        # limit, as `sbx run` without --timeout (not "no limit"); a
        # run's own timeout= is that run's alone, the handle gets the
        # Sandbox's back
        c = sandbox._sandbox
        rc, h = c.sbx_create()
        self.assertEqual(rc, 0)
        rc, default_ms = c.sbx_get_limit(h, c.SBX_LIMIT_WALL_MS)
        c.sbx_destroy(h)
        self.assertGreater(default_ms, 0)
        with sandbox.Sandbox() as sb:
            self.assertEqual(sb.policy()["limits"]["wall"],
                             default_ms / 1000)
            for timeout, wall_ms in ((None, default_ms), (0, 0),
                                     (None, default_ms), (7, 7000),
                                     (None, default_ms)):
                r = sb.run(["true"], timeout=timeout)
                self.assertEqual(r.limits["wall_ms"].value, wall_ms)
            self.assertEqual(sb.policy()["limits"]["wall"],
                             default_ms / 1000)
        r = sandbox.run(["true"])
        self.assertEqual(r.limits["wall_ms"].value, default_ms)

    def test_durations_round_as_everywhere(self):
        # sbx_parse_duration(): to the nearest ms, halves up (sbx run's,
        # a policy's, Node's)
        with sandbox.Sandbox(timeout=0.0015, cpu_time=90, cpus=0.0015) as sb:
            limits = sb.policy()["limits"]
            self.assertEqual((limits["wall"], limits["cpu"], limits["cpus"]),
                             (0.002, 90, 0.002))
        with self.assertRaisesRegex(ValueError, "shorter than a millisecond"):
            sandbox.Sandbox(timeout=0.0001)

    def test_args_of_the_wrong_type(self):
        with self.assertRaisesRegex(TypeError, "args must be .*not dict"):
            sandbox.run({"a": 1})

    def test_library_refusals_are_sandbox_errors(self):
        missing = "/nonexistent/sbx-workspace"
        with self.assertRaises(FileNotFoundError) as cm:
            sandbox.Sandbox(workspace=missing)
        e = cm.exception
        self.assertIsInstance(e, sandbox.SandboxError)
        self.assertIsInstance(e, OSError)
        self.assertEqual(e.errno, errno.ENOENT)
        self.assertIn(missing, e.message)
        self.assertIn(missing, str(e))
        self.assertIsNone(e.step)
        for kw in (dict(binds=[("/usr", "/proc/x")]), dict(cwd="relative"),
                   dict(env={"A=B": "c"})):
            with self.assertRaises(sandbox.SandboxError, msg=kw) as cm:
                sandbox.Sandbox(**kw)
            self.assertEqual(cm.exception.errno, errno.EINVAL)
            self.assertIsInstance(cm.exception, ValueError)
            self.assertTrue(cm.exception.message)
        with self.assertRaises(NotADirectoryError):
            sandbox.Sandbox(workspace="/etc/passwd")

    def test_constants(self):
        self.assertEqual(sandbox.PIPE, subprocess.PIPE)
        self.assertEqual(sandbox.DEVNULL, subprocess.DEVNULL)
        self.assertEqual(sandbox.STDOUT, subprocess.STDOUT)
        self.assertNotIn(sandbox.INHERIT, (sandbox.PIPE, sandbox.DEVNULL,
                                           sandbox.STDOUT, None))
        self.assertRegex(sandbox.__version__, r"^\d+\.\d+\.\d+")
        self.assertEqual(sandbox.library_version(), sandbox.__version__)

    def test_io_argument_errors(self):
        with self.assertRaises(ValueError):
            sandbox.run(["cat"], input=b"x", stdin=sandbox.DEVNULL)
        with self.assertRaises(ValueError):
            sandbox.run(["cat"], stdin=sandbox.PIPE)
        with self.assertRaises(ValueError):
            sandbox.run(["true"], stdout=sandbox.STDOUT)
        with self.assertRaises(TypeError):
            sandbox.run(["cat"], input="text needs text=True")
        with self.assertRaises(TypeError):
            sandbox.run(["true"], stdout=object())
        with self.assertRaises(ValueError):
            sandbox.run([])
        with self.assertRaises(ValueError):
            sandbox.run(["true"], on_stdout=print, stdout=sandbox.DEVNULL)
        with self.assertRaises(ValueError):
            sandbox.run(["echo", "a\0b"])


class Runs(SandboxTestCase):
    def test_result_fields(self):
        r = sandbox.run(["sh", "-c", "echo hi"], memory="256M", pids=64,
                        disk=16 << 20, timeout=20, cpu_time=20)
        self.assertIsInstance(r, sandbox.Result)
        self.assertEqual((r.status, r.reason, r.exit_code, r.signal),
                         ("exited", None, 0, None))
        self.assertEqual(r.stdout, b"hi\n")
        self.assertGreater(r.wall_time, 0)
        self.assertLess(r.wall_time, 20)
        self.assertGreaterEqual(r.cpu_time, 0)
        self.assertFalse(r.truncated)
        self.assertFalse(r.disk_full)
        self.assertEqual(r.limits["memory"].value, 256 << 20)
        self.assertEqual(r.limits["pids"].value, 64)
        self.assertEqual(r.limits["disk"].value, 16 << 20)
        self.assertEqual(r.limits["wall_ms"].value, 20000)
        self.assertEqual(r.limits["cpu_ms"].value, 20000)
        for name, limit in r.limits.items():
            self.assertIsInstance(limit, sandbox.Limit)
            self.assertIsInstance(limit.mechanism, str, name)
            self.assertFalse(limit.fired, name)
        self.assertEqual(r.limits["wall_ms"].mechanism, "supervisor")
        for layer in ("userns", "pidns", "mountns", "netns", "seccomp"):
            self.assertIn(layer, r.layers)
        self.assertGreaterEqual(r.id_range, 1)
        self.assertEqual(r.json["status"], "exited")
        self.assertIn("returncode=0", repr(r))
        self.assertTrue(r.peak_memory is None or r.peak_memory > 0)

    def test_one_meaning_in_every_front_end(self):
        r = sandbox.run(["true"], timeout=0)
        self.assertEqual(r.limits["wall_ms"].value, 0)
        # a timeout has no exit code (None, never 0)
        r = sandbox.run(["sleep", "30"], timeout=0.3)
        self.assertEqual((r.status, r.reason, r.exit_code, r.signal),
                         ("timeout", "timeout", None, 9))
        # a program that failed itself at the process limit: its own code
        r = sandbox.run(["sh", "-c", "sleep 60 & sleep 60 & sleep 60 & "
                         "sleep 60 & wait"], pids=3)
        if r.limits["pids"].mechanism.startswith("cgroup"):
            self.assertEqual((r.status, r.reason, r.signal),
                             ("pids_limit", "pids", None))
            self.assertGreater(r.exit_code, 0)
            self.assertEqual(r.returncode, r.exit_code)

    def test_sandbox_reuse_close_and_timeout_override(self):
        with sandbox.Sandbox(timeout=20, env={"N": "x"}) as sb:
            self.assertFalse(sb.closed)
            for i in range(5):
                r = sb.run(["sh", "-c", f"echo ${{N}}{i}"], check=True)
                self.assertEqual(r.stdout, f"x{i}\n".encode())
            r = sb.run(["sleep", "30"], timeout=0.2)
            self.assertEqual(r.reason, "timeout")
            r = sb.run(["true"])
            self.assertEqual(r.limits["wall_ms"].value, 20000)
        self.assertTrue(sb.closed)
        with self.assertRaises(ValueError):
            sb.run(["true"])
        sb.close()  # again: nothing

    def test_env_and_cwd(self):
        os.environ["SBX_PY_PASSED"] = "from the caller"
        try:
            r = sandbox.run(["sh", "-c", "echo $GREETING/$SBX_PY_PASSED; pwd"],
                            env={"GREETING": "hello", "SBX_PY_PASSED": None},
                            cwd="/tmp", text=True)
        finally:
            del os.environ["SBX_PY_PASSED"]
        self.assertEqual(r.stdout, "hello/from the caller\n/tmp\n")

    def host_dir(self, name, text):
        """A host directory with one file ``name`` that the sandbox can
        read (a root caller's sandbox is not root), removed after the
        test."""
        d = tempfile.mkdtemp(prefix="sbx-py-dir-")
        self.addCleanup(shutil.rmtree, d)
        os.chmod(d, 0o755)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(d, name), 0o644)
        return d

    def test_workspace_read_only_and_writable(self):
        d = self.host_dir("in.txt", "project file\n")
        r = sandbox.run(["sh", "-c", "pwd; cat in.txt; echo x > out.txt"],
                        workspace=d, text=True)
        self.assertEqual(r.stdout, "/workspace\nproject file\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(d, "out.txt")))
        r = sandbox.run(["sh", "-c", "echo written > out.txt"],
                        workspace=d, writable=True, check=True)
        with open(os.path.join(d, "out.txt")) as f:
            self.assertEqual(f.read(), "written\n")

    def test_binds(self):
        d = self.host_dir("f", "bound\n")
        r = sandbox.run(["cat", "/data/f"], binds=[(d, "/data")],
                        check=True)
        self.assertEqual(r.stdout, b"bound\n")
        r = sandbox.run(["cat", f"{d}/f"], binds=[sandbox.Bind(d)])
        self.assertEqual(r.stdout, b"bound\n")
        sandbox.run(["true"], check=True, binds=[
            sandbox.Bind("/nonexistent/x", optional=True)])

    def test_output_limit_truncates_without_blocking(self):
        r = sandbox.run(["head", "-c", "3000000", "/dev/zero"],
                        output_limit="64K", timeout=30)
        self.assertEqual(r.returncode, 0)
        self.assertLessEqual(len(r.stdout), 64 << 10)
        self.assertTrue(r.stdout_truncated)
        self.assertTrue(r.truncated)
        self.assertFalse(r.stderr_truncated)
        # merged streams are capped by the binding itself
        r = sandbox.run(["sh", "-c", "head -c 3000000 /dev/zero; echo e >&2"],
                        output_limit="64K", stderr=sandbox.STDOUT,
                        timeout=30)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(len(r.stdout), 64 << 10)
        self.assertTrue(r.truncated)

    def test_callbacks_stream_output(self):
        out, err = [], []
        r = sandbox.run(["sh", "-c", "for i in 1 2 3; do echo $i; "
                         "echo e$i >&2; sleep 0.05; done"],
                        on_stdout=out.append, on_stderr=err.append)
        self.assertEqual(b"".join(out), b"1\n2\n3\n")
        self.assertEqual(b"".join(err), b"e1\ne2\ne3\n")
        self.assertGreaterEqual(len(out), 2)  # pieces, as they came
        self.assertEqual(r.stdout, b"1\n2\n3\n")
        # text mode: a character split across writes arrives whole
        pieces = []
        r = sandbox.run(["sh", "-c", "printf 'caf\\303'; sleep 0.2; "
                         "printf '\\251\\r\\nok'"],
                        on_stdout=pieces.append, text=True)
        self.assertEqual("".join(pieces), "caf\u00e9\nok")
        self.assertTrue(all(isinstance(p, str) for p in pieces))
        self.assertEqual(r.stdout, "caf\u00e9\nok")

    def test_a_callback_is_one_even_when_it_is_falsy(self):
        # on_stdout is told apart by identity, not truthiness: an empty
        # list that is callable is still a callback
        class Pieces(list):
            def __call__(self, piece):
                self.append(piece)

        out, err = Pieces(), Pieces()
        r = sandbox.run(["sh", "-c", "echo out; echo err >&2"],
                        on_stdout=out, on_stderr=err, capture_output=False)
        self.assertEqual((b"".join(out), b"".join(err)), (b"out\n", b"err\n"))
        self.assertEqual((r.stdout, r.stderr), (b"out\n", b"err\n"))
        with self.assertRaisesRegex(ValueError, "on_stdout needs stdout"):
            sandbox.run(["true"], on_stdout=Pieces(),
                        stdout=sandbox.DEVNULL)

    def test_callback_error_kills_the_run(self):
        def boom(chunk):
            raise RuntimeError("callback failed")

        t0 = time.monotonic()
        with self.assertRaisesRegex(RuntimeError, "callback failed"):
            sandbox.run(["sh", "-c", "echo x; exec sleep 3141.61"],
                        on_stdout=boom)
        self.assertLess(time.monotonic() - t0, 20)
        self.assertEqual(wait_until(lambda: not procs_with("3141.61")), True)

    def test_keyboard_interrupt_kills_the_run(self):
        if threading.current_thread() is not threading.main_thread():
            self.skipTest("signals reach the main thread only")
        if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            self.skipTest("SIGINT is not Python's default handler here")
        main = threading.get_ident()
        seen = []

        def interrupt():
            wait_until(lambda: procs_with("3141.62"))
            seen.append(bool(procs_with("3141.62")))
            signal.pthread_kill(main, signal.SIGINT)

        t = threading.Thread(target=interrupt)
        t0 = time.monotonic()
        t.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                sandbox.run(["sleep", "3141.62"])
        finally:
            t.join()
        self.assertEqual(seen, [True])
        self.assertLess(time.monotonic() - t0, 20)
        self.assertEqual(procs_with("3141.62"), [])

    @unittest.skipUnless(platform.machine() == "x86_64", "x86_64 numbers")
    def test_seccomp_kill_and_message(self):
        # 101 is ptrace, which the filter denies
        r = sandbox.run([PY, "-c", "import ctypes, os; "
                         "ctypes.CDLL(None).syscall(101, 0, 0, 0, 0)"],
                        seccomp_kill=True)
        self.assertEqual(r.returncode, -signal.SIGSYS)
        self.assertIn("system call", r.message)


class FlatModule(SandboxTestCase):
    """The generated layer: C names, return codes, outputs as tuples."""

    def test_outputs_and_typemaps(self):
        from sandbox import _sandbox as c

        self.assertEqual(c.sbx_parse_size("1K"), (0, 1024))
        self.assertEqual(c.sbx_parse_size("nope"), (-errno.EINVAL, None))
        rc, h = c.sbx_create()
        self.assertEqual(rc, 0)
        try:
            self.assertEqual(c.sbx_output(h, 1), (-errno.ENODATA, None))
            self.assertEqual(c.sbx_exec(h, []), -errno.EINVAL)
            self.assertIn("argv", c.sbx_last_error(h))
            for bad in (42, ["echo", 42], None):
                with self.assertRaises(TypeError):
                    c.sbx_exec(h, bad)
            with self.assertRaises(TypeError):
                c.sbx_set_input(h, "str is not bytes")
            self.assertEqual(c.sbx_set_input(h, bytearray(b"in\n")), 0)
            self.assertEqual(c.sbx_set_stdio(h, 1, c.SBX_STDIO_CAPTURE, -1),
                             0)
            self.assertEqual(c.sbx_set_env(h, "X", "caf\u00e9"), 0)
            self.assertEqual(c.sbx_exec(h, ("sh", b"-c", "cat; echo $X")),
                             0)
            self.assertEqual(c.sbx_wait(h), 0)
            self.assertEqual(c.sbx_output(h, 1), (0, "in\ncaf\u00e9\n"
                                                  .encode()))
            self.assertEqual(c.sbx_result(h, c.SBX_RESULT_STATUS),
                             c.SBX_STATUS_EXITED)
            self.assertIn('"status":"exited"', c.sbx_result_json(h))
            self.assertEqual(c.sbx_set_workspace(h, None, 0), 0)
        finally:
            c.sbx_destroy(h)
        c.sbx_destroy(None)
