#!/usr/bin/env python3
"""Seeds from power: how many paired seeds a study's main sweep needs, by Stein's two-stage rule, from a pilot
sweep over n0 seeds. A pick script (docs/studies.md, "A pick script's contract"): its last line of output is
the second stage's seeds as one sweep override, `seed=a,b,c`, for the sweep after it.

For each arm against --baseline (arms labelled as in paired_report.py: the sampler, plus ' key=value' for
each --label-key), the paired differences arm − baseline in --metric at the primary iteration --at, per
pilot seed. Their SD s is taken over the m seeds where both runs logged the iteration: a seed where either
run had diverged by then is left out of the SD and named (paired_report.py ranks it as an outcome; its value
does not exist). Stein's rule with target half-width H of the (1 − α) interval of the mean difference:

    t = t_{1−α/2, m−1},   n = max(n0, ⌈(t · s / H)²⌉),

so that t · s / √n ≤ H. The study's n is the largest over the arms, then at most --cap (20 on the twin, 30
on the rings); an arm with fewer than 2 usable seeds has no SD and asks for the cap. The second stage runs
seeds --next-seed … --next-seed + n − n0 − 1 (default --next-seed: the largest pilot seed + 1), into a
directory of its own, and the paired report reads both directories.

When the pilot already suffices (n = n0) the second stage is empty: the script prints `none`, which tells
`stanley study` to skip the sweep that uses this pick (the paired report then reads the pilot alone; a
directory never made holds no runs), and the report says no second stage is needed.

The report (--report, Markdown; not written in a study's dry run) states per arm: pilot n0, the seeds used
and left out, the mean and SD of the differences, the t quantile, the n computed, the cap, the n the study
runs, whether the cap binds, and the half-width t · s / √n at the study's n (at the cap where it binds).

Exits non-zero, printing no override, when there is nothing to compute from yet: no run, a pilot run still
running (neither finished nor diverged), an arm missing a pilot seed, a finished run that did not log --at.

usage: seeds_from_pilot.py PILOT_SWEEP_DIR|RUN_DIR... --metric fid_fmnist_train --baseline langevin --at 5000
                           --half-width 1.0 --cap 20 [--alpha 0.05] [--next-seed S] [--label-key sampler.clip_fraction]
                           [--report power.md]
"""
import argparse
import math
import sys

from scipy import stats

import paired_report as pr
from runs import provenance, run_dirs, writes_reports

NAME = "seeds_from_pilot"


# --------------------------------------------------------------------------------------------------------
# The rule: pure functions of numbers (tests/seeds_from_pilot_test.py checks them by hand).

def t_quantile(m, alpha):
    """t_{1−α/2, m−1}: the quantile of the two-sided (1 − α) t interval over m differences."""
    return float(stats.t.ppf(1 - alpha / 2, m - 1))


def stein_n(sd, m, n0, half_width, alpha):
    """(t, n) of Stein's two-stage rule: t = t_{1−α/2, m−1} over the m pilot differences with SD sd,
    n = max(n0, ⌈(t · sd / half_width)²⌉)."""
    t = t_quantile(m, alpha)
    return t, max(n0, math.ceil((t * sd / half_width) ** 2))


def study_n(arm_ns, n0, cap):
    """(needed, runs): needed = the largest n over the arms (None, an arm without an SD: the cap); runs = the
    n the study runs, needed at most cap and never below the pilot's n0."""
    needed = max([n0] + [cap if n is None else n for n in arm_ns])
    return needed, max(n0, min(needed, cap))


def second_stage(n0, n_run, next_seed):
    """The second stage's seeds: n_run − n0 of them from next_seed; none when n_run == n0."""
    return list(range(next_seed, next_seed + max(0, n_run - n0)))


def override_line(seeds):
    """The pick's answer: one sweep override over the second stage's seeds, or `none` (the study skips the
    sweep that uses it)."""
    return "seed=" + ",".join(str(s) for s in seeds) if seeds else "none"


# --------------------------------------------------------------------------------------------------------
# The pilot

def fail(message):
    sys.exit(f"{NAME}: {message}")


def as_mine(fn, *args):
    """paired_report's helpers exit with its name; the lines here carry this script's."""
    try:
        return fn(*args)
    except SystemExit as e:
        if isinstance(e.code, str) and e.code.startswith("paired_report:"):
            raise SystemExit(NAME + ":" + e.code[len("paired_report:"):])
        raise


def fmt(x, spec=".4g"):
    return "—" if x is None else format(x, spec)


def arm_row(label, cand, base, seeds, at, a):
    """One arm's pilot against the baseline at --at: the differences, who was left out, Stein's n."""
    used, vals, left_out = [], [], []
    for s in seeds:
        oc, ob = pr.outcome_at(cand[s], at), pr.outcome_at(base[s], at)
        for who, o, r in ((label, oc, cand[s]), (a.baseline, ob, base[s])):
            if o[0] == "missing":
                fail(f"{r.dir} ({who}, seed {s}, {r.status.split(':')[0]}) has no {a.metric} at iteration {at} "
                     f"(last logged {pr.last_logged(r)}); --at must be an iteration every pilot run logs")
        if oc[0] == "value" and ob[0] == "value":
            used.append(s)
            vals.append((oc[1], ob[1]))
        else:
            who = [f"{w} diverged at iteration {pr.stopped_at(r)}"
                   for w, o, r in ((label, oc, cand[s]), (a.baseline, ob, base[s])) if o[0] == "diverged"]
            left_out.append(f"seed {s} ({', '.join(who)})")
    row = dict(arm=label, n0=len(seeds), used=used, left_out=left_out, m=len(used), mean=None, sd=None, t=None, n=None)
    if len(used) >= 2:
        r = pr.paired_stats([x for x, _ in vals], [y for _, y in vals])
        row["mean"], row["sd"] = float(r["mean"]), float(r["sd"])
        row["t"], row["n"] = stein_n(row["sd"], row["m"], row["n0"], a.half_width, a.alpha)
    return row


def pilot(a):
    """(rows, seeds): one row per non-baseline arm, and the pilot's seeds (every arm has the same)."""
    table = as_mine(pr.load, a.paths, a.metric, "", a.label_key)
    if not table:
        fail(f"no run under {' '.join(a.paths)} logged {a.metric}")
    base_label = as_mine(pr.baseline_label, table, "", a.baseline, "")
    base = table[("", base_label)]
    open_ = [f"{label} seed {s} ({r.status})" for (_, label), runs in sorted(table.items())
             for s, r in sorted(runs.items()) if pr.unfinished(r)]
    if open_:
        fail(f"the pilot is not finished ({', '.join(open_)}); n is computed from the whole pilot")
    seeds = sorted(base)
    for (_, label), runs in sorted(table.items()):
        if sorted(runs) != seeds:
            fail(f"arm '{label}' has pilot seeds {sorted(runs)} and the baseline '{base_label}' {seeds}: "
                 f"every arm runs every pilot seed")
    if len(seeds) < 2:
        fail(f"the pilot has {len(seeds)} seed(s); an SD needs 2")
    rows = [arm_row(label, runs, base, seeds, a.at, a) for (_, label), runs in sorted(table.items()) if label != base_label]
    if not rows:
        fail(f"only the baseline '{base_label}' under {' '.join(a.paths)}: no arm to size")
    return rows, seeds, base_label


# --------------------------------------------------------------------------------------------------------
# The report

def report_lines(a, argv, rows, seeds, base_label, needed, n_run, extra):
    n0 = len(seeds)
    level = f"{100 * (1 - a.alpha):g}%"
    lines = [f"# Seeds from power: {a.metric} at iteration {a.at} (Stein's two-stage rule)", "",
             *provenance(f"analysis/{NAME}.py", run_dirs(a.paths), argv), "",
             f"- **Pilot**: n0 = {n0} paired seeds ({', '.join(map(str, seeds))}) under {' '.join(a.paths)}; difference = "
             f"arm − {base_label} in {a.metric} at iteration {a.at} (--at, the primary iteration).",
             f"- **Rule** (Stein's two-stage): s = the SD of an arm's differences over the m seeds where both runs logged "
             f"iteration {a.at} (a seed where either run had diverged by then is left out and named); t = t(1 − α/2, m − 1), "
             f"α = {a.alpha:g}; n = max(n0, ⌈(t · s / H)²⌉) with the target {level} half-width H = {a.half_width:g} "
             f"(--half-width), so that t · s / √n ≤ H.",
             f"- **Study's n**: the largest n over the arms, {needed}; the cap (--cap) is {a.cap}"
             + (f", which binds: the study runs {n_run} seeds" if needed > a.cap and n_run == a.cap else
                f" and the pilot already has {n0} ≥ cap seeds: the study runs {n_run}" if needed > a.cap else
                f", which does not bind: the study runs {n_run} seeds") + ".",
             ("- **Second stage**: seeds " + (f"{extra[0]} … {extra[-1]}" if len(extra) > 1 else f"{extra[0]}")
              + f" ({len(extra)} per arm), printed as `{override_line(extra)}` for the sweep after this pick, into a "
              f"directory of its own; the paired report reads the pilot's and the second stage's directories."
              if extra else
              f"- **Second stage**: none needed (n = n0 = {n0}). The pick prints `none`: the study skips the sweep "
              f"after it, and the paired report reads the pilot alone."), "",
             "| arm | pilot n0 | seeds used (m) | left out | mean difference | SD of differences | t (df) | n computed | "
             "cap | n the study runs | cap binds | half-width at the study's n |",
             "|" + " --- |" * 12]
    notes = []
    n_total = n0 + len(extra)
    for r in rows:
        left = "; ".join(r["left_out"]) or "—"
        used = f"{r['m']} ({', '.join(map(str, r['used']))})"
        if r["sd"] is None:
            binds = "no SD: the cap"
            lines.append(f"| {r['arm']} | {r['n0']} | {used} | {left} | — | — | — | — (fewer than 2 seeds) | {a.cap} | "
                         f"{n_total} | {binds} | — |")
            notes.append(f"- **{r['arm']}**: {r['m']} seed(s) where both runs logged iteration {a.at}: no SD, so this arm "
                         f"asks for the cap, {a.cap}.")
            continue
        hw = r["t"] * r["sd"] / math.sqrt(n_total)
        binds = r["n"] > a.cap
        lines.append(f"| {r['arm']} | {r['n0']} | {used} | {left} | {r['mean']:+.4g} | {r['sd']:.4g} | "
                     f"{r['t']:.4f} ({r['m'] - 1}) | {r['n']} | {a.cap} | {n_total} | {'**yes**' if binds else 'no'} | "
                     f"{hw:.4g} |")
        if binds:
            at_cap = r["t"] * r["sd"] / math.sqrt(a.cap)
            notes.append(f"- **The cap binds for {r['arm']}**: n = {r['n']} > cap {a.cap}; at the cap the half-width is "
                         f"t · s / √{a.cap} = {r['t']:.4f} · {r['sd']:.4g} / √{a.cap} = {at_cap:.4g}, above the target "
                         f"{a.half_width:g}.")
        if r["left_out"]:
            notes.append(f"- **{r['arm']}**: {len(r['left_out'])} of {r['n0']} pilot seeds left out of the SD "
                         f"({'; '.join(r['left_out'])}); t has {r['m'] - 1} degrees of freedom.")
    lines += [""] + (notes or ["- The cap binds for no arm."])
    lines += ["", f"The final comparison (`analysis/paired_report.py` over both directories) gives the ordinary paired t "
              f"interval over all {n_total} seeds, with the SD of all their differences; Stein's guarantee (half-width at "
              f"most H at the stated level) is for the interval built with the pilot's s and t: the last column, t · s / √n."]
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", help="the pilot's sweep or run directories")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--baseline", default="langevin")
    ap.add_argument("--label-key", default="", help="dotted keys (comma-separated) whose values tell arms of one sampler apart")
    ap.add_argument("--at", required=True, type=int, help="the primary iteration")
    ap.add_argument("--half-width", required=True, type=float, help="target half-width of the paired mean difference's interval")
    ap.add_argument("--cap", required=True, type=int, help="the most seeds the study runs")
    ap.add_argument("--alpha", type=float, default=0.05, help="the interval's level is 1 − alpha (default 0.05)")
    ap.add_argument("--next-seed", type=int, default=None, help="the second stage's first seed (default: the largest pilot seed + 1)")
    ap.add_argument("--report", default="")
    a = ap.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    if not a.half_width > 0:
        fail(f"--half-width {a.half_width:g}: expected a value > 0")
    if a.cap < 2:
        fail(f"--cap {a.cap}: expected at least 2 seeds")
    if not 0 < a.alpha < 1:
        fail(f"--alpha {a.alpha:g}: expected 0 < alpha < 1")

    rows, seeds, base_label = pilot(a)
    n0 = len(seeds)
    needed, n_run = study_n([r["n"] for r in rows], n0, a.cap)
    next_seed = max(seeds) + 1 if a.next_seed is None else a.next_seed
    extra = second_stage(n0, n_run, next_seed)
    clash = sorted(set(extra) & set(seeds))
    if clash:
        fail(f"--next-seed {next_seed}: the second stage's seed(s) {', '.join(map(str, clash))} are pilot seeds")

    print(f"{NAME}: pilot n0 = {n0}, n = {needed} (largest over {len(rows)} arm(s)), cap {a.cap}: the study runs "
          f"{n_run} seeds; second stage {override_line(extra)}", file=sys.stderr)
    if a.report and writes_reports():
        with open(a.report, "w") as f:
            f.write("\n".join(report_lines(a, argv, rows, seeds, base_label, needed, n_run, extra)) + "\n")
        print(f"{NAME}: report {a.report}", file=sys.stderr)
    print(override_line(extra))
    return extra


if __name__ == "__main__":
    main()
