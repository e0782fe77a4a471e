"""No leaks: 1,000 runs in one process leave its fd count and RSS flat."""

import asyncio
import gc

import sandbox
from helpers import SandboxTestCase, children, fd_count, rss_bytes
from sandbox import _config

RUNS = 1000
WARMUP = 100
# Growth allowed over the measured runs.  Each run moves about 40 KiB of
# output through the binding and keeps a C handle for a while: leaking
# either per run would grow RSS by 1-40 MiB, far above this.
RSS_SLACK = 1 << 20

SCRIPT = "head -c 20000 /dev/zero; head -c 20000 /dev/zero >&2; echo $0"


class Soak(SandboxTestCase):
    def test_1000_runs_leave_fds_and_rss_flat(self):
        sb = sandbox.Sandbox(timeout=60)
        loop = asyncio.new_event_loop()

        def one(i):
            kind = i % 5
            if kind == 0:  # a fresh Sandbox and C handle each time
                r = sandbox.run(["sh", "-c", SCRIPT, str(i)], timeout=60)
            elif kind == 1:
                r = loop.run_until_complete(
                    sb.run_async(["sh", "-c", SCRIPT, str(i)]))
            elif kind == 2:
                r = sb.run(["sh", "-c", SCRIPT, str(i)], text=True)
                r.stdout = r.stdout.encode()
            elif kind == 3:  # the callback path
                pieces = []
                r = sb.run(["sh", "-c", SCRIPT, str(i)],
                           on_stdout=pieces.append)
            else:  # the library refuses: the error path must not leak
                try:
                    sandbox.run(["no-such-program-xyz"])
                except FileNotFoundError:
                    return
                raise AssertionError("no error for a missing program")
            self.assertEqual(r.returncode, 0)
            self.assertEqual(len(r.stdout), 20000 + len(str(i)) + 1)
            self.assertEqual(len(r.stderr), 20000)

        try:
            for i in range(WARMUP):
                one(i)
            gc.collect()
            fds0, rss0 = fd_count(), rss_bytes()
            for i in range(WARMUP, WARMUP + RUNS):
                one(i)
            gc.collect()
            fds1, rss1 = fd_count(), rss_bytes()
        finally:
            sb.close()
            loop.close()
        handles = sum(isinstance(o, _config.Handle) for o in gc.get_objects())
        print(f"\n    fds {fds0} -> {fds1}, RSS {rss0 >> 10} -> "
              f"{rss1 >> 10} KiB, live handles {handles}")
        self.assertEqual(fds1, fds0)
        self.assertLess(rss1 - rss0, RSS_SLACK)
        self.assertEqual(handles, 0)
        self.assertEqual(children(), [])
