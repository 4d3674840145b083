#!/usr/bin/env python3
"""analysis/pick_per_arm.py on synthetic tuning sweeps: each arm's (sampler, --arm value) winning step, the
overrides it prints, and tuning over several seeds (a point wins by its mean, only if every seed finished)."""
import os
import subprocess
import sys
import tempfile
import unittest

from fake_runs import fake_run, fake_sweep, lucky_seed_grid

HERE = os.path.dirname(os.path.abspath(__file__))
PICK_PER_ARM = os.path.join(HERE, "..", "analysis", "pick_per_arm.py")


class PickPerArm(unittest.TestCase):
    def pick(self, runs):
        with tempfile.TemporaryDirectory() as tmp:
            fake_sweep(tmp)
            for i, r in enumerate(runs):
                fake_run(os.path.join(tmp, str(i)), **{"d_end": 1.0, **r})
            report = os.path.join(tmp, "tune.md")
            out = subprocess.run([sys.executable, PICK_PER_ARM, tmp, "--metric", "fid_fmnist_train", "--arm",
                                  "sampler.clip_fraction", "--keys", "sampler.step_size", "--report", report],
                                 capture_output=True, text=True, check=True)
            with open(report) as md:
                return out.stdout.strip(), md.read()

    def test_each_arm_gets_its_best_finished_step(self):
        out, md = self.pick([dict(sampler="langevin", clip_fraction=0, step=4, fid=120.0),
                             dict(sampler="langevin", clip_fraction=0, step=8, fid=100.0),
                             dict(sampler="stanley", clip_fraction=0.3, step=4, fid=130.0),
                             dict(sampler="stanley", clip_fraction=0.3, step=8, fid=90.0, status="diverged")])
        self.assertEqual(out, "'sampler=zip(langevin,stanley)' '++sampler.clip_fraction=zip(0,0.3)' "
                              "'sampler.step_size=zip(8,4)'")
        self.assertNotIn("seeds", md)  # one seed: the table is as before

    def test_over_several_seeds_a_point_wins_by_its_mean_and_only_if_every_seed_finished(self):
        out, md = self.pick(lucky_seed_grid(sampler="stanley", clip_fraction=0.3))
        self.assertEqual(out, "'sampler=zip(stanley)' '++sampler.clip_fraction=zip(0.3)' 'sampler.step_size=zip(4)'")
        rows = [line for line in md.splitlines() if line.startswith("| stanley")]
        self.assertEqual(len(rows), 3)  # one row per grid point
        self.assertIn("| 4 | 140 ★ | finished | 2 |", next(r for r in rows if "| 4 |" in r))
        self.assertIn("| diverged | 2 (seed 1 diverged) |", next(r for r in rows if "| 8 |" in r))


if __name__ == "__main__":
    unittest.main()
