"""Run the Python binding's unittest suites against the build tree.

Stages the package (the sources of bindings/python/sandbox plus the built
extension) in a temporary directory on sys.path and PYTHONPATH, runs every
tests/test_*.py (or the modules named on the command line, or in
SBX_PYTHON_TESTS), and ends with the line the CI sums:

    ## tests: P passed, F failed, S skipped

Exit status: 0, 1 when something failed, 77 when everything was skipped.
"""

import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_SRC = os.path.join(os.path.dirname(HERE), "sandbox")


def stage() -> str:
    """A directory holding an importable `sandbox` package."""
    ext = os.environ.get("SBX_PYTHON_EXT", "")
    if not os.path.exists(ext):
        sys.exit(f"runtests: the built extension {ext!r} is missing "
                 f"(SBX_PYTHON_EXT); run `make` first")
    top = tempfile.mkdtemp(prefix="sbx-pytest-")
    pkg = os.path.join(top, "sandbox")
    os.mkdir(pkg)
    for name in os.listdir(PACKAGE_SRC):
        if name.endswith((".py", ".pyi")) or name == "py.typed":
            shutil.copy(os.path.join(PACKAGE_SRC, name), pkg)
    shutil.copy(ext, os.path.join(pkg, os.path.basename(ext)))
    return top


class CountingResult(unittest.TextTestResult):
    """Counts passes as well (TextTestResult only keeps the rest)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        self._started = 0.0

    def startTest(self, test):
        self._started = time.monotonic()
        super().startTest(test)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def stopTest(self, test):
        super().stopTest(test)
        took = time.monotonic() - self._started
        if took > 5:
            self.stream.writeln(f"    ({test.id()} took {took:.1f} s)")


def main() -> int:
    top = stage()
    try:
        sys.path.insert(0, top)
        sys.path.insert(0, HERE)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (top, os.environ.get("PYTHONPATH")) if p)
        names = sys.argv[1:] or os.environ.get("SBX_PYTHON_TESTS",
                                               "").split()
        loader = unittest.TestLoader()
        if names:
            suite = loader.loadTestsFromNames(names)
        else:
            suite = loader.discover(HERE, pattern="test_*.py",
                                    top_level_dir=HERE)
        try:
            import sandbox
        except Exception:
            import traceback

            traceback.print_exc()
            print("runtests: cannot import the staged package")
            print("## tests: 0 passed, 1 failed, 0 skipped", flush=True)
            return 1
        print(f"sandbox {sandbox.__version__} from {sandbox.__file__}, "
              f"Python {sys.version.split()[0]} ({sys.executable}), "
              f"uid {os.getuid()}", flush=True)
        runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2,
                                         resultclass=CountingResult)
        result = runner.run(suite)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    failed = len(result.failures) + len(result.errors) + len(
        result.unexpectedSuccesses)
    skipped = len(result.skipped)
    print(f"## tests: {result.passed} passed, {failed} failed, "
          f"{skipped} skipped", flush=True)
    if failed:
        return 1
    if result.testsRun and skipped == result.testsRun:
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
