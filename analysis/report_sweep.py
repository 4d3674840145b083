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
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from runs import config_value, provenance, read_attr, run_config, run_dirs, sampler_label, series  # noqa: E402
from run_status import DIVERGED, is_status


def write_sample_grids(groups, path, title):
    """One panel per group: up to 64 of the first seed's last training-chain samples, in [-1, 1]."""
    keys = [k for k, runs in sorted(groups.items()) if runs[0]["samples"] is not None]
    if not keys:
        return
    fig, axes = plt.subplots(1, len(keys), figsize=(2.6 * len(keys), 3.0), squeeze=False)
    for ax, key in zip(axes[0], keys):
        r = groups[key][0]
        x = np.clip((r["samples"][:64] + 1) / 2, 0, 1)  # [n, c, h, w]
        n, c, h, w = x.shape
        side = int(np.ceil(np.sqrt(n)))
        canvas = np.ones((side * (h + 1), side * (w + 1), c))
        for i in range(n):
            row, col = divmod(i, side)
            canvas[row * (h + 1):row * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = x[i].transpose(1, 2, 0)
        ax.imshow(canvas.squeeze(), cmap="gray" if c == 1 else None, vmin=0, vmax=1)
        ax.set_title(f"{key}\nseed {r['seed']}, iteration {r['sample_it']}", fontsize=7)
        ax.axis("off")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    print(f"samples: {path}")


def spread_verdict(groups, order, metric, higher_is_better):
    """The leader against each other group: difference of mean last values, Welch's t-test over seeds."""
    from scipy import stats

    if len(order) < 2:
        return []
    lead = order[0][1]
    a = np.array([r["y"][-1] for r in groups[lead]], float)
    out = ["", f"Leader by mean last {metric}: **{lead}** (n = {len(a)}). Against each other setting "
           "(difference of means; Welch's t-test over seeds, two-sided):", ""]
    for _, key in order[1:]:
        b = np.array([r["y"][-1] for r in groups[key]], float)
        diff = a.mean() - b.mean()
        if len(a) > 1 and len(b) > 1 and (a.std() > 0 or b.std() > 0):
            p = stats.ttest_ind(a, b, equal_var=False).pvalue
            out.append(f"- vs {key}: {diff:+.2f} (p = {p:.3g}{', within the seed spread' if p > 0.05 else ''})")
        else:
            out.append(f"- vs {key}: {diff:+.2f} (too few seeds for a test)")
    return out


def reach_lines(groups, ref, metric, xname, higher_is_better):
    """Where each group first reaches the reference group's final mean value (linear between evaluations)."""
    matches = [k for k in groups if k == ref or k.split(" ")[0] == ref]
    if not matches:
        return ["", f"--reach {ref}: no such group"]
    target = np.mean([r["y"][-1] for r in groups[matches[0]]])
    better = (lambda v: v >= target) if higher_is_better else (lambda v: v <= target)
    out = ["", f"First {xname} at which each run reaches {matches[0]}'s final mean {metric} ({target:.2f}):", ""]
    for key, runs in sorted(groups.items()):
        hits = []
        for r in runs:
            idx = np.flatnonzero([better(v) for v in r["y"]])
            hits.append(float(r["x"][idx[0]]) if len(idx) else float("nan"))
        reached = [h for h in hits if np.isfinite(h)]
        txt = f"{np.mean(reached):.3g}" if reached else "never"
        out.append(f"- {key}: {txt} ({len(reached)} of {len(runs)} seeds reach it; per seed: "
                   f"{', '.join('never' if not np.isfinite(h) else f'{h:.3g}' for h in hits)})")
    return out


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
    ap.add_argument("--samples", action="store_true",
                    help="also write OUT_samples.png: the last training-chain samples of each group (first seed)")
    ap.add_argument("--reach", metavar="GROUP",
                    help="report, per group, the x at which the metric first reaches GROUP's final mean value")
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
            # The real-data floor is one per extractor: fid_fmnist_data serves fid_fmnist and fid_fmnist_train.
            base = a.metric[:-len("_train")] if a.metric.endswith("_train") else a.metric
            _, floor = series(f, base + "_data")
            if floor is not None:
                floors.append(float(floor[0]))
            if a.group == "sampler":
                key = read_attr(f, "sampler")
            elif a.group == "label":
                key = sampler_label(f)
            else:
                key = f"{read_attr(f, 'sampler')} {a.group}={config_value(run_config(f), a.group)}"
            snapshots = sorted(f["samples"].keys(), key=int) if "samples" in f else []
            last_samples = f[f"samples/{snapshots[-1]}"][()] if snapshots else None
            groups[key].append(dict(dir=d, x=x, y=values, samples=last_samples, sample_it=snapshots[-1] if snapshots else "", seed=read_attr(f, "seed"), status=read_attr(f, "status"),
                                    grads=float(g_values[-1]) if g_values is not None else float("nan"), wall=wall,
                                    iters=int(steps[-1])))
    if not groups:
        raise SystemExit(f"report_sweep: no run in {a.paths} logged {a.metric}")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, runs in sorted(groups.items()):
        # The mean over seeds up to the evaluation every seed reached; a run that diverged is marked × at
        # its last evaluation, so that a sampler whose runs all stopped early still shows.
        n = min(len(r["x"]) for r in runs)
        x = runs[0]["x"][:n]
        y = np.stack([r["y"][:n] for r in runs])
        m = y.mean(0)
        stopped = [r for r in runs if is_status(r["status"], DIVERGED)]
        label = f"{key} (n={len(runs)}" + (f", {len(stopped)} diverged)" if stopped else ")")
        line, = ax.plot(x, m, label=label)
        if len(runs) > 1:
            sd = y.std(0, ddof=1)
            ax.fill_between(x, m - sd, m + sd, alpha=0.2, color=line.get_color())
        for r in stopped:
            ax.plot(r["x"][-1], r["y"][-1], "x", color=line.get_color(), ms=8, mew=2)
    spread = [v for runs in groups.values() for r in runs for v in r["y"] if np.isfinite(v) and v > 0]
    if spread and max(spread) / min(spread) > 20:
        ax.set_yscale("log")  # curves that fall by orders of magnitude, and the floor beneath them
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

    if a.samples:
        write_sample_grids(groups, os.path.splitext(a.out)[0] + "_samples.png", a.title)

    if a.report:
        lines = [f"# {a.title or a.metric}", "",
                 *provenance("analysis/report_sweep.py", run_dirs(a.paths)), "",
                 f"| setting | seeds | status | {a.metric} last | {a.metric} best | iterations | gradient evals | training wall (min) |",
                 "| --- | --- | --- | --- | --- | --- | --- | --- |"]

        def ms(v):
            v = np.asarray(v, float)
            return f"{v.mean():.4g} ± {v.std(ddof=1):.2g}" if len(v) > 1 else f"{v[0]:.4g}"
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
        lines += spread_verdict(groups, order, a.metric, a.higher_is_better)
        if a.reach:
            lines += reach_lines(groups, a.reach, a.metric, a.x, a.higher_is_better)
        with open(a.report, "w") as out:
            out.write("\n".join(lines) + "\n")
        print(f"report: {a.report}")


if __name__ == "__main__":
    main()
