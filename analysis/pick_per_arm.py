#!/usr/bin/env python3
"""Each arm's best setting from a tuning sweep, where an arm is a sampler and the value of --arm (say
STANLEY at each sampler.clip_fraction): per arm, the grid point of --keys with the lowest final --metric
among runs that finished healthy, by the same rule as pick_best.py (analysis/tuning.py): final |d| within
--max-abs-d (default: the run's train.warn_abs_d), a finished point running away wins only when no point of its
arm is healthy (the report says so), a diverged or failed run never wins. Runs that differ only in seed are one
grid point (tuning over several seeds), which counts as finished and healthy only if every seed is and is scored
by the mean over its seeds. Prints the winners as `stanley run -m` overrides (zip lists, one element per arm)
and, with --report, a Markdown table of the grid with each point's health.

A winner at the smallest or largest value tried for its arm of a numeric --keys key is at the edge of the grid:
the pick refuses (exit 1, one line naming arm, key, value and direction, no overrides) unless --allow-edge; a
closed edge (the next value beyond was tried and no grid point there is healthy) is accepted.

usage: pick_per_arm.py TUNE_SWEEP_DIR --metric kl_samples --arm sampler.clip_fraction --keys sampler.step_size
                       [--report tune.md] [--higher-is-better] [--max-abs-d D] [--allow-edge]
                       [--min-seeds N] [--min-iters N] [--eval-seeds 0-19]
"""
import argparse
import collections
import os
import sys

import h5py

from run_status import FINISHED
from runs import config_value, grid_point, provenance, read_attr, run_config, run_dirs, series, writes_reports
from tuning import (add_rule_arguments, choose, design_problems, edge_text, edges, health_cells, one_line,
                    pool_health, run_health, setting_order)


def pooled(runs):
    """One grid point over its seeds: finished only if every seed finished, healthy only if every seed is
    (tuning.pool_health), its final value the mean over its seeds (shown for a stopped point too, never picked),
    its status the first stopped seed's."""
    stopped = [r for r in runs if r["status"] != FINISHED]
    finals = [r["final"] for r in runs]
    return dict(runs[0], final=None if None in finals else sum(finals) / len(finals),
                status=stopped[0]["status"] if stopped else FINISHED, seeds=runs, **pool_health(runs),
                stopped=[f"seed {r['seed']} {r['status'].split(':')[0]}" for r in stopped]
                + [f"seed {r['seed']} running away" for r in runs if r["status"] == FINISHED and not r["healthy"]])


def arm_text(a, arm):
    return f"{arm[0]} {a.arm}={arm[1]}"


def override_text(v):
    """A setting as an override value, spelled as YAML does (Python's True and None are not override values)."""
    return "null" if v is None else str(v).lower() if isinstance(v, bool) else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--arm", required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--report", default="")
    ap.add_argument("--higher-is-better", action="store_true")
    add_rule_arguments(ap)
    a = ap.parse_args()
    keys = a.keys.split(",")
    arms = collections.defaultdict(dict)  # arm -> grid point -> its runs, one per seed
    for d in run_dirs(a.paths):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            cfg = run_config(f)
            _, values = series(f, a.metric)
            arm = (read_attr(f, "sampler"), config_value(cfg, a.arm))
            final = float(values[-1]) if values is not None and len(values) else None
            arms[arm].setdefault(grid_point(f, cfg), []).append(dict(
                run_health(f, cfg, a.max_abs_d), arm=arm, settings=[config_value(cfg, k) for k in keys], final=final,
                status=read_attr(f, "status", "?")))
    arms = {arm: [pooled(runs) for runs in points.values()] for arm, points in arms.items()}
    several_seeds = any(len(r["seeds"]) > 1 for points in arms.values() for r in points)
    sign = -1 if a.higher_is_better else 1
    order = sorted(arms, key=lambda x: (x[0] != "langevin", str(x[1])))

    problems = design_problems([p for arm in order for p in arms[arm]], a,
                               lambda p: f"{arm_text(a, p['arm'])} {', '.join(f'{k}={v}' for k, v in zip(keys, p['settings']))}")
    if problems:
        sys.exit(one_line("pick_per_arm", "the tuning design falls short", problems))

    finished = lambda r: r["status"] == FINISHED and r["final"] is not None  # noqa: E731
    winners, at_edge = {}, {}
    for arm in order:
        best = choose(arms[arm], finished, lambda r: sign * r["final"], lambda r: r["settings"])
        if best:
            winners[arm] = best
            at_edge[arm] = edges(arms[arm], best, keys, lambda r: r["settings"], finished)
    open_edges = [edge_text(arm_text(a, arm), e) for arm in winners for e in at_edge[arm] if not e["closed"]]

    rows = [f"# Tuning: best {a.metric} per ({a.arm}, sampler)", "",
            *provenance("analysis/pick_per_arm.py", run_dirs(a.paths)), "",
            f"Per arm, the grid point with the {'highest' if a.higher_is_better else 'lowest'} final {a.metric} among "
            f"those that finished healthy (final \\|d\\| within the limit{'; over several seeds, every seed' if several_seeds else ''}) (★).", "",
            f"| sampler | {a.arm} | {' | '.join(keys)} | final {a.metric}{' (mean over seeds)' if several_seeds else ''} | status |"
            f"{' seeds |' if several_seeds else ''} final \\|d\\| | max \\|d\\| | final acceptance |",
            "| --- | --- | " + "--- | " * len(keys) + "--- | --- |" + (" --- |" if several_seeds else "") + " --- | --- | --- |"]
    for arm in order:
        best = winners.get(arm)
        for r in sorted(arms[arm], key=lambda r: setting_order(r["settings"])):
            star = (" ★" + (" (edge)" if any(not e["closed"] for e in at_edge[arm]) else "")) if r is best else ""
            final = f"{r['final']:.4g}" if r["final"] is not None else "—"
            status = r["status"].split(":")[0] + (f" ({r['status'].split(':')[1].strip()})" if ":" in r["status"] else "")
            seeds = f" {len(r['seeds'])}{' (' + ', '.join(r['stopped']) + ')' if r['stopped'] else ''} |" if several_seeds else ""
            rows.append(f"| {arm[0]} | {arm[1]} | {' | '.join(str(v) for v in r['settings'])} | {final}{star} | {status} |{seeds}"
                        f" {' | '.join(health_cells(r))} |")
    for arm in order:
        if arm not in winners:
            rows += ["", f"**{arm_text(a, arm)}: no grid point finished**; the arm is left out of the pick."]
            continue
        if not winners[arm]["healthy"]:
            rows += ["", f"**{arm_text(a, arm)}: every finished grid point was running away at its end**; the best of them is used."]
        for e in at_edge[arm]:
            rows += ["", f"**{edge_text(arm_text(a, arm), e)}.**" + ("" if e["closed"] else " Kept (--allow-edge): exploratory."
                                                                     if a.allow_edge else " The pick is refused.")]
    if a.report and writes_reports():
        with open(a.report, "w") as f:
            f.write("\n".join(rows) + "\n")
    if not winners:  # a sweep after this pick would have nothing to run
        sys.exit(f"pick_per_arm: no finished run logged {a.metric} under {' '.join(a.paths)}")
    if open_edges and not a.allow_edge:  # a study stops here: extend the grid and run the pick again
        sys.exit(one_line("pick_per_arm", "refused, the winner is at the edge of the grid (--allow-edge keeps it)", open_edges))
    for e in open_edges:
        print(f"pick_per_arm: warning: {e} (kept: --allow-edge)", file=sys.stderr)
    picked = [arm for arm in order if arm in winners]
    out = [f"sampler=zip({','.join(arm[0] for arm in picked)})",
           f"++{a.arm}=zip({','.join(str(arm[1] if arm[1] is not None else 0) for arm in picked)})"]
    # ++: a key one arm's sampler lacks (th for langevin) is added there, as the tuning sweeps added it.
    for i, k in enumerate(keys):
        out.append(f"++{k}=zip({','.join(override_text(winners[arm]['settings'][i]) for arm in picked)})")
    print(" ".join(f"'{o}'" for o in out))


if __name__ == "__main__":
    main()
