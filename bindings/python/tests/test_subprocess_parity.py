"""sandbox.run() behaves like subprocess.run() on the same commands."""

import errno
import os
import signal
import subprocess
import tempfile
import time

import sandbox
from helpers import SandboxTestCase

SH_OUT_ERR = ["sh", "-c", "printf 'out\\0put\\n'; echo err >&2; exit 3"]


class Parity(SandboxTestCase):
    def both(self, args, **kw):
        """The same call through subprocess and through the sandbox."""
        sp_kw = dict(kw)
        if "stdout" not in kw and "stderr" not in kw:
            sp_kw.setdefault("capture_output", True)
        return subprocess.run(args, **sp_kw), sandbox.run(args, **kw)

    def assertSame(self, a, b):
        self.assertEqual(a.returncode, b.returncode)
        self.assertEqual(a.stdout, b.stdout)
        self.assertEqual(a.stderr, b.stderr)
        self.assertEqual(a.args, b.args)

    def test_bytes_output_and_exit_code(self):
        sp, sb = self.both(SH_OUT_ERR)
        self.assertSame(sp, sb)
        self.assertEqual(sb.stdout, b"out\0put\n")
        self.assertIsInstance(sb, subprocess.CompletedProcess)

    def test_text_output_translates_newlines(self):
        args = ["sh", "-c", "printf 'a\\r\\nb\\rc\\n\\303\\251'; "
                "printf 'e\\r\\n' >&2"]
        sp, sb = self.both(args, text=True)
        self.assertSame(sp, sb)
        self.assertEqual(sb.stdout, "a\nb\nc\n\u00e9")
        sp, sb = self.both(args, encoding="latin-1", errors="strict")
        self.assertSame(sp, sb)

    def test_input_bytes_and_text(self):
        self.assertSame(*self.both(["cat"], input=b"\x00\xffbinary"))
        self.assertSame(*self.both(["wc", "-c"], input=b"x" * 300000))
        self.assertSame(*self.both(["cat"], input="caf\u00e9\n", text=True))
        self.assertSame(*self.both(["cat"], input=b""))

    def test_stdin_is_empty_by_default(self):
        # subprocess would inherit the caller's stdin; the sandbox gives
        # /dev/null, so the same command sees an empty input
        sp = subprocess.run(["cat"], stdin=subprocess.DEVNULL,
                            capture_output=True)
        self.assertSame(sp, sandbox.run(["cat"]))

    def test_signal_gives_negative_returncode(self):
        for sig in (signal.SIGTERM, signal.SIGSEGV, signal.SIGKILL):
            args = ["sh", "-c", f"kill -{int(sig)} $$"]
            sp, sb = self.both(args)
            self.assertSame(sp, sb)
            self.assertEqual(sb.returncode, -sig)
            self.assertEqual(sb.status, "signaled")
            self.assertIsNone(sb.reason)

    def test_shell_and_string_args(self):
        self.assertSame(*self.both("echo $((6 * 7)) | tr 4 x", shell=True))
        self.assertSame(*self.both(["echo $0 $1", "zero", "one"],
                                   shell=True))
        self.assertSame(*self.both("true"))
        self.assertSame(*self.both([b"echo", b"bytes"]))

    def test_devnull_file_and_inherit(self):
        sp, sb = self.both(SH_OUT_ERR, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        self.assertSame(sp, sb)
        self.assertIsNone(sb.stdout)
        with tempfile.TemporaryFile() as f1, tempfile.TemporaryFile() as f2:
            subprocess.run(SH_OUT_ERR, stdout=f1, stderr=subprocess.DEVNULL)
            sandbox.run(SH_OUT_ERR, stdout=f2, stderr=sandbox.DEVNULL)
            f1.seek(0)
            f2.seek(0)
            self.assertEqual(f1.read(), f2.read())
        r, w = os.pipe()
        try:
            sandbox.run(["echo", "via fd"], stdout=w)
            self.assertEqual(os.read(r, 100), b"via fd\n")
        finally:
            os.close(r)
            os.close(w)
        sb = sandbox.run(["true"], capture_output=False)
        self.assertIsNone(sb.stdout)
        self.assertIsNone(sb.stderr)

    def test_stderr_into_stdout(self):
        args = ["sh", "-c", "echo 1; echo 2 >&2; echo 3; echo 4 >&2"]
        sp = subprocess.run(args, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
        sb = sandbox.run(args, stderr=sandbox.STDOUT)
        self.assertSame(sp, sb)
        self.assertEqual(sb.stdout, b"1\n2\n3\n4\n")

    def test_check_raises_called_process_error(self):
        with self.assertRaises(subprocess.CalledProcessError) as sp:
            subprocess.run(SH_OUT_ERR, capture_output=True, check=True)
        with self.assertRaises(sandbox.CalledProcessError) as sb:
            sandbox.run(SH_OUT_ERR, check=True)
        a, b = sp.exception, sb.exception
        self.assertIsInstance(b, subprocess.CalledProcessError)
        for name in ("returncode", "cmd", "output", "stdout", "stderr"):
            self.assertEqual(getattr(a, name), getattr(b, name), name)
        self.assertEqual(str(a), str(b))
        self.assertEqual(b.result.returncode, 3)
        # and a killed program: the same message
        args = ["sh", "-c", "kill -TERM $$"]
        with self.assertRaises(subprocess.CalledProcessError) as sp:
            subprocess.run(args, check=True)
        with self.assertRaises(subprocess.CalledProcessError) as sb:
            sandbox.run(args, check=True)
        self.assertEqual(str(sp.exception), str(sb.exception))
        self.assertEqual(sandbox.run(["true"], check=True).returncode, 0)

    def test_check_returncode(self):
        r = sandbox.run(["false"])
        with self.assertRaises(subprocess.CalledProcessError):
            r.check_returncode()
        sandbox.run(["true"]).check_returncode()

    def test_timeout_with_check_raises_timeout_expired(self):
        args = ["sh", "-c", "echo started; exec sleep 30"]
        with self.assertRaises(subprocess.TimeoutExpired) as sp:
            subprocess.run(args, capture_output=True, timeout=0.5)
        t0 = time.monotonic()
        with self.assertRaises(sandbox.TimeoutExpired) as sb:
            sandbox.run(args, timeout=0.5, check=True)
        took = time.monotonic() - t0
        a, b = sp.exception, sb.exception
        self.assertIsInstance(b, subprocess.TimeoutExpired)
        self.assertLess(took, 10)
        self.assertGreaterEqual(took, 0.45)
        for name in ("cmd", "timeout", "stdout", "stderr"):
            self.assertEqual(getattr(a, name), getattr(b, name), name)
        self.assertEqual(str(a), str(b))
        self.assertEqual(b.result.reason, "timeout")

    def test_timeout_without_check_returns_result(self):
        r = sandbox.run(["sleep", "30"], timeout=0.3)
        self.assertEqual(r.status, "timeout")
        self.assertEqual(r.reason, "timeout")
        self.assertEqual(r.returncode, -signal.SIGKILL)
        self.assertTrue(r.limits["wall_ms"].fired)
        self.assertEqual(r.limits["wall_ms"].value, 300)

    def test_missing_program_is_file_not_found(self):
        # (a bare name would search the caller's PATH, which may hold a
        # directory this user cannot search: then subprocess says EACCES)
        with self.assertRaises(FileNotFoundError):
            subprocess.run(["/nonexistent/no-such-program-xyz"])
        for prog in ("/nonexistent/no-such-program-xyz", "no-such-program"):
            with self.assertRaises(FileNotFoundError) as cm:
                sandbox.run([prog])
            e = cm.exception
            self.assertIsInstance(e, sandbox.SandboxError)
            self.assertEqual(e.errno, errno.ENOENT)
            self.assertEqual(e.step, "exec")
            self.assertIn(prog, e.message)
            self.assertEqual(e.result.status, "setup_error")
