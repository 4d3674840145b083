#!/usr/bin/env python3
"""Figures from `stanley diagnose`: coupling TV bound vs k (log scale) per sampler, the mean
autocorrelation of f(z), and rank-normalised R-hat of f(z) vs chain length.

usage: plot_diagnostics.py RUN_DIR_OR_DIAGNOSTICS_H5 --out fig.png
"""
import argparse
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    path = args.run if args.run.endswith(".h5") else os.path.join(args.run, "diagnostics.h5")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    with h5py.File(path, "r") as f:
        ckpt = int(f.attrs["checkpoint"])
        for i, name in enumerate(f["diagnostics"]):
            g = f["diagnostics"][name]
            color = "C%d" % i
            if "tv_bound" in g:
                tv = g["tv_bound"][()].reshape(-1)
                k = np.arange(len(tv))
                keep = tv > 0
                rho = float(g["rho"][0])
                label = f"{name}: ρ={rho:.3f} [{float(g['rho_lo'][0]):.3f}, {float(g['rho_hi'][0]):.3f}]"
                axes[0].semilogy(k[keep], tv[keep], color=color, label=label)
            acf = g["acf"][()].reshape(-1)
            axes[1].plot(np.arange(len(acf)), acf, color=color, label=name)
            steps, rhat = g["rhat_curve/step"][()], g["rhat_curve/rhat"][()]
            axes[2].plot(steps, rhat, marker="o", ms=3, color=color, label=name)
    axes[0].set(title="L-lag coupling bound on TV(π_k, π)", xlabel="k (MCMC steps)", ylabel="TV upper bound")
    axes[1].set(title="mean autocorrelation of f(z)", xlabel="lag")
    axes[2].set(title="rank-normalised split R̂ of f(z)", xlabel="chain length (second half used)")
    axes[2].axhline(1.01, color="0.5", ls="--", lw=0.8)
    for ax in axes:
        ax.legend(fontsize=7)
    fig.suptitle(f"{os.path.dirname(os.path.abspath(path))} — checkpoint {ckpt}", fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=130)
    print(args.out)


if __name__ == "__main__":
    main()
