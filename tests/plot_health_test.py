#!/usr/bin/env python3
"""analysis/plot_health.py on synthetic runs: a mix of MH and non-MH samplers plots, a run that stopped as
diverged is drawn, and a directory with nothing to plot is refused with one clear line."""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PLOT_HEALTH = os.path.join(HERE, "..", "analysis", "plot_health.py")


def fake_run(path, sampler, d_end, accept_end=None, status="finished"):
    os.makedirs(path)
    with h5py.File(os.path.join(path, "metrics.h5"), "w") as f:
        f.attrs["config"] = yaml.safe_dump({"sampler": {"step_size": 1.0}})
        f.attrs["sampler"] = sampler
        f.attrs["status"] = status
        steps = np.arange(50, 501, 50)
        f["scalars/f_diff/step"] = steps
        f["scalars/f_diff/value"] = np.geomspace(0.5, d_end, len(steps))
        if accept_end is not None:
            f["scalars/chain_accept_rate/step"] = steps
            f["scalars/chain_accept_rate/value"] = np.linspace(0.9, accept_end, len(steps))


class PlotHealth(unittest.TestCase):
    def test_mixed_samplers_and_a_diverged_run_make_one_figure(self):
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "sweep.yaml"), "w").write("jobs: []\n")
            fake_run(os.path.join(tmp, "0"), "langevin", 2.0)
            fake_run(os.path.join(tmp, "1"), "mala", 600.0, accept_end=0.01, status="diverged: |d| > 500")
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
