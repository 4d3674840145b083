#!/usr/bin/env python3
"""Each arm's best setting from a tuning sweep, where an arm is a sampler and the value of --arm (say
STANLEY at each sampler.clip_fraction): per arm, the grid point of --keys with the lowest final --metric
among runs that finished; a diverged or failed run never wins. Prints the winners as `stanley run -m`
overrides (zip lists, one element per arm) and, with --report, a Markdown table of the grid.

usage: pick_per_arm.py TUNE_SWEEP_DIR --metric kl_samples --arm sampler.clip_fraction --keys sampler.step_size
                       [--report tune.md] [--higher-is-better]
"""
import argparse
import collections
import os
import sys

import h5py

from runs import config_value, provenance, read_attr, run_config, run_dirs, series, writes_reports


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
    arms = collections.defaultdict(list)
    for d in run_dirs(a.paths):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            cfg = run_config(f)
            _, values = series(f, a.metric)
            arm = (read_attr(f, "sampler"), config_value(cfg, a.arm))
            final = float(values[-1]) if values is not None and len(values) else None
            arms[arm].append(dict(settings=[config_value(cfg, k) for k in keys], final=final,
                                  status=read_attr(f, "status", "?")))
    sign = -1 if a.higher_is_better else 1
    winners = {}
    rows = [f"# Tuning: best {a.metric} per ({a.arm}, sampler)", "",
            *provenance("analysis/pick_per_arm.py", run_dirs(a.paths)), "",
            f"| sampler | {a.arm} | {' | '.join(keys)} | final {a.metric} | status |", "| --- | --- | " + "--- | " * len(keys) + "--- | --- |"]
    for arm in sorted(arms, key=lambda x: (x[0] != "langevin", str(x[1]))):
        ok = [r for r in arms[arm] if r["status"] == "finished" and r["final"] is not None]
        best = min(ok, key=lambda r: sign * r["final"]) if ok else None
        if best:
            winners[arm] = best["settings"]
        for r in sorted(arms[arm], key=lambda r: str(r["settings"])):
            star = " ★" if r is best else ""
            final = f"{r['final']:.4g}" if r["final"] is not None else "—"
            status = r["status"].split(":")[0] + (f" ({r['status'].split(':')[1].strip()})" if ":" in r["status"] else "")
            rows.append(f"| {arm[0]} | {arm[1]} | {' | '.join(str(v) for v in r['settings'])} | {final}{star} | {status} |")
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
