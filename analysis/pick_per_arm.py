#!/usr/bin/env python3
"""Each arm's best setting from a tuning sweep, where an arm is a sampler and the value of --arm (say
STANLEY at each sampler.clip_fraction): per arm, the grid point of --keys with the lowest final --metric
among runs that finished; a diverged or failed run never wins. Runs that differ only in seed are one grid
point (tuning over several seeds), which counts as finished only if every seed finished and is scored by the
mean over its seeds. Prints the winners as `stanley run -m`
overrides (zip lists, one element per arm) and, with --report, a Markdown table of the grid.

usage: pick_per_arm.py TUNE_SWEEP_DIR --metric kl_samples --arm sampler.clip_fraction --keys sampler.step_size
                       [--report tune.md] [--higher-is-better]
"""
import argparse
import collections
import os
import sys

import h5py

from runs import config_value, grid_point, provenance, read_attr, run_config, run_dirs, series, writes_reports


def pooled(runs):
    """One grid point over its seeds: finished only if every seed finished, its final value the mean over
    its seeds (shown for a stopped point too, never picked), its status the first stopped seed's."""
    stopped = [r for r in runs if r["status"] != "finished"]
    finals = [r["final"] for r in runs]
    return dict(runs[0], final=None if None in finals else sum(finals) / len(finals),
                status=stopped[0]["status"] if stopped else "finished", seeds=runs,
                stopped=[f"seed {r['seed']} {r['status'].split(':')[0]}" for r in stopped])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--arm", required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--report", default="")
    ap.add_argument("--higher-is-better", action="store_true")
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
                settings=[config_value(cfg, k) for k in keys], final=final, status=read_attr(f, "status", "?"),
                seed=config_value(cfg, "seed")))
    arms = {arm: [pooled(runs) for runs in points.values()] for arm, points in arms.items()}
    several_seeds = any(len(r["seeds"]) > 1 for points in arms.values() for r in points)
    sign = -1 if a.higher_is_better else 1
    winners = {}
    rows = [f"# Tuning: best {a.metric} per ({a.arm}, sampler)", "",
            *provenance("analysis/pick_per_arm.py", run_dirs(a.paths)), "",
            f"| sampler | {a.arm} | {' | '.join(keys)} | final {a.metric}{' (mean over seeds)' if several_seeds else ''} | status |"
            f"{' seeds |' if several_seeds else ''}", "| --- | --- | " + "--- | " * len(keys) + "--- | --- |" + (" --- |" if several_seeds else "")]
    for arm in sorted(arms, key=lambda x: (x[0] != "langevin", str(x[1]))):
        ok = [r for r in arms[arm] if r["status"] == "finished" and r["final"] is not None]
        best = min(ok, key=lambda r: sign * r["final"]) if ok else None
        if best:
            winners[arm] = best["settings"]
        for r in sorted(arms[arm], key=lambda r: str(r["settings"])):
            star = " ★" if r is best else ""
            final = f"{r['final']:.4g}" if r["final"] is not None else "—"
            status = r["status"].split(":")[0] + (f" ({r['status'].split(':')[1].strip()})" if ":" in r["status"] else "")
            seeds = f" {len(r['seeds'])}{' (' + ', '.join(r['stopped']) + ')' if r['stopped'] else ''} |" if several_seeds else ""
            rows.append(f"| {arm[0]} | {arm[1]} | {' | '.join(str(v) for v in r['settings'])} | {final}{star} | {status} |{seeds}")
    if not winners:  # a sweep after this pick would have nothing to run
        sys.exit(f"pick_per_arm: no finished run logged {a.metric} under {' '.join(a.paths)}")
    order = [arm for arm in sorted(winners, key=lambda x: (x[0] != "langevin", str(x[1])))]
    out = [f"sampler=zip({','.join(arm[0] for arm in order)})",
           f"++{a.arm}=zip({','.join(str(arm[1] if arm[1] is not None else 0) for arm in order)})"]
    for i, k in enumerate(keys):
        out.append(f"{k}=zip({','.join(str(winners[arm][i]) for arm in order)})")
    if a.report and writes_reports():
        with open(a.report, "w") as f:
            f.write("\n".join(rows) + "\n")
    print(" ".join(f"'{o}'" for o in out))


if __name__ == "__main__":
    main()
