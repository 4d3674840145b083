#!/usr/bin/env python3
"""Samplers compared seed by seed. Runs that share a seed share their random streams (the same data
batches, chain starts and noise), so the difference of two samplers on one seed carries less of the
seed's luck than the difference of their means over seeds. For each sampler against the baseline, at
each iteration asked for (and within each value of --group-key): the per-seed differences, their mean
with a paired-t 95% interval, the Wilcoxon signed-rank p, how many seeds favour the sampler, and beside
them the unpaired (Welch) 95% interval of the same difference of means. A run that diverged is an
outcome, not a gap: the report lists every arm's diverged seeds and where they stopped, and compares each
iteration over the seeds on which both arms got there (the seeds column says how many of how many).
The report records the command, the runs' commit, the date and the machine.

usage: paired_report.py SWEEP_DIR|RUN_DIR... --metric kl_samples --baseline langevin
                        [--at 500,1000,2000] [--group-key sampler.n_steps] [--label-key sampler.clip_fraction[,sampler.step_size]]
                        [--higher-is-better]
                        [--report report.md] [--title T]
"""
import argparse
import collections
import os
import sys

import h5py
import numpy as np
from scipy import stats

from runs import config_value, provenance, read_attr, run_config, run_dirs, series


Run = collections.namedtuple("Run", "steps values status")  # one seed's series of the metric, and how the run ended


def load(paths, metric, group_key, label_key=""):
    """{(group, sampler): {seed: Run}}."""
    table = collections.defaultdict(dict)
    for d in run_dirs(paths):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            steps, values = series(f, metric)
            if steps is None:
                continue
            cfg = run_config(f)
            group = config_value(cfg, group_key) if group_key else ""
            seed = int(f.attrs.get("seed", config_value(cfg, "seed") or 0))
            label = read_attr(f, "sampler")
            for key in filter(None, label_key.split(",")):
                label += f" {key.split('.')[-1]}={config_value(cfg, key)}"
            table[(group, label)][seed] = Run(np.asarray(steps), np.asarray(values, float), read_attr(f, "status", "?"))
    return table


def value_at(run, it):
    hit = np.nonzero(run.steps == it)[0]
    return run.values[hit[0]] if len(hit) else None


def welch_interval(a, b):
    """95% interval of mean(a) − mean(b) from independent samples (Welch–Satterthwaite)."""
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if se > 0 else len(a) + len(b) - 2
    h = stats.t.ppf(0.975, df) * se
    d = a.mean() - b.mean()
    return d - h, d + h


def compare(x, y):
    """Paired statistics of x − y over seeds (x, y aligned)."""
    d = x - y
    n = len(d)
    se = d.std(ddof=1) / np.sqrt(n)
    h = stats.t.ppf(0.975, n - 1) * se
    p_w = stats.wilcoxon(d).pvalue if np.any(d != 0) else 1.0
    lo_u, hi_u = welch_interval(x, y)
    return dict(n=n, mean=d.mean(), lo=d.mean() - h, hi=d.mean() + h, p_wilcoxon=p_w, lo_u=lo_u, hi_u=hi_u,
                wins=int(np.sum(d < 0)), losses=int(np.sum(d > 0)))


def diverged(run):
    return run.status.startswith("diverged")


def unfinished(run):
    return not diverged(run) and run.status != "finished"


def stopped_table(table, group_key):
    """Markdown lines: per arm, the seeds whose run diverged, and those not finished (still running or
    interrupted: a partial report), with the last iteration each logged."""
    lines = []
    for (g, sampler), runs in sorted(table.items(), key=lambda kv: str(kv[0])):
        bad = [f"seed {s} (last logged {int(r.steps.max())})" for s, r in sorted(runs.items()) if diverged(r)]
        open_ = [f"seed {s} ({r.status}, last logged {int(r.steps.max())})" for s, r in sorted(runs.items()) if unfinished(r)]
        where = (f"{group_key} = {g}, " if group_key else "")
        lines.append(f"| {where}{sampler} | {len(bad)} of {len(runs)} | {', '.join(bad) or '—'} | {', '.join(open_) or '—'} |")
    return ["", "Runs that diverged (stopped loudly; a diverged seed leaves the comparison from its last logged "
            "iteration on) and runs not finished (the report is partial):", "",
            "| arm | diverged | seeds | not finished |", "| --- | --- | --- | --- |"] + lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--baseline", default="langevin")
    ap.add_argument("--at", default="", help="iterations (comma-separated); default: the last one all runs logged")
    ap.add_argument("--group-key", default="", help="a dotted config key: one comparison per value (sampler.n_steps)")
    ap.add_argument("--label-key", default="", help="dotted keys (comma-separated) whose values tell arms of one sampler apart")
    ap.add_argument("--higher-is-better", action="store_true")
    ap.add_argument("--report", default="")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    table = load(a.paths, a.metric, a.group_key, a.label_key)
    if not table:
        sys.exit(f"paired_report: no run under {' '.join(a.paths)} logged {a.metric}")
    sign = -1.0 if a.higher_is_better else 1.0  # differences reported so that negative favours the sampler
    groups = sorted({g for g, _ in table}, key=lambda g: (str(type(g)), g))
    lines = [f"# {a.title or 'Paired comparison: ' + a.metric}", "",
             *provenance("analysis/paired_report.py", run_dirs(a.paths)), "",
             f"Difference = sampler − {a.baseline} in {a.metric}" + (" (sign flipped: higher is better)" if a.higher_is_better else "")
             + "; negative favours the sampler. Paired: per-seed differences, t interval and Wilcoxon signed-rank p; "
             "unpaired: Welch interval of the difference of means over the same runs.", "",
             "| " + (f"{a.group_key} | " if a.group_key else "") + "sampler | iteration | seeds | baseline mean | "
             "mean difference | paired 95% CI | Wilcoxon p | seeds better / worse | unpaired 95% CI | width ratio |",
             "| " + "--- | " * (11 if a.group_key else 10)]
    verdicts = []
    for g in groups:
        base_label = next((s for gg, s in table if gg == g and (s == a.baseline or s.startswith(a.baseline + " "))), None)
        base = table.get((g, base_label))
        if not base:
            continue
        for (gg, sampler), runs in sorted(table.items(), key=lambda kv: str(kv[0])):
            if gg != g or sampler == base_label:
                continue
            seeds_all = sorted(set(runs) & set(base))
            if len(seeds_all) < 2:
                continue
            if a.at:
                its = [int(x) for x in a.at.split(",")]
            else:  # the last iteration every finished pair logged
                done = [s for s in seeds_all if not diverged(runs[s]) and not diverged(base[s])] or seeds_all
                its = [max(set.intersection(*(set(runs[s].steps.tolist()) & set(base[s].steps.tolist()) for s in done)))]
            for it in its:
                seeds = [s for s in seeds_all if value_at(runs[s], it) is not None and value_at(base[s], it) is not None]
                where = (f"{a.group_key} = {g}, " if a.group_key else "") + f"iteration {it}"
                if len(seeds) < 2 and not any(diverged(runs[s]) or diverged(base[s]) for s in seeds_all):
                    continue  # an iteration these runs do not log
                if len(seeds) < 2:
                    lines.append("| " + (f"{g} | " if a.group_key else "") + f"{sampler} | {it} | {len(seeds)} of "
                                 f"{len(seeds_all)} | | | | | | | |")
                    verdicts.append(f"- {where}: {sampler}: fewer than 2 seeds with both runs there; nothing to compare.")
                    continue
                x = np.array([value_at(runs[s], it) for s in seeds]) * sign
                y = np.array([value_at(base[s], it) for s in seeds]) * sign
                c = compare(x, y)
                ratio = (c["hi_u"] - c["lo_u"]) / (c["hi"] - c["lo"]) if c["hi"] > c["lo"] else float("inf")
                lines.append("| " + (f"{g} | " if a.group_key else "") +
                             f"{sampler} | {it} | {c['n']}{'' if c['n'] == len(seeds_all) else f' of {len(seeds_all)}'} | {sign * y.mean():.4g} | {c['mean']:+.4g} | "
                             f"[{c['lo']:+.4g}, {c['hi']:+.4g}] | {c['p_wilcoxon']:.3g} | {c['wins']} / {c['losses']} | "
                             f"[{c['lo_u']:+.4g}, {c['hi_u']:+.4g}] | {ratio:.2f} |")
                if c["n"] < len(seeds_all):
                    where += f" (the {c['n']} seeds on which both got there)"
                if c["hi"] < 0:
                    verdicts.append(f"- {where}: **{sampler} better** than {a.baseline} (paired CI below 0).")
                elif c["lo"] > 0:
                    verdicts.append(f"- {where}: **{sampler} worse** than {a.baseline} (paired CI above 0).")
                else:
                    verdicts.append(f"- {where}: {sampler}: no difference from {a.baseline} resolved (paired CI spans 0).")
    if any(diverged(r) or unfinished(r) for runs in table.values() for r in runs.values()):
        lines += stopped_table(table, a.group_key)
    lines += ["", "Verdicts (95%, paired; with 5 seeds the two-sided Wilcoxon p cannot fall below 0.0625):"] + verdicts
    text = "\n".join(lines) + "\n"
    print(text)
    if a.report:
        with open(a.report, "w") as f:
            f.write(text)
        print(f"report: {a.report}")


if __name__ == "__main__":
    main()
