#!/usr/bin/env python3
"""analysis/plot_health.py on synthetic runs: a mix of MH and non-MH samplers plots, a run that stopped as
diverged is drawn, and a directory with nothing to plot is refused with one clear line."""
import os
import subprocess
import sys
import tempfile
import unittest

from fake_runs import fake_run, fake_sweep

HERE = os.path.dirname(os.path.abspath(__file__))
PLOT_HEALTH = os.path.join(HERE, "..", "analysis", "plot_health.py")


class PlotHealth(unittest.TestCase):
    def test_mixed_samplers_and_a_diverged_run_make_one_figure(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake_sweep(tmp)
            fake_run(os.path.join(tmp, "0"), "langevin", d_end=2.0)
            fake_run(os.path.join(tmp, "1"), "mala", d_end=600.0, accept_end=0.01, status="diverged: |d| > 500")
            out = os.path.join(tmp, "health.png")
            subprocess.run([sys.executable, PLOT_HEALTH, tmp, "--keys", "sampler.step_size", "--out", out],
                           check=True, capture_output=True)
            with open(out, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_nothing_to_plot_is_one_clear_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run([sys.executable, PLOT_HEALTH, tmp, "--out", os.path.join(tmp, "x.png")],
                               capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("plot_health: no run under", r.stderr)


if __name__ == "__main__":
    unittest.main()
