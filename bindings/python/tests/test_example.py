"""examples/python/agent_loop.py runs, and contains every hostile snippet."""

import os
import subprocess
import sys

from helpers import SandboxTestCase

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "..", "examples", "python", "agent_loop.py")


class Example(SandboxTestCase):
    def test_agent_loop_runs_and_blocks(self):
        # PYTHONPATH (the staged package) and SBX_SUPERVISOR are inherited
        p = subprocess.run([sys.executable, EXAMPLE], capture_output=True,
                           text=True, timeout=300)
        print(f"\n{p.stdout}{p.stderr}", end="")
        self.assertEqual(p.returncode, 0)
        self.assertIn("0 leaked", p.stdout)
        self.assertIn("project intact", p.stdout)
        self.assertNotIn("LEAKED", p.stdout)
        lines = {ln[:40].strip(): ln[40:].strip()
                 for ln in p.stdout.splitlines()}
        self.assertTrue(lines["summarise the data"].startswith("ok"))
        self.assertIn("3 rows, total 42", lines["summarise the data"])
        for title in ("read the developer's credentials",
                      "steal API keys from the environment",
                      "reach a database on the host's loopback",
                      "exfiltrate over the internet",
                      "clean up the project (delete it)",
                      "escalate: mount and trace", "loop forever",
                      "flood the output"):
            self.assertTrue(lines[title].startswith("blocked"), title)
        for title in ("allocate all memory", "fork bomb"):
            self.assertRegex(lines[title], "^(blocked|not run)", title)
