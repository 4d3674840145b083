#!/usr/bin/env python3
"""analysis/pick_per_arm.py on synthetic tuning sweeps: each arm's (sampler, --arm value) winning step, the
overrides it prints, tuning over several seeds (a point wins by its mean, only if every seed finished), and the
fair tuning rule it shares with pick_best.py (analysis/tuning.py): the same health checks, the optimum inside
the grid (an edge pick refused unless --allow-edge, a closed edge accepted), --min-seeds/--min-iters/--eval-seeds."""
import os
import sys
import unittest

from fake_runs import lucky_seed_grid, run_pick

HERE = os.path.dirname(os.path.abspath(__file__))
PICK_PER_ARM = os.path.join(HERE, "..", "analysis", "pick_per_arm.py")
PICK_BEST = os.path.join(HERE, "..", "analysis", "pick_best.py")


class Picks:
    """Running the pick over synthetic runs (a mixin for the test cases below)."""

    def refusal(self, runs, *extra, script=PICK_PER_ARM):
        """(exit status, stdout, stderr, report or "") of the pick over `runs`, as a study runs it."""
        return run_pick(script, runs, *extra, arm="sampler.clip_fraction" if script == PICK_PER_ARM else None,
                        run_defaults={"d_end": 1.0})

    def pick(self, runs, *extra, edge_ok=True):
        """The override line and report of a pick that must succeed; the tests of the ranking use grids of two
        or three steps whose winner may sit at an edge, so they pass --allow-edge unless edge_ok is False."""
        rc, out, err, md = self.refusal(runs, *extra, *(["--allow-edge"] if edge_ok else []))
        self.assertEqual(rc, 0, err)
        return out, md


class PickPerArm(Picks, unittest.TestCase):
    def test_each_arm_gets_its_best_finished_step(self):
        out, md = self.pick([dict(sampler="langevin", clip_fraction=0, step=4, fid=120.0),
                             dict(sampler="langevin", clip_fraction=0, step=8, fid=100.0),
                             dict(sampler="stanley", clip_fraction=0.3, step=4, fid=130.0),
                             dict(sampler="stanley", clip_fraction=0.3, step=8, fid=90.0, status="diverged")])
        self.assertEqual(out, "'sampler=zip(langevin,stanley)' '++sampler.clip_fraction=zip(0,0.3)' "
                              "'++sampler.step_size=zip(8,4)'")
        self.assertNotIn("seeds", md)  # one seed: the table is as before

    def test_over_several_seeds_a_point_wins_by_its_mean_and_only_if_every_seed_finished(self):
        out, md = self.pick(lucky_seed_grid(sampler="stanley", clip_fraction=0.3))
        self.assertEqual(out, "'sampler=zip(stanley)' '++sampler.clip_fraction=zip(0.3)' '++sampler.step_size=zip(4)'")
        rows = [line for line in md.splitlines() if line.startswith("| stanley")]
        self.assertEqual(len(rows), 3)  # one row per grid point
        self.assertIn("| 4 | 140 ★ | finished | 2 |", next(r for r in rows if "| 4 |" in r))
        self.assertIn("| diverged | 2 (seed 1 diverged) |", next(r for r in rows if "| 8 |" in r))


def arm_grid(fids, sampler="stanley", clip_fraction=0.3, steps=(2, 4, 8), seeds=(0,), at=None, **run):
    """A healthy grid of one arm's steps over seeds: fids[i] is step i's score on every seed; `run` is set on
    every run, at = {step: {status: ..., d_end: ...}} on that step's runs."""
    return [dict(dict(dict(sampler=sampler, clip_fraction=clip_fraction, step=step, fid=fid, d_end=1.0, seed=seed), **run),
                 **(at or {}).get(step, {})) for step, fid in zip(steps, fids) for seed in seeds]


class SameHealthChecksAsPickBest(Picks, unittest.TestCase):
    """The audit of issue #34: pick_per_arm skipped the |d| check pick_best applies. Both now apply
    analysis/tuning.py's: per run, and pooled over seeds (a point is healthy only if every seed is)."""

    def both(self, runs, *extra):
        """The step each script picks for the one arm of `runs`, and their reports."""
        rc, per_arm, err, md = self.refusal(runs, "--allow-edge", *extra)
        self.assertEqual(rc, 0, err)
        rc, best, err, md_best = self.refusal(runs, "--allow-edge", *extra, script=PICK_BEST)
        self.assertEqual(rc, 0, err)
        return per_arm.split("sampler.step_size=zip(")[1].rstrip(")'"), best.split("sampler.step_size=zip(")[1].rstrip(")"), md, md_best

    def test_a_better_score_running_away_loses_in_both(self):
        runs = arm_grid([100.0, 150.0, 140.0], at={2: dict(d_end=300.0)})
        per_arm, best, md, md_best = self.both(runs)
        self.assertEqual((per_arm, best), ("8", "8"))
        row = next(r for r in md.splitlines() if r.startswith("| stanley | 0.3 | 2 |"))
        self.assertIn("| 233 (running away) | 300 | — |", row)  # final |d| (median of the last 5 logs), largest, acceptance
        self.assertIn("233 (running away)", md_best)

    def test_the_explicit_limit_applies_in_both(self):
        runs = arm_grid([100.0, 150.0, 140.0], at={2: dict(d_end=8.0)})
        self.assertEqual(self.both(runs)[:2], ("8", "8"))
        self.assertEqual(self.both(runs, "--max-abs-d", "10")[:2], ("2", "2"))

    def test_a_point_running_away_on_one_seed_loses_in_both(self):
        runs = arm_grid([100.0, 150.0, 140.0], seeds=(0, 1))
        runs[1]["d_end"] = 9.0  # step 2, seed 1
        per_arm, best, md, _ = self.both(runs)
        self.assertEqual((per_arm, best), ("8", "8"))
        self.assertIn("| 2 (seed 1 running away) |", md)

    def test_when_every_point_runs_away_both_keep_the_best_and_say_so(self):
        runs = arm_grid([100.0, 150.0, 140.0], d_end=50.0)
        per_arm, best, md, md_best = self.both(runs)
        self.assertEqual((per_arm, best), ("2", "2"))
        self.assertIn("every finished grid point was running away", md)
        self.assertIn("every finished grid point was running away", md_best)

    def test_acceptance_is_shown_for_mh_samplers(self):
        _, md = self.pick(arm_grid([150.0, 120.0, 140.0], sampler="mala", accept_end=0.02), edge_ok=False)
        self.assertIn("| 0.778 | 1 | 0.22 |", md)


class OptimumInsideTheGrid(Picks, unittest.TestCase):
    def test_an_arm_at_the_edge_is_refused_with_one_line_and_no_overrides(self):
        runs = arm_grid([150.0, 120.0, 140.0], sampler="langevin", clip_fraction=0) + arm_grid([150.0, 140.0, 120.0])
        rc, out, err, md = self.refusal(runs)
        self.assertNotEqual(rc, 0)
        self.assertEqual(out, "")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("stanley sampler.clip_fraction=0.3: sampler.step_size = 8 is the largest value tried (2, 4, 8): "
                      "at the edge of the grid: extend it above", err)
        self.assertNotIn("langevin", err)
        self.assertIn("| 120 ★ (edge) |", md)
        self.assertIn("The pick is refused.", md)
        out, md = self.pick(runs)  # --allow-edge: a warning in the report
        self.assertEqual(out, "'sampler=zip(langevin,stanley)' '++sampler.clip_fraction=zip(0,0.3)' '++sampler.step_size=zip(4,8)'")
        self.assertIn("Kept (--allow-edge): exploratory.", md)

    def test_a_plateau_of_equal_scores_goes_to_its_smallest_setting_inside_the_grid(self):
        # eq. (4) once th exceeds every |grad f|: identical runs at the largest values; read in reverse order
        runs = list(reversed(arm_grid([150.0, 120.0, 120.0, 120.0], steps=(2, 4, 8, 16))))
        rc, out, err, _ = self.refusal(runs)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "'sampler=zip(stanley)' '++sampler.clip_fraction=zip(0.3)' '++sampler.step_size=zip(4)'")

    def test_keys_are_forced_and_booleans_are_spelled_as_yaml(self):
        # the twin verdict's pick: gamma_times_s among the keys, which Langevin's config lacks unless added (++)
        out, _ = self.pick([dict(sampler="langevin", clip_fraction=0, step=4, fid=120.0),
                            dict(sampler="langevin", clip_fraction=0, step=8, fid=100.0)])
        self.assertIn("'++sampler.step_size=zip(8)'", out)
        sys.path.insert(0, os.path.join(HERE, "..", "analysis"))
        from pick_per_arm import override_text
        self.assertEqual([override_text(v) for v in (True, False, None, 0.1)], ["true", "false", "null", "0.1"])

    def test_below_is_named(self):
        rc, _, err, _ = self.refusal(arm_grid([100.0, 140.0, 120.0]))
        self.assertNotEqual(rc, 0)
        self.assertIn("sampler.step_size = 2 is the smallest value tried (2, 4, 8): at the edge of the grid: extend it below", err)

    def test_a_closed_edge_is_accepted(self):
        runs = arm_grid([150.0, 140.0, 120.0, 90.0], steps=(2, 4, 8, 16), seeds=(100, 101, 102),
                        at={16: dict(status="diverged", iters=300)})
        out, md = self.pick(runs, edge_ok=False)
        self.assertEqual(out, "'sampler=zip(stanley)' '++sampler.clip_fraction=zip(0.3)' '++sampler.step_size=zip(8)'")
        self.assertIn("no grid point at 16 is healthy: a closed edge, accepted", md)
        self.assertNotIn("(edge)", md)


class TuningDesign(Picks, unittest.TestCase):
    runs = arm_grid([150.0, 120.0, 140.0], seeds=(100, 101, 102), train_iters=1500)

    def test_a_design_that_meets_every_check_is_picked(self):
        out, _ = self.pick(self.runs, "--min-seeds", "3", "--min-iters", "1500", "--eval-seeds", "0-19", edge_ok=False)
        self.assertEqual(out, "'sampler=zip(stanley)' '++sampler.clip_fraction=zip(0.3)' '++sampler.step_size=zip(4)'")

    def test_each_check_refuses_with_one_line_and_no_overrides(self):
        for extra, said in ((["--min-seeds", "4"], "stanley sampler.clip_fraction=0.3 sampler.step_size=2 has 3 seeds (--min-seeds 4)"),
                            (["--min-iters", "2000"], "runs train.iters = 1500 (--min-iters 2000)"),
                            (["--eval-seeds", "0-100"], "tuning seed 100 is among --eval-seeds")):
            rc, out, err, _ = self.refusal(self.runs, *extra)
            self.assertNotEqual(rc, 0, extra)
            self.assertEqual(out, "", extra)
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertIn(said, err)


if __name__ == "__main__":
    unittest.main()
