#!/usr/bin/env python3
"""Final and best value of metrics per sampler setting over seeds: mean ± sd (ddof 1), one row per
label (runs with the same sampler label are seeds of one setting).

usage: summarize_runs.py RUN_DIR [RUN_DIR ...] [--metrics kl_samples,kl_density] [--lower-is-better]
"""
import argparse
import collections
import os

import h5py
import numpy as np

from runs import read_attr, sampler_label


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--metrics", default="kl_samples,kl_density")
    args = ap.parse_args()
    metrics = args.metrics.split(",")
    rows = collections.defaultdict(list)
    for run in args.runs:
        with h5py.File(os.path.join(run, "metrics.h5"), "r") as f:
            values = {}
            for m in metrics + [m + "_exact" for m in metrics]:
                if f"scalars/{m}" in f:
                    v = f[f"scalars/{m}/value"][()]
                    values[m] = (v[-1], v.min())
            rows[sampler_label(f)].append((read_attr(f, "seed"), read_attr(f, "status"), values))
    header = ["setting", "seeds", "status"] + [f"{m} last" for m in metrics] + [f"{m} best" for m in metrics]
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for label, runs in rows.items():
        cells = [label, ",".join(s for s, _, _ in runs), ",".join(st.split(":")[0] for _, st, _ in runs)]
        for which in (0, 1):
            for m in metrics:
                v = np.array([vals[m][which] for _, _, vals in runs if m in vals])
                cells.append(f"{v.mean():.3f} ± {v.std(ddof=1):.3f}" if len(v) > 1 else (f"{v[0]:.3f}" if len(v) else "–"))
        print("| " + " | ".join(cells) + " |")
    exact = [vals["kl_samples_exact"][0] for r in rows.values() for _, _, vals in r if "kl_samples_exact" in vals]
    if exact:
        print(f"\nexact samples of the true rings at the same N: kl_samples {np.mean(exact):.3f} ± {np.std(exact, ddof=1) if len(exact) > 1 else 0:.3f}")


if __name__ == "__main__":
    main()
