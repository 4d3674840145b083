#!/usr/bin/env python3
"""FID curves of image runs (paper Fig. 4's layout) and their latest sample grids.

One line per run for each fid_* / kid_* / inpaint_psnr metric found in the runs' metrics.h5, plus
a row of the last short-run sample grid of each run (from /eval_samples in metrics.h5).

usage: plot_fid.py RUN_DIR [RUN_DIR ...] --out fig.png [--labels a,b]
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from runs import read_attr as attr, sampler_label  # noqa: E402
from run_status import FINISHED


def tile(images, cols=8):
    """[N, C, H, W] in [-1, 1] -> one [rows*H, cols*W, C] picture in [0, 1]."""
    n, c, h, w = images.shape
    rows = (n + cols - 1) // cols
    out = np.ones((rows * (h + 1) + 1, cols * (w + 1) + 1, c))
    for i in range(n):
        r, q = divmod(i, cols)
        out[1 + r * (h + 1):1 + r * (h + 1) + h, 1 + q * (w + 1):1 + q * (w + 1) + w] = \
            np.clip((images[i].transpose(1, 2, 0) + 1) / 2, 0, 1)
    return out[..., 0] if c == 1 else out


def load(path):
    h5 = path if path.endswith(".h5") else os.path.join(path, "metrics.h5")
    if not os.path.exists(h5):
        sys.exit(f"plot_fid: no metrics file at {h5}")
    with h5py.File(h5, "r") as f:
        scalars = {k: (f["scalars"][k]["step"][()], f["scalars"][k]["value"][()])
                   for k in f.get("scalars", {})
                   if k.startswith(("fid_", "kid_", "inpaint_psnr"))}
        grids = f.get("eval_samples", {})
        last = max(grids, key=int) if len(grids) else None
        grid = (int(last), grids[last][()]) if last is not None else None
        return dict(label=sampler_label(f), status=attr(f, "status"), scalars=scalars, grid=grid)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", help="comma-separated labels instead of the sampler names")
    args = ap.parse_args()
    runs = [load(r) for r in args.runs]
    if args.labels:
        for run, label in zip(runs, args.labels.split(",")):
            run["label"] = label
    metrics = sorted({k for r in runs for k in r["scalars"]})
    if not metrics:
        sys.exit("plot_fid: no fid_*/kid_*/inpaint_psnr scalars in these runs")
    ncols = max(len(metrics), len(runs))
    fig, axes = plt.subplots(2, ncols, figsize=(4.2 * ncols, 8.4), squeeze=False)
    for ax, name in zip(axes[0], metrics):
        for r in runs:
            if name in r["scalars"]:
                step, value = r["scalars"][name]
                ax.plot(step, value, marker="o", ms=3, label=r["label"] + ("" if r["status"] == FINISHED else f" [{r['status']}]"))
        ax.set_xlabel("iteration")
        ax.set_title(name)
        if name.startswith(("fid_", "kid_")) and all(np.all(r["scalars"].get(name, ([], [1]))[1] > 0) for r in runs):
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    for ax in axes[0][len(metrics):]:
        ax.axis("off")
    for ax, r in zip(axes[1], runs):
        if r["grid"] is not None:
            it, images = r["grid"]
            ax.imshow(tile(images[:64]), cmap="gray", vmin=0, vmax=1)
            ax.set_title(f"{r['label']}, iter {it}", fontsize=9)
        ax.axis("off")
    for ax in axes[1][len(runs):]:
        ax.axis("off")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=110)
    print(args.out)
    for r in runs:
        for name, (step, value) in sorted(r["scalars"].items()):
            print(f"  {r['label']}: {name} {value[0]:.4g} -> {value[-1]:.4g} (iter {step[-1]}) [{r['status']}]")


if __name__ == "__main__":
    main()
