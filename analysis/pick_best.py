#!/usr/bin/env python3
"""Each sampler's best setting from a tuning sweep, as the paper tuned its baselines ("we tune ... over
a fine grid and report the best result for all methods"): per sampler, the grid point with the lowest
final value of --metric among runs that finished healthy; a run that diverged or failed never wins (if every
point of a sampler diverged, the one that lasted longest is kept and the report says so).

Healthy: |d| = |mean f(data) - mean f(neg)| at the end (median of the last 5 logged values) at most
--max-abs-d (default: the run's train.warn_abs_d; none when that is 0). A short tuning run can finish
while its energies are already running away (measured, MALA s = 1 at lr 1e-5: |d| ~ 20 at 500 iterations
and the best fid of its lr grid, |d| 339 by 1,450 and 456 at 2,000), so a finished run that is running
away ranks after every healthy one.

Tuning over several seeds: runs that differ only in seed are one grid point (unless --keys lists seed), which
finished healthy only if every seed did, scored by the mean over its seeds; a point that is best on one lucky
seed and runs away on another does not win.

Prints the winners as sweep overrides for `stanley run -m` (zip over the tuned --keys), and writes a
Markdown table of the whole grid with the winners marked (final and largest |d|, final MH acceptance).

usage: pick_best.py TUNE_SWEEP_DIR [MORE_SWEEP_DIRS...] --metric fid_fmnist_train --keys sampler.step_size,sampler.th
                    [--order langevin,stanley,mala,hmc,gd] [--report tune.md] [--repeat N]
All zip() lists of a sweep pair up element by element, so a product with other settings is written
out: --repeat 4 with 'sampler.n_steps=zip(5,10,20,40,5,10,20,40)' gives each sampler the four Ks.

The fair tuning rule (analysis/tuning.py, shared with pick_per_arm.py): a winner at the smallest or largest
value tried of a numeric --keys key is at the edge of the grid, and the pick refuses (exit 1, one line, no
overrides) unless --allow-edge; a closed edge (every grid point beyond it unhealthy) is accepted. Optional
design checks: [--min-seeds N] [--min-iters N] [--eval-seeds 0-19] [--max-abs-d D] [--allow-edge].
"""
import argparse
import os
import sys

import h5py
import numpy as np

from run_status import FINISHED
from runs import config_value, grid_point, provenance, read_attr, run_config, run_dirs, series, writes_reports
from tuning import (add_rule_arguments, choose, design_problems, edge_text, edges, health_cells, one_line,
                    pool_health, run_health, setting_order)


def override_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def pooled(runs):
    """One grid point over its seeds: finished only if every seed finished, healthy only if every seed is
    (tuning.pool_health), scored by the mean final value; its worst |d|, acceptance and length."""
    if len(runs) == 1:
        return dict(runs[0], seeds=runs)
    stopped = [r for r in runs if r["status"] != FINISHED]
    return dict(runs[0], status=stopped[0]["status"] if stopped else FINISHED,
                last=float(np.mean([r["last"] for r in runs])), **pool_health(runs), seeds=runs)


def seeds_text(point):
    """The seeds of a grid point, and those that did not finish healthy."""
    bad = [f"{r['seed']} {r['status'] if r['status'] != FINISHED else 'running away'}"
           for r in point["seeds"] if r["status"] != FINISHED or not r["healthy"]]
    return f"{len(point['seeds'])}" + (f" ({', '.join(bad)})" if bad else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep", nargs="+", help="sweep directories (their grid points are pooled)")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--keys", required=True, help="comma-separated dotted config keys that were tuned")
    ap.add_argument("--order", default="", help="samplers in the order to print (default: as found)")
    ap.add_argument("--report")
    ap.add_argument("--repeat", type=int, default=1,
                    help="repeat each sampler's entry N times (to zip with N settings per sampler, e.g. K values)")
    add_rule_arguments(ap)
    a = ap.parse_args()
    keys = a.keys.split(",")

    points = {}  # grid point -> its runs, one per seed
    for d in run_dirs(a.sweep):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            cfg = run_config(f)
            steps, values = series(f, a.metric)
            run = dict(run_health(f, cfg, a.max_abs_d), dir=d, sampler=read_attr(f, "sampler"),
                       setting=[config_value(cfg, k) for k in keys], status=read_attr(f, "status").split(":")[0],
                       last=float(values[-1]) if values is not None and len(values) > 1 else float("inf"))
            points.setdefault(grid_point(f, cfg, keep_seed="seed" in keys), []).append(run)
    rows = [pooled(runs) for runs in points.values()]
    several_seeds = any(len(r["seeds"]) > 1 for r in rows)
    if not rows:
        raise SystemExit(f"pick_best: no run under {' '.join(a.sweep)}")

    samplers = [s for s in a.order.split(",") if s] or list(dict.fromkeys(r["sampler"] for r in rows))
    best, at_edge = {}, {}
    finished = lambda r: r["status"] == FINISHED  # noqa: E731
    for s in samplers:
        mine = [r for r in rows if r["sampler"] == s]
        if not mine:
            raise SystemExit(f"pick_best: no run of sampler {s} under {' '.join(a.sweep)}")
        best[s] = choose(mine, finished, lambda r: r["last"], lambda r: r["setting"]) or max(mine, key=lambda r: r["iters"])
        at_edge[s] = edges(mine, best[s], keys, lambda r: r["setting"], finished, override_text)

    problems = design_problems([r for r in rows if r["sampler"] in samplers], a,
                               lambda r: f"{r['sampler']} {', '.join(f'{k}={override_text(v)}' for k, v in zip(keys, r['setting']))}")
    if problems:
        sys.exit(one_line("pick_best", "the tuning design falls short", problems))
    open_edges = [edge_text(s, e) for s in samplers for e in at_edge[s] if not e["closed"]]

    if a.report and writes_reports():
        lines = [f"# Tuning grid: {' '.join(a.sweep)}", "",
                 *provenance("analysis/pick_best.py", run_dirs(a.sweep)), "",
                 f"Each sampler's "
                 f"setting with the lowest final {a.metric} among runs that finished healthy (final \\|d\\| within the limit) "
                 f"is used for the figure (★)."
                 + (" A setting run over several seeds counts as healthy only if every seed is; its value is the mean "
                    "over its seeds, its \\|d\\| and acceptance the worst seed's." if several_seeds else ""), "",
                 f"| sampler | {' | '.join(keys)} |{' seeds |' if several_seeds else ''} status | iterations | final \\|d\\| | max \\|d\\| | final acceptance | {a.metric} last | |",
                 "| --- | " + " | ".join("---" for _ in keys) + (" | ---" if several_seeds else "") + " | --- | --- | --- | --- | --- | --- | --- |"]
        for r in sorted(rows, key=lambda r: (samplers.index(r["sampler"]) if r["sampler"] in samplers else 99, setting_order(r["setting"]))):
            mark = ("★" + (" (edge)" if any(not e["closed"] for e in at_edge[r["sampler"]]) else "")
                    if best.get(r["sampler"]) is r else "")
            seeds = f" {seeds_text(r)} |" if several_seeds else ""
            lines.append(f"| {r['sampler']} | {' | '.join(override_text(v) for v in r['setting'])} |{seeds} {r['status']} | {r['iters']} | "
                         f"{' | '.join(health_cells(r))} | {r['last']:.2f} | {mark} |")
        for s in samplers:
            if best[s]["status"] != FINISHED:
                lines += ["", f"**{s}: no grid point finished**; the longest-lasting one is used."]
            elif not best[s]["healthy"]:
                lines += ["", f"**{s}: every finished grid point was running away at its end**; the best of them is used."]
            for e in at_edge[s]:
                lines += ["", f"**{edge_text(s, e)}.**" + ("" if e["closed"] else " Kept (--allow-edge): exploratory."
                                                           if a.allow_edge else " The pick is refused.")]
        with open(a.report, "w") as out:
            out.write("\n".join(lines) + "\n")

    if open_edges and not a.allow_edge:  # a study stops here: extend the grid and run the pick again
        sys.exit(one_line("pick_best", "refused, the winner is at the edge of the grid (--allow-edge keeps it)", open_edges))
    for e in open_edges:
        print(f"pick_best: warning: {e} (kept: --allow-edge)", file=sys.stderr)

    rows_out = [s for s in samplers for _ in range(a.repeat)]
    args = [f"sampler=zip({','.join(rows_out)})"]
    # `++` sets the key where the sampler's config has it and adds it where not (gamma_times_s is
    # STANLEY's alone); values as the override grammar reads them (true/false, null).
    for i, k in enumerate(keys):
        args.append(f"++{k}=zip({','.join(override_text(best[s]['setting'][i]) for s in rows_out)})")
    print(" ".join(args))


if __name__ == "__main__":
    main()
