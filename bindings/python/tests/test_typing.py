"""The package's type information is its annotated sources (py.typed, no
stub to drift from them): mypy --strict accepts the package and code
that uses it as documented, and rejects values the options do not take.
Everything public has a docstring."""

import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import sandbox
from sandbox import _aio

PKG = os.path.dirname(sandbox.__file__)

# Code that uses the API as documented: mypy --strict must accept it.
GOOD = '''
import asyncio
from typing import List, Optional

import sandbox

r: sandbox.Result = sandbox.run(["true"], timeout=10, memory="256M",
                                network="none", writable=False,
                                preset="strict", stdin=sandbox.DEVNULL,
                                input=b"x", binds=["/usr", ("/a", "/b")])
reason: Optional[str] = r.reason
code: int = r.returncode
limit: sandbox.Limit = r.limits["wall_ms"]
pieces: List[str] = []
with sandbox.Sandbox(workspace="/tmp", writable="live",
                     env={"A": "1", "B": None}) as box:
    box.run("ls", shell=True, text=True, on_stdout=pieces.append)
    doc = box.policy()


async def main() -> None:
    r2 = await sandbox.run_async(["true"], check=True)
    async with sandbox.stream(["true"]) as s:
        async for chunk in s:
            data: object = chunk.data
    result: sandbox.Result = await s.wait()
    print(r2.status, result.status)


asyncio.run(main())
try:
    sandbox.run(["false"], check=True)
except sandbox.TimeoutExpired as e:
    seconds: float = e.timeout
except sandbox.CalledProcessError as e:
    print(e.result)
except sandbox.SandboxError as e:
    step: Optional[str] = e.step
'''

# Values the options do not take, one a line: mypy must reject each.
BAD = [
    'sandbox.run(["true"], network="nonee")',
    'sandbox.run(["true"], writable="rw")',
    'sandbox.run(["true"], preset="lax")',
    'sandbox.run(["true"], timeout="5")',
    'sandbox.Sandbox(memory=1.5)',
    'sandbox.Sandbox().run(["true"], stdin="in.txt")',
    'sandbox.run({"a": 1})',
    'sandbox.run(["true"], nework="none")',
]


def mypy_command():
    """How to run mypy here, or None: this Python's, a mypy on PATH, or
    the system Python's (Debian's python3-mypy has no mypy command)."""
    if shutil.which("mypy"):
        return [shutil.which("mypy")]
    for python in (sys.executable, shutil.which("python3"),
                   "/usr/bin/python3"):
        if python and subprocess.run(
                [python, "-c", "import mypy"], capture_output=True
                ).returncode == 0:
            return [python, "-m", "mypy"]
    return None


class Typing(unittest.TestCase):
    def test_marker_and_no_stub_of_the_package(self):
        self.assertTrue(os.path.exists(os.path.join(PKG, "py.typed")))
        # the sources carry the types; only the generated C module has
        # a stub
        self.assertFalse(os.path.exists(os.path.join(PKG, "__init__.pyi")))

    def mypy(self, code):
        command = mypy_command()
        if command is None:
            self.skipTest("mypy is not installed (Debian: python3-mypy)")
        d = tempfile.mkdtemp(prefix="sbx-py-typing-")
        self.addCleanup(shutil.rmtree, d)
        client = os.path.join(d, "client.py")
        with open(client, "w") as f:
            f.write(code)
        p = subprocess.run(
            command + ["--strict", "--no-incremental", "--cache-dir",
                       os.path.join(d, "cache"), "--python-version",
                       "%d.%d" % sys.version_info[:2], PKG, client],
            cwd=d, capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout + p.stderr

    def test_mypy_accepts_the_package_and_its_documented_use(self):
        rc, out = self.mypy(GOOD)
        self.assertEqual(rc, 0, out)

    def test_mypy_rejects_what_the_options_do_not_take(self):
        code = "import sandbox\n" + "\n".join(BAD) + "\n"
        rc, out = self.mypy(code)
        self.assertEqual(rc, 1, out)
        lines = {int(n) for n in re.findall(r"client\.py:(\d+): error", out)}
        for i, bad in enumerate(BAD, start=2):
            with self.subTest(bad):
                self.assertIn(i, lines, out)

    def test_everything_public_has_a_docstring(self):
        self.assertTrue(sandbox.__doc__)
        for name in sandbox.__all__:
            obj = getattr(sandbox, name)
            if isinstance(obj, (int, sandbox.INHERIT.__class__)):
                continue
            with self.subTest(name=name):
                self.assertTrue(inspect.getdoc(obj), name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not callable(member) and \
                            not isinstance(member, property):
                        continue
                    with self.subTest(member=f"{name}.{attr}"):
                        self.assertTrue(inspect.getdoc(member),
                                        f"{name}.{attr}")
        self.assertIs(sandbox.Stream, _aio.Stream)


if __name__ == "__main__":
    unittest.main()
