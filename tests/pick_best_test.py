#!/usr/bin/env python3
"""analysis/pick_best.py on synthetic tuning sweeps: which grid point wins, and the overrides it prints.

Each fake run (tests/fake_runs.py) is a metrics.h5 as the program writes it, so the selection rule is
tested apart from training."""
import os
import subprocess
import sys
import tempfile
import unittest

from fake_runs import fake_run, fake_sweep, lucky_seed_grid, run_pick

HERE = os.path.dirname(os.path.abspath(__file__))
PICK_BEST = os.path.join(HERE, "..", "analysis", "pick_best.py")


class PickBest(unittest.TestCase):
    def refusal(self, runs, *extra):
        """(exit status, stdout, stderr, report or "") of the pick over `runs`, as a study runs it."""
        return run_pick(PICK_BEST, runs, *extra)

    def pick(self, runs, *extra, edge_ok=True):
        """The override line and report of a pick that must succeed; the tests of the ranking use grids of two
        or three steps whose winner may sit at an edge, so they pass --allow-edge unless edge_ok is False."""
        rc, out, err, md = self.refusal(runs, *extra, *(["--allow-edge"] if edge_ok else []))
        self.assertEqual(rc, 0, err)
        return out, md

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
            out = subprocess.run([sys.executable, PICK_BEST, tmp, "--metric", "fid_fmnist_train", "--keys", "sampler.step_size,seed",
                                  "--allow-edge"], capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(out, "sampler=zip(gd) ++sampler.step_size=zip(8) ++seed=zip(0)")

    def test_grid_points_of_several_sweeps_are_pooled(self):
        with tempfile.TemporaryDirectory() as tmp:
            for sweep, (step, fid) in (("a", (2, 200.0)), ("b", (8, 150.0))):
                fake_sweep(os.path.join(tmp, sweep))
                fake_run(os.path.join(tmp, sweep, "0"), sampler="gd", step=step, fid=fid, d_end=1.0)
            out = subprocess.run([sys.executable, PICK_BEST, os.path.join(tmp, "a"), os.path.join(tmp, "b"),
                                  "--metric", "fid_fmnist_train", "--keys", "sampler.step_size", "--allow-edge"],
                                 capture_output=True, text=True, check=True).stdout.strip()
            self.assertEqual(out, "sampler=zip(gd) ++sampler.step_size=zip(8)")


def grid(fids, sampler="langevin", steps=(2, 4, 8), seeds=(0,), at=None, **run):
    """A healthy grid of steps over seeds: fids[i] is step i's score on every seed; `run` (train_iters, ...) is
    set on every run, at = {step: {status: ..., d_end: ...}} on that step's runs."""
    return [dict(dict(dict(sampler=sampler, step=step, fid=fid, d_end=1.0, seed=seed), **run), **(at or {}).get(step, {}))
            for step, fid in zip(steps, fids) for seed in seeds]


class FairTuningRule(unittest.TestCase):
    """Issue #34 item 4: the optimum inside the grid, and the tuning design (seeds, iterations, evaluation seeds)."""
    pick = PickBest.pick
    refusal = PickBest.refusal

    def test_an_optimum_inside_the_grid_is_picked_without_a_flag(self):
        out, md = self.pick(grid([150.0, 120.0, 140.0]), edge_ok=False)
        self.assertEqual(out, "sampler=zip(langevin) ++sampler.step_size=zip(4)")
        self.assertNotIn("edge", md)

    def test_a_winner_at_the_largest_step_is_refused_with_one_line_and_no_overrides(self):
        rc, out, err, md = self.refusal(grid([150.0, 140.0, 120.0]))
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "")  # no override line: a study stops here
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("langevin: sampler.step_size = 8 is the largest value tried (2, 4, 8): at the edge of the grid: extend it above", err)
        self.assertIn("at the edge of the grid: extend it above.** The pick is refused.", md)
        self.assertIn("| 120.00 | ★ (edge) |", md)

    def test_a_winner_at_the_smallest_step_is_refused_as_below(self):
        rc, out, err, _ = self.refusal(grid([100.0, 140.0, 160.0]))
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "")
        self.assertIn("sampler.step_size = 2 is the smallest value tried (2, 4, 8): at the edge of the grid: extend it below", err)

    def test_allow_edge_keeps_the_edge_as_a_warning(self):
        out, md = self.pick(grid([150.0, 140.0, 120.0]), "--allow-edge", edge_ok=False)
        self.assertEqual(out, "sampler=zip(langevin) ++sampler.step_size=zip(8)")
        self.assertIn("extend it above.** Kept (--allow-edge): exploratory.", md)

    def test_each_sampler_is_checked_and_the_line_names_them_all(self):
        rc, out, err, _ = self.refusal(grid([150.0, 120.0, 140.0]) + grid([100.0, 140.0, 160.0], sampler="gd")
                                       + grid([190.0, 150.0, 110.0], sampler="mala"))
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("gd: sampler.step_size = 2 is the smallest", err)
        self.assertIn("mala: sampler.step_size = 8 is the largest", err)
        self.assertNotIn("langevin", err)

    def test_a_closed_edge_is_accepted_the_larger_steps_all_diverged_or_ran_away(self):
        diverged = grid([150.0, 140.0, 120.0, 90.0], steps=(2, 4, 8, 16), seeds=(0, 1),
                        at={16: dict(status="diverged", iters=300)})
        out, md = self.pick(diverged, edge_ok=False)
        self.assertEqual(out, "sampler=zip(langevin) ++sampler.step_size=zip(8)")
        self.assertIn("langevin: sampler.step_size = 8 is the largest healthy value; no grid point at 16 is healthy: "
                      "a closed edge, accepted", md)
        running_away = grid([150.0, 140.0, 120.0, 90.0], steps=(2, 4, 8, 16), at={16: dict(d_end=300.0)})
        self.assertEqual(self.pick(running_away, edge_ok=False)[0], "sampler=zip(langevin) ++sampler.step_size=zip(8)")

    def test_an_edge_with_a_healthy_seed_beyond_it_on_one_seed_only_is_still_closed(self):
        # step 16 finishes healthy on seed 0 and diverges on seed 1: the point is not healthy, so 8 is the optimum
        runs = grid([150.0, 140.0, 120.0, 90.0], steps=(2, 4, 8, 16), seeds=(0, 1))
        runs[-1].update(status="diverged", iters=300)
        self.assertEqual(self.pick(runs, edge_ok=False)[0], "sampler=zip(langevin) ++sampler.step_size=zip(8)")

    def test_min_seeds_refuses_a_point_with_fewer_seeds(self):
        runs = grid([150.0, 120.0, 140.0], seeds=(100, 101))
        rc, out, err, _ = self.refusal(runs, "--min-seeds", "3")
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("langevin sampler.step_size=2 has 2 seeds (--min-seeds 3)", err)
        self.assertEqual(self.pick(runs, "--min-seeds", "2", edge_ok=False)[0], "sampler=zip(langevin) ++sampler.step_size=zip(4)")

    def test_min_iters_refuses_runs_planned_shorter(self):
        rc, out, err, _ = self.refusal(grid([150.0, 120.0, 140.0]), "--min-iters", "1500")
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "")
        self.assertIn("train.iters = 500 (--min-iters 1500)", err)
        long = grid([150.0, 120.0, 140.0], train_iters=1500, at={8: dict(status="diverged", iters=300)})
        self.assertEqual(self.pick(long, "--min-iters", "1500", edge_ok=False)[0],
                         "sampler=zip(langevin) ++sampler.step_size=zip(4)")  # planned 1,500, whether or not it got there

    def test_eval_seeds_refuses_a_tuning_seed_the_evaluation_uses(self):
        runs = grid([150.0, 120.0, 140.0], seeds=(100, 101, 102))
        self.assertEqual(self.pick(runs, "--eval-seeds", "0-19", "--min-seeds", "3", edge_ok=False)[0],
                         "sampler=zip(langevin) ++sampler.step_size=zip(4)")
        rc, out, err, _ = self.refusal(runs, "--eval-seeds", "0-9,101")
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "")
        self.assertIn("tuning seed 101 is among --eval-seeds", err)
        rc, _, err, _ = self.refusal(runs, "--eval-seeds", "100,102")
        self.assertIn("tuning seeds 100, 102 are among --eval-seeds", err)

    def test_a_malformed_seed_list_is_a_usage_error(self):
        rc, _, err, _ = self.refusal(grid([150.0, 120.0, 140.0]), "--eval-seeds", "0-x")
        self.assertEqual(rc, 2)
        self.assertIn("not a list of seeds", err)

    def test_seed_and_booleans_among_the_keys_are_not_edges(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake_sweep(tmp)
            for i, r in enumerate(grid([150.0, 120.0, 140.0], seeds=(0, 1))):
                fake_run(os.path.join(tmp, str(i)), **r)
            out = subprocess.run([sys.executable, PICK_BEST, tmp, "--metric", "fid_fmnist_train", "--keys", "sampler.step_size,seed"],
                                 capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), "sampler=zip(langevin) ++sampler.step_size=zip(4) ++seed=zip(0)")


if __name__ == "__main__":
    unittest.main()
