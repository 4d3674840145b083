#!/usr/bin/env python3
"""Training health of the runs in sweep or run directories: |d| = |mean f(data) − mean f(negatives)| and,
for samplers with a Metropolis test, the chains' acceptance rate, against iteration (one line per run).

A run that trains keeps |d| near 0; a runaway shows as |d| growing by orders of magnitude (log scale),
and for MH samplers usually as acceptance falling towards 0 (frozen chains). Runs that stopped as
diverged end in ×. Lines are labelled by the sampler and the values of --keys.

  analysis/plot_health.py results/mh_pilot --keys sampler.n_steps,sampler.noise,seed --out health.png
"""
import argparse
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from runs import config_value, read_attr, run_config, run_dirs, series
from run_status import DIVERGED, is_status


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--keys", default="", help="comma-separated dotted config keys shown in each run's label")
    ap.add_argument("--out", required=True)
    ap.add_argument("--title", default="Training health")
    a = ap.parse_args()
    keys = [k for k in a.keys.split(",") if k]

    runs = []
    for d in run_dirs(a.paths):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            it, diff = series(f, "f_diff")
            if it is None or not len(it):
                continue
            cfg = run_config(f)
            label = " ".join([read_attr(f, "sampler")] + [f"{k.split('.')[-1]}={config_value(cfg, k)}" for k in keys])
            runs.append(dict(label=label, it=it, d=np.abs(diff), acc=series(f, "chain_accept_rate"),
                             diverged=is_status(read_attr(f, "status"), DIVERGED)))
    if not runs:
        raise SystemExit(f"plot_health: no run under {' '.join(a.paths)} logged f_diff")

    has_mh = any(r["acc"][0] is not None for r in runs)
    fig, axes = plt.subplots(1, 2 if has_mh else 1, figsize=(13 if has_mh else 7, 4.5), squeeze=False)
    ax_d = axes[0][0]
    colors = plt.cm.tab20(np.linspace(0, 1, 20)) if len(runs) > 10 else plt.cm.tab10(np.arange(10))
    for i, r in enumerate(sorted(runs, key=lambda r: r["label"])):
        line, = ax_d.plot(r["it"], np.maximum(r["d"], 1e-3), lw=1, label=r["label"], color=colors[i % len(colors)])
        if r["diverged"]:
            ax_d.plot(r["it"][-1], max(r["d"][-1], 1e-3), "x", color=line.get_color(), ms=8, mew=2)
        if r["acc"][0] is not None:
            axes[0][1].plot(r["acc"][0], r["acc"][1], lw=1, color=line.get_color(), label=r["label"])
    ax_d.set_yscale("log")
    ax_d.set_xlabel("iteration")
    ax_d.set_ylabel("|d| = |mean f(data) − mean f(neg)|")
    ax_d.set_title(a.title)
    if has_mh:
        axes[0][1].set_xlabel("iteration")
        axes[0][1].set_ylabel("MH acceptance rate")
        axes[0][1].set_ylim(-0.02, 1.02)
        axes[0][1].set_title("Metropolis acceptance (MH samplers)")
    fig.tight_layout()
    # Below the panels: runaway curves fill every corner of the plots.
    fig.legend(*ax_d.get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7,
               ncol=2 if has_mh else 1, frameon=False)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    fig.savefig(a.out, dpi=130, bbox_inches="tight")
    print(f"figure: {a.out}")


if __name__ == "__main__":
    main()
