#!/usr/bin/env python3
"""A figure and a Markdown report from a sweep (or run directories): one curve per sampler setting,
the mean over seeds with a ±1 sd band, against iteration or gradient evaluations; the report gives,
per setting, the final and best value (mean ± sd over seeds), gradient evaluations, wall time, seeds
and status, and the data floor where the runs logged one.

usage: report_sweep.py SWEEP_DIR|RUN_DIR... --metric fid_fmnist [--x iteration|grad_evals]
                       [--group sampler|label|KEY] --out fig.png [--report report.md] [--title T]
                       [--higher-is-better]
--group KEY (a dotted config key such as sampler.th or sampler.n_steps) groups by the sampler and
that key's value.
"""
import argparse
import collections
import datetime
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from runs import config_value, read_attr, run_config, run_dirs, sampler_label, series  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--x", choices=["iteration", "grad_evals"], default="iteration")
    ap.add_argument("--group", default="label")
    ap.add_argument("--out", required=True)
    ap.add_argument("--report")
    ap.add_argument("--title", default="")
    ap.add_argument("--higher-is-better", action="store_true")
    a = ap.parse_args()

    groups = collections.defaultdict(list)
    floors = []
    for d in run_dirs(a.paths):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            steps, values = series(f, a.metric)
            if steps is None:
                continue
            g_steps, g_values = series(f, "grad_evals")
            r_steps, rate = series(f, "it_per_s")
            wall = float(np.sum(np.diff(np.concatenate([[0], r_steps])) / np.maximum(rate, 1e-9))) if rate is not None else float("nan")
            x = steps.astype(float)
            if a.x == "grad_evals":
                if g_steps is None:
                    continue
                x = np.interp(steps, np.concatenate([[0], g_steps]), np.concatenate([[0], g_values]))
            _, floor = series(f, a.metric + "_data")
            if floor is not None:
                floors.append(float(floor[0]))
            if a.group == "sampler":
                key = read_attr(f, "sampler")
            elif a.group == "label":
                key = sampler_label(f)
            else:
                key = f"{read_attr(f, 'sampler')} {a.group}={config_value(run_config(f), a.group)}"
            groups[key].append(dict(dir=d, x=x, y=values, seed=read_attr(f, "seed"), status=read_attr(f, "status"),
                                    grads=float(g_values[-1]) if g_values is not None else float("nan"), wall=wall,
                                    iters=int(steps[-1])))
    if not groups:
        raise SystemExit(f"report_sweep: no run in {a.paths} logged {a.metric}")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, runs in sorted(groups.items()):
        n = min(len(r["x"]) for r in runs)
        x = runs[0]["x"][:n]
        y = np.stack([r["y"][:n] for r in runs])
        m = y.mean(0)
        ax.plot(x, m, label=f"{key} (n={len(runs)})")
        if len(runs) > 1:
            sd = y.std(0, ddof=1)
            ax.fill_between(x, m - sd, m + sd, alpha=0.2)
    if floors:
        ax.axhline(np.mean(floors), color="k", ls="--", lw=1, label=f"real data at the same N ({np.mean(floors):.1f})")
    ax.set_xlabel("gradient evaluations" if a.x == "grad_evals" else "iteration")
    ax.set_ylabel(a.metric)
    ax.set_title(a.title or a.metric)
    ax.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    fig.savefig(a.out, dpi=130)
    print(f"figure: {a.out}")

    if a.report:
        lines = [f"# {a.title or a.metric}", "",
                 f"Written {datetime.datetime.now():%Y-%m-%d %H:%M} by analysis/report_sweep.py from: {' '.join(a.paths)}", "",
                 f"| setting | seeds | status | {a.metric} last | {a.metric} best | iterations | gradient evals | training wall (min) |",
                 "| --- | --- | --- | --- | --- | --- | --- | --- |"]

        def ms(v):
            v = np.asarray(v, float)
            return f"{v.mean():.2f} ± {v.std(ddof=1):.2f}" if len(v) > 1 else f"{v[0]:.2f}"
        ranking = []
        for key, runs in sorted(groups.items()):
            last = [r["y"][-1] for r in runs]
            best = [r["y"].max() if a.higher_is_better else r["y"].min() for r in runs]
            ranking.append((np.mean(last), key))
            lines.append(f"| {key} | {','.join(r['seed'] for r in runs)} | {','.join(r['status'].split(':')[0] for r in runs)} | "
                         f"{ms(last)} | {ms(best)} | {','.join(str(r['iters']) for r in runs)} | "
                         f"{np.mean([r['grads'] for r in runs]):.3g} | {np.mean([r['wall'] for r in runs]) / 60:.1f} |")
        pooled = [k for k, runs in groups.items() if len({r["seed"] for r in runs}) < len(runs)]
        if pooled:
            lines += ["", f"**Warning:** {', '.join(pooled)} pool runs with the same seed: their settings differ in "
                      "something the grouping does not show; group by that key (--group KEY)."]
        lines += ["", "Training wall time is integrated from it_per_s at log points (evaluations excluded)."]
        if floors:
            lines += ["", f"Data floor ({a.metric}_data, real held-out images at the same N): {np.mean(floors):.2f}"]
        order = sorted(ranking, reverse=a.higher_is_better)
        lines += ["", f"Ranking by mean last value ({'higher' if a.higher_is_better else 'lower'} is better): "
                  + ", ".join(k for _, k in order)]
        with open(a.report, "w") as out:
            out.write("\n".join(lines) + "\n")
        print(f"report: {a.report}")


if __name__ == "__main__":
    main()
