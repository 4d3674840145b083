#!/usr/bin/env python3
"""analysis/pick_best.py on synthetic tuning sweeps: which grid point wins, and the overrides it prints.

Each fake run (tests/fake_runs.py) is a metrics.h5 as the program writes it, so the selection rule is
tested apart from training."""
import os
import subprocess
import sys
import tempfile
import unittest

from fake_runs import fake_run, fake_sweep, lucky_seed_grid

HERE = os.path.dirname(os.path.abspath(__file__))
PICK_BEST = os.path.join(HERE, "..", "analysis", "pick_best.py")


class PickBest(unittest.TestCase):
    def pick(self, runs, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            fake_sweep(tmp)
            for i, r in enumerate(runs):
                fake_run(os.path.join(tmp, str(i)), **r)
            report = os.path.join(tmp, "tune.md")
            out = subprocess.run([sys.executable, PICK_BEST, tmp, "--metric", "fid_fmnist_train",
                                  "--keys", "sampler.step_size", "--report", report, *extra],
                                 capture_output=True, text=True, check=True)
            with open(report) as md:
                return out.stdout.strip(), md.read()

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

    def test_over_several_seeds_a_point_wins_by_its_mean_and_only_if_every_seed_is_healthy(self):
        out, md = self.pick(lucky_seed_grid(sampler="langevin"))
        self.assertEqual(out, "sampler=zip(langevin) ++sampler.step_size=zip(4)")
        rows = [line for line in md.splitlines() if line.startswith("| langevin")]
        self.assertEqual(len(rows), 3)  # one row per grid point
        row4 = next(r for r in rows if r.startswith("| langevin | 4 |"))
        self.assertIn("| 2 | finished | 500 | 1.56 | 2 |", row4)  # two seeds; the worse seed's final |d| (median of its last 5) and largest
        self.assertIn("| 140.00 | ★ |", row4)  # the mean over seeds
        row8 = next(r for r in rows if r.startswith("| langevin | 8 |"))
        self.assertIn("| 2 (1 diverged) | diverged | 300 |", row8)

    def test_a_point_running_away_on_one_seed_loses_to_one_healthy_on_all(self):
        out, md = self.pick([dict(sampler="gd", step=8, fid=100.0, d_end=1.0, seed=0),
                             dict(sampler="gd", step=8, fid=100.0, d_end=9.0, seed=1),
                             dict(sampler="gd", step=4, fid=160.0, d_end=1.0, seed=0),
                             dict(sampler="gd", step=4, fid=160.0, d_end=1.0, seed=1)])
        self.assertEqual(out, "sampler=zip(gd) ++sampler.step_size=zip(4)")
        self.assertIn("| 2 (1 running away) |", md)

    def test_seed_among_the_keys_keeps_each_seed_its_own_point(self):
        runs = [dict(sampler="gd", step=8, fid=100.0, d_end=1.0, seed=0), dict(sampler="gd", step=8, fid=190.0, d_end=1.0, seed=1)]
        with tempfile.TemporaryDirectory() as tmp:
            fake_sweep(tmp)
            for i, r in enumerate(runs):
                fake_run(os.path.join(tmp, str(i)), **r)
            out = subprocess.run([sys.executable, PICK_BEST, tmp, "--metric", "fid_fmnist_train",
                                  "--keys", "sampler.step_size,seed"], capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(out, "sampler=zip(gd) ++sampler.step_size=zip(8) ++seed=zip(0)")

    def test_grid_points_of_several_sweeps_are_pooled(self):
        with tempfile.TemporaryDirectory() as tmp:
            for sweep, (step, fid) in (("a", (2, 200.0)), ("b", (8, 150.0))):
                fake_sweep(os.path.join(tmp, sweep))
                fake_run(os.path.join(tmp, sweep, "0"), sampler="gd", step=step, fid=fid, d_end=1.0)
            out = subprocess.run([sys.executable, PICK_BEST, os.path.join(tmp, "a"), os.path.join(tmp, "b"),
                                  "--metric", "fid_fmnist_train", "--keys", "sampler.step_size"],
                                 capture_output=True, text=True, check=True).stdout.strip()
            self.assertEqual(out, "sampler=zip(gd) ++sampler.step_size=zip(8)")


if __name__ == "__main__":
    unittest.main()
