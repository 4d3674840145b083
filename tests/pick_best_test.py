#!/usr/bin/env python3
"""analysis/pick_best.py on synthetic tuning sweeps: which grid point wins, and the overrides it prints.

Each fake run is a metrics.h5 with the attributes and scalars the program writes (config, sampler,
status; scalars/<name>/{step,value}), so the selection rule is tested apart from training."""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PICK_BEST = os.path.join(HERE, "..", "analysis", "pick_best.py")


def fake_run(path, sampler, step, fid, d_end, status="finished", iters=500, warn_abs_d=5.0, accept_end=None):
    os.makedirs(path)
    cfg = {"sampler": {"step_size": step}, "train": {"warn_abs_d": warn_abs_d}}
    with h5py.File(os.path.join(path, "metrics.h5"), "w") as f:
        f.attrs["config"] = yaml.safe_dump(cfg)
        f.attrs["sampler"] = sampler
        f.attrs["status"] = status
        steps = np.arange(50, iters + 1, 50)
        f["scalars/f_diff/step"] = steps
        f["scalars/f_diff/value"] = np.linspace(0.0, d_end, len(steps))
        f["scalars/fid_fmnist_train/step"] = np.array([0, iters])
        f["scalars/fid_fmnist_train/value"] = np.array([550.0, fid])
        if accept_end is not None:  # MH samplers log their acceptance; the others do not
            f["scalars/chain_accept_rate/step"] = steps
            f["scalars/chain_accept_rate/value"] = np.linspace(0.9, accept_end, len(steps))


class PickBest(unittest.TestCase):
    def pick(self, runs, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "sweep.yaml"), "w").write("jobs: []\n")
            for i, r in enumerate(runs):
                fake_run(os.path.join(tmp, str(i)), **r)
            report = os.path.join(tmp, "tune.md")
            out = subprocess.run([sys.executable, PICK_BEST, tmp, "--metric", "fid_fmnist_train",
                                  "--keys", "sampler.step_size", "--report", report, *extra],
                                 capture_output=True, text=True, check=True)
            return out.stdout.strip(), open(report).read()

    def test_healthy_run_beats_a_better_score_that_is_running_away(self):
        out, md = self.pick([dict(sampler="mala", step=1, fid=400.0, d_end=300.0),
                             dict(sampler="mala", step=4, fid=520.0, d_end=1.0)])
        self.assertEqual(out, "sampler=zip(mala) ++sampler.step_size=zip(4)")
        self.assertIn("(running away)", md)

    def test_lowest_score_wins_among_healthy_runs_and_diverged_never_wins(self):
        out, _ = self.pick([dict(sampler="langevin", step=2, fid=200.0, d_end=1.0),
                            dict(sampler="langevin", step=8, fid=180.0, d_end=2.0),
                            dict(sampler="langevin", step=16, fid=90.0, d_end=1.0, status="diverged")])
        self.assertEqual(out, "sampler=zip(langevin) ++sampler.step_size=zip(8)")

    def test_when_every_finished_run_is_running_away_the_best_of_them_is_kept_and_said(self):
        out, md = self.pick([dict(sampler="hmc", step=0.1, fid=300.0, d_end=50.0),
                             dict(sampler="hmc", step=1, fid=350.0, d_end=40.0),
                             dict(sampler="hmc", step=0.01, fid=100.0, d_end=0.0, status="diverged", iters=200)])
        self.assertEqual(out, "sampler=zip(hmc) ++sampler.step_size=zip(0.1)")
        self.assertIn("every finished grid point was running away", md)

    def test_explicit_limit_overrides_the_runs_warning_level(self):
        runs = [dict(sampler="gd", step=2, fid=150.0, d_end=8.0), dict(sampler="gd", step=4, fid=190.0, d_end=1.0)]
        self.assertEqual(self.pick(runs)[0], "sampler=zip(gd) ++sampler.step_size=zip(4)")
        self.assertEqual(self.pick(runs, "--max-abs-d", "10")[0], "sampler=zip(gd) ++sampler.step_size=zip(2)")

    def test_report_shows_the_final_acceptance_of_mh_samplers_only(self):
        _, md = self.pick([dict(sampler="mala", step=1, fid=500.0, d_end=1.0, accept_end=0.02),
                           dict(sampler="langevin", step=8, fid=160.0, d_end=1.0)])
        rows = {line.split("|")[1].strip(): line for line in md.splitlines() if line.startswith("| mala") or line.startswith("| langevin")}
        self.assertIn("| 0.22 |", rows["mala"])  # median of the last 5 of 0.9 → 0.02 over 10 logs: 0.216
        self.assertIn("| 0.778 | 1 |", rows["mala"])  # final |d| (median of the last 5), then the largest
        self.assertIn("| — |", rows["langevin"])

    def test_grid_points_of_several_sweeps_are_pooled(self):
        with tempfile.TemporaryDirectory() as tmp:
            for sweep, (step, fid) in (("a", (2, 200.0)), ("b", (8, 150.0))):
                os.makedirs(os.path.join(tmp, sweep))
                open(os.path.join(tmp, sweep, "sweep.yaml"), "w").write("jobs: []\n")
                fake_run(os.path.join(tmp, sweep, "0"), sampler="gd", step=step, fid=fid, d_end=1.0)
            out = subprocess.run([sys.executable, PICK_BEST, os.path.join(tmp, "a"), os.path.join(tmp, "b"),
                                  "--metric", "fid_fmnist_train", "--keys", "sampler.step_size"],
                                 capture_output=True, text=True, check=True).stdout.strip()
            self.assertEqual(out, "sampler=zip(gd) ++sampler.step_size=zip(8)")


if __name__ == "__main__":
    unittest.main()
