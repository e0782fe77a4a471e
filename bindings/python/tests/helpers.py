"""Helpers shared by the Python binding's test suites."""

import functools
import os
import socket
import time
import unittest

import sandbox

# The interpreter inside the sandbox: the system's, which the sandbox binds
# read-only (the caller's may live under a home directory it hides).
PY = "/usr/bin/python3"


@functools.lru_cache(maxsize=None)
def sandbox_problem():
    """None when sandboxes can be built here, else the library's reason."""
    try:
        sandbox.run(["true"], timeout=30)
    except sandbox.SandboxError as e:
        return str(e)
    return None


def userns_required():
    """True when the host gives user namespaces and a test that needs only
    them must run: tools/run-tests sets SBX_TEST_REQUIRE_USERNS=1 where
    `unshare --user` works, so that a regression that breaks every run is
    no "all skipped"."""
    return os.environ.get("SBX_TEST_REQUIRE_USERNS") == "1"


def skip_userns(test, reason):
    """Skip a test for want of what user namespaces give (test: a
    TestCase, or None in setUpClass); a failure where they are
    required."""
    if userns_required():
        raise AssertionError(f"{reason} (SBX_TEST_REQUIRE_USERNS=1: user "
                             f"namespaces work on this host, so this "
                             f"must not be skipped)")
    if test is not None:
        test.skipTest(reason)
    raise unittest.SkipTest(reason)


def require_sandbox(test):
    """Skip (with the library's reason) where no sandbox can be built."""
    problem = sandbox_problem()
    if problem:
        skip_userns(None, f"cannot build a sandbox here: {problem}")


class SandboxTestCase(unittest.TestCase):
    """A test case whose tests need a working sandbox."""

    @classmethod
    def setUpClass(cls):
        require_sandbox(cls)


def fd_count():
    """Open descriptors of this process."""
    return len(os.listdir("/proc/self/fd")) - 1  # listdir's own


def rss_bytes():
    """Resident set size of this process."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def procs_with(marker):
    """PIDs (other than ours) whose command line contains marker."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ")
        except OSError:
            continue
        if marker.encode() in cmd:
            found.append(int(pid))
    return found


def children():
    """PIDs whose parent is this process (supervisors, even as zombies)."""
    me, found = os.getpid(), []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command may contain spaces and parentheses: split after it
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            found.append(int(pid))
    return found


def wait_until(predicate, timeout=10.0, step=0.01):
    """Poll predicate until it is true or timeout seconds passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


class Listener:
    """A TCP service on the host's loopback; accepted() says, on the
    host's side, whether a sandbox reached it (and what it sent)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.probe = (
            "import socket\n"
            f"s = socket.create_connection(('127.0.0.1', {self.port}), 10)\n"
            "s.sendall(b'from-the-sandbox')\n"
            "s.close()\n")

    def accepted(self):
        """What the connections made so far sent, one entry each."""
        got = []
        self.sock.setblocking(False)
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return got
            with conn:
                conn.settimeout(10)
                got.append(conn.recv(100))

    def close(self):
        self.sock.close()
