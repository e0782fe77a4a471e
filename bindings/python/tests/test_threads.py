"""Many threads run sandboxes at once; the GIL is released while waiting."""

import threading
import time

import sandbox
from helpers import SandboxTestCase, children, wait_until

THREADS = 8
RUNS = 50


class Threads(SandboxTestCase):
    def test_8_threads_x_50_runs(self):
        shared = sandbox.Sandbox(timeout=60)
        ok = [0] * THREADS
        errors = []

        def worker(n):
            try:
                for i in range(RUNS):
                    tag = f"t{n}-{i}"
                    if n % 2:  # half share one Sandbox, half use run()
                        r = shared.run(["echo", tag], check=True)
                    else:
                        r = sandbox.run(["sh", "-c", 'echo "$0"', tag],
                                        timeout=60, check=True)
                    if r.stdout != f"{tag}\n".encode():
                        raise AssertionError(f"{tag}: got {r.stdout!r}")
                    ok[n] += 1
            except BaseException as e:  # reported by the main thread
                errors.append(f"thread {n}: {e!r}")

        threads = [threading.Thread(target=worker, args=(n,))
                   for n in range(THREADS)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)
        finally:
            shared.close()
        self.assertEqual(errors, [])
        self.assertEqual(ok, [RUNS] * THREADS)
        self.assertTrue(wait_until(lambda: not children(), 5),
                        "supervisors left behind")

    def test_gil_is_released_while_waiting(self):
        # 8 sandboxes sleeping 0.5 s run at once: together they take
        # about as long as one, not as long as all of them one after the
        # other.  Judged by the runs' own durations, which a busy machine
        # stretches alike, not by a fixed time.
        done, spans = [], []

        def one():
            s = time.monotonic()
            done.append(sandbox.run(["sleep", "0.5"]))
            spans.append(time.monotonic() - s)

        threads = [threading.Thread(target=one) for _ in range(THREADS)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        # and this thread keeps running Python meanwhile
        spins = 0
        while any(t.is_alive() for t in threads):
            spins += 1
            time.sleep(0)
        took = time.monotonic() - t0
        for t in threads:
            t.join()
        self.assertEqual([r.returncode for r in done], [0] * THREADS)
        # one after the other, the sum would be at most what they took
        self.assertGreater(sum(spans), 2 * took,
                           f"{THREADS} runs of {sorted(spans)} s took "
                           f"{took:.2f} s together")
        self.assertGreater(spins, 100)
