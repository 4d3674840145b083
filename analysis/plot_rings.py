#!/usr/bin/env python3
"""Paper Fig. 1 from rings runs: one row per run (sampler), one column per snapshot, each panel the
short-run samples over the true density's contours; a last row with KL(true || model density) and
KL(true || sample histogram) vs iteration, the latter with the same metric for exact samples of the
true rings at the same N (kl_samples_exact, dashed): what perfect sampling scores.

usage: plot_rings.py RUN_DIR_OR_METRICS_H5 [...] --out fig.png [--every 2000] [--max-cols 6]
"""
import argparse
import os
import sys

import h5py
import matplotlib

from runs import read_attr, run_config, sampler_label

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from run_status import DIVERGED, is_status


def rings_density(x, y, radii, sd):
    """Exact density of the rings data (independent of the C++ implementation)."""
    r = np.maximum(np.hypot(x, y), 1e-12)
    p = np.zeros_like(r)
    for R in radii:
        p += (np.exp(-0.5 * ((r - R) / sd) ** 2) + np.exp(-0.5 * ((r + R) / sd) ** 2)) / len(radii)
    return p / (sd * np.sqrt(2 * np.pi)) / (2 * np.pi * r)


def load_run(path):
    h5 = path if path.endswith(".h5") else os.path.join(path, "metrics.h5")
    if not os.path.exists(h5):
        sys.exit(f"plot_rings: no metrics file at {h5}")
    with h5py.File(h5, "r") as f:
        cfg = run_config(f)
        label = sampler_label(f)
        snaps = {int(k): f["samples"][k][()] for k in f.get("samples", {})}
        scalars = {k: (f["scalars"][k]["step"][()], f["scalars"][k]["value"][()]) for k in f.get("scalars", {})}
        status = read_attr(f, "status", "")
        data = cfg["data"]  # the run's own ring geometry (every rings config has it): no default restated here
        radius, sd, n_rings = float(data["radius"]), float(data["sd"]), int(data["n_rings"])
    return dict(label=label, snaps=snaps, scalars=scalars, status=status,
                radii=[radius * (i + 1) for i in range(n_rings)], sd=sd)


def pick_snapshots(iters, every, max_cols):
    chosen = [i for i in iters if every and i % every == 0 and i > 0] or [i for i in iters if i > 0]
    if len(chosen) > max_cols:
        idx = np.linspace(0, len(chosen) - 1, max_cols).round().astype(int)
        chosen = [chosen[i] for i in idx]
    return chosen


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--every", type=int, default=0, help="snapshot spacing in iterations (0: all)")
    ap.add_argument("--max-cols", type=int, default=6)
    ap.add_argument("--extent", type=float, default=4.6)
    args = ap.parse_args()

    runs = [load_run(r) for r in args.runs]
    cols = max(1, max(len(pick_snapshots(sorted(r["snaps"]), args.every, args.max_cols)) for r in runs))
    fig = plt.figure(figsize=(2.4 * cols, 2.4 * len(runs) + 3.0))
    grid = fig.add_gridspec(len(runs) + 1, cols, height_ratios=[1] * len(runs) + [1.3])
    e = args.extent
    xs = np.linspace(-e, e, 300)
    X, Y = np.meshgrid(xs, xs)

    for row, run in enumerate(runs):
        dens = rings_density(X, Y, run["radii"], run["sd"])
        chosen = pick_snapshots(sorted(run["snaps"]), args.every, args.max_cols)
        for col in range(cols):
            ax = fig.add_subplot(grid[row, col])
            ax.set_xlim(-e, e), ax.set_ylim(-e, e), ax.set_aspect("equal"), ax.set_xticks([]), ax.set_yticks([])
            ax.contour(X, Y, dens, levels=4, colors="0.6", linewidths=0.6)
            if col < len(chosen):
                z = run["snaps"][chosen[col]]
                ax.scatter(z[:, 0], z[:, 1], s=0.3, alpha=0.35, color="C%d" % row, rasterized=True)
                ax.set_title(f"iter {chosen[col]}", fontsize=8)
            if col == 0:
                ax.set_ylabel(run["label"], fontsize=9)
        if is_status(run["status"], DIVERGED):
            fig.text(0.01, 1 - (row + 0.5) / (len(runs) + 1.3), "diverged", color="red", rotation=90, fontsize=8)

    bottom = grid[len(runs), :].subgridspec(1, 2)
    for c, (metric, title) in enumerate([("kl_density", "KL(true ‖ model density)"), ("kl_samples", "KL(true ‖ sample histogram)")]):
        ax = fig.add_subplot(bottom[0, c])
        for row, run in enumerate(runs):
            if metric in run["scalars"]:
                step, value = run["scalars"][metric]
                ax.plot(step, value, marker="o", ms=2, color="C%d" % row, label=run["label"])
        exact = [r["scalars"][metric + "_exact"] for r in runs if metric + "_exact" in r["scalars"]]
        if exact:
            step, value = exact[0]
            ax.plot(step, value, ls="--", color="k", lw=1, label="exact samples, same N")
        ax.set_xlabel("iteration"), ax.set_title(title, fontsize=9), ax.set_yscale("log"), ax.legend(fontsize=7)

    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=130)
    print(args.out)
    for run in runs:
        kd = run["scalars"].get("kl_density", ([], []))[1]
        ks = run["scalars"].get("kl_samples", ([], []))[1]
        ke = run["scalars"].get("kl_samples_exact", ([], []))[1]
        if len(kd):
            floor = f" (exact samples: {np.mean(ke):.3f})" if len(ke) else ""
            print(f"  {run['label']}: kl_density {kd[0]:.4f} -> {kd[-1]:.4f}, kl_samples {ks[0]:.3f} -> {ks[-1]:.3f}"
                  f"{floor}  [{run['status'] or 'unknown'}]")


if __name__ == "__main__":
    main()
