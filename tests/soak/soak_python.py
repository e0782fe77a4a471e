"""The soak through the Python binding (make soak, tools/run-tests).

$SOAK_RUNS runs one after the other, then as many from 8 threads, cycling
through every way a run ends; then this process's descriptors, children
and RSS.  And $SOAK_AT_ONCE sandboxes at once from as many threads, each
of which must get the output its own program printed.
"""

import os
import statistics
import threading
import time

import sandbox
from helpers import SandboxTestCase, children, fd_count, rss_bytes

RUNS = int(os.environ.get("SOAK_RUNS", "1000"))
AT_ONCE = int(os.environ.get("SOAK_AT_ONCE", "100"))
THREADS = 8
RSS_SLACK = 8 << 20


def one(i):
    """Run the i-th ending; None when it ended as it should, else why."""
    kind = i % 8
    try:
        if kind == 0:
            r = sandbox.run(["true"], timeout=60)
            ok = r.status == "exited" and r.returncode == 0
        elif kind == 1:
            r = sandbox.run(["sh", "-c", "exit 3"], timeout=60)
            ok = r.status == "exited" and r.returncode == 3
        elif kind == 2:
            r = sandbox.run(["sh", "-c", "kill -KILL $$"], timeout=60)
            ok = r.status == "signaled" and r.returncode == -9
        elif kind == 3:
            r = sandbox.run(["sleep", "10"], timeout=0.1)
            ok = r.reason == "timeout"
        elif kind == 4:
            r = sandbox.run(["python3", "-c", "b = bytearray(64 << 20)"],
                            memory="16M", timeout=60)
            by_cgroup = r.limits["memory"].mechanism.startswith("cgroup")
            ok = (r.reason == "memory" if by_cgroup
                  else r.reason == "memory" or r.returncode != 0)
        elif kind == 5:
            r = sandbox.run(["sh", "-c",
                             "b() { b | b & }; b 2>/dev/null; sleep 0.3"],
                            pids=16, timeout=60)
            # without a pids cgroup RLIMIT_NPROC holds the bomb and
            # nothing counts its failed forks: the program's own ending
            by_cgroup = r.limits["pids"].mechanism.startswith("cgroup")
            ok = (r.reason == "pids" or r.limits["pids"].fired
                  or (not by_cgroup and r.reason is None))
        elif kind == 6:
            r = sandbox.run(["head", "-c", "200000", "/dev/zero"],
                            output_limit=1000, timeout=60)
            ok = (r.returncode == 0 and r.stdout_truncated
                  and len(r.stdout) == 1000)
        else:
            try:
                sandbox.run(["/no/such/program"], timeout=60)
            except FileNotFoundError:
                return None
            return "setup error: no FileNotFoundError"
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        return f"ending {kind}: {type(e).__name__}: {e}"
    return None if ok else f"ending {kind}: {r.status} {r.returncode}"


class Soak(SandboxTestCase):
    def phase(self, threads):
        warm = max(16, RUNS // 20)
        errors, times = [], [0.0] * RUNS
        lock, nxt = threading.Lock(), [0]

        def worker(limit):
            while True:
                with lock:
                    i = nxt[0]
                    if i >= limit:
                        return
                    nxt[0] += 1
                t0 = time.monotonic()
                why = one(i)
                times[i] = time.monotonic() - t0
                if why:
                    with lock:
                        errors.append(f"run {i}: {why}")

        worker(warm)
        rss = rss_bytes()
        ts = [threading.Thread(target=worker, args=(RUNS,))
              for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        grown = rss_bytes() - rss
        self.assertEqual(errors[:10], [])
        self.assertLess(grown, RSS_SLACK, f"RSS grew by {grown} bytes")
        # like for like: each run over the median of its ending
        tenth = (RUNS - warm) // 10
        if tenth >= 8:
            med = [statistics.median(times[i] for i in range(warm, RUNS)
                                     if i % 8 == k) for k in range(8)]
            first = statistics.median(times[i] / med[i % 8]
                                      for i in range(warm, warm + tenth))
            last = statistics.median(times[i] / med[i % 8]
                                     for i in range(RUNS - tenth, RUNS))
            print(f"\n    latency: first 10% x{first:.2f}, "
                  f"last 10% x{last:.2f} of the median", flush=True)
            self.assertLessEqual(last, 2 * first)

    def test_soak(self):
        # two runs first: an unprivileged caller's second run sets up the
        # library's one descriptor per process (the inotify watch of its
        # /etc scan, libsandbox/hostinfo.c), the process's and not a run's
        for _ in range(2):
            sandbox.run(["true"], timeout=60)
        fds = fd_count()
        self.phase(1)
        self.phase(THREADS)
        self.assertEqual(fd_count(), fds)
        # the supervisors are reaped by then (sbx_destroy waits)
        self.assertEqual(children(), [])

    def test_at_once(self):
        """AT_ONCE sandboxes running together; each result is its own."""
        barrier = threading.Barrier(AT_ONCE)
        results, errors = {}, []

        def run(i):
            token = f"run-{i}-{os.getpid()}"
            try:
                barrier.wait(timeout=60)
                r = sandbox.run(["sh", "-c", "echo $0; sleep 1; echo $0",
                                 token], timeout=120, text=True)
                results[i] = (token, r)
            except Exception as e:  # noqa: BLE001
                errors.append(f"{i}: {type(e).__name__}: {e}")

        ts = [threading.Thread(target=run, args=(i,)) for i in range(AT_ONCE)]
        t0 = time.monotonic()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        took = time.monotonic() - t0
        self.assertEqual(errors[:5], [])
        self.assertEqual(len(results), AT_ONCE)
        for i, (token, r) in results.items():
            self.assertEqual(r.returncode, 0, f"{i}: {r.status} {r.stderr}")
            self.assertEqual(r.stdout, f"{token}\n{token}\n")
        print(f"\n    {AT_ONCE} at once in {took:.1f} s", flush=True)
        self.assertEqual(children(), [])
