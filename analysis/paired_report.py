#!/usr/bin/env python3
"""Samplers compared seed by seed. Runs that share a seed share their random streams (the same data
batches, chain starts and noise), so the difference of two samplers on one seed carries less of the
seed's luck than the difference of their means over seeds. For each sampler against the baseline, at
each iteration asked for (and within each value of --group-key), over every paired seed:

- the test: an exact two-sided sign-flip permutation test on Pratt signed ranks (the Wilcoxon signed-rank
  test with zero differences keeping their ranks, computed exactly, never by a normal approximation). A run
  that diverged is an outcome: from the iteration it stopped at it ranks worst (a loss for its arm; both
  runs of a seed diverged: a tie), so no seed leaves the primary analysis;
- the paired t 95% interval of the mean difference (over the seeds where both runs logged the iteration),
  the SD of the differences, d_z = mean / SD, the probability of improvement (the share of seeds where the
  sampler beats the baseline, ties counted half, a diverged run losing) with its Clopper-Pearson interval,
  the per-seed values of both arms, and beside them the unpaired (Welch) interval of the same difference;
- a verdict: better / worse (the 95% interval excludes 0 and the Holm-adjusted test p < 0.05), equivalent
  (with a declared --margin only: TOST, the 90% paired t interval inside ±margin and the Holm-adjusted TOST
  p < 0.05), identical runs (every seed a tie: not compared), or undetermined. Holm runs over the family of
  primary comparisons (every sampler and group at --primary); each other iteration's rows are a family of
  their own and are labelled exploratory;
- divergence: per arm the diverged seeds, where they stopped, the rate with its Clopper-Pearson interval
  and the Kaplan-Meier fraction still running against iteration; per sampler the exact McNemar test of
  divergence against the baseline (binomial on the seeds where only one of the two diverged).

The figure (--figure, by default the report's name with .png) shows each sampler's mean paired difference
over iterations with its 95% band, an x where a seed diverged, and the Kaplan-Meier curves. The report
records the command, the runs' commit, the date and the machine.

usage: paired_report.py SWEEP_DIR|RUN_DIR... --metric kl_samples --baseline langevin
                        [--at 500,1000,2000] [--primary 2000|last] [--margin kl_samples=0.05 ...]
                        [--group-key sampler.n_steps] [--label-key sampler.clip_fraction[,sampler.step_size]]
                        [--higher-is-better] [--report report.md] [--figure report.png] [--title T]
"""
import argparse
import collections
import math
import os
import sys

import numpy as np
from scipy import stats

from run_status import DIVERGED, FINISHED, is_status
from runs import (config_value, divergence_iteration, provenance, read_attr, run_config, run_dirs, series,
                  writes_reports)

ALPHA = 0.05
MAX_EXACT = 20        # sign flips enumerated (2^n) up to this many non-zero values; Monte Carlo beyond
MC_DRAWS = 200_000    # Monte Carlo sign flips beyond MAX_EXACT (non-rank values only), with MC_SEED
MC_SEED = 0


# --------------------------------------------------------------------------------------------------------
# The statistical core: pure functions of numbers, importable (tests/paired_report_test.py checks each).

def paired_t_interval(d, conf=0.95):
    """(mean, lo, hi) of the paired t interval of mean(d) at level conf; lo = hi = mean when SD is 0.
    Needs len(d) >= 2."""
    d = np.asarray(d, float)
    n = len(d)
    if n < 2:
        raise ValueError("a paired t interval needs at least 2 differences")
    m = d.mean()
    h = stats.t.ppf(0.5 + conf / 2, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return m, m - h, m + h


def welch_interval(a, b, conf=0.95):
    """Interval of mean(a) − mean(b) from independent samples (Welch–Satterthwaite)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if se > 0 else len(a) + len(b) - 2
    h = stats.t.ppf(0.5 + conf / 2, df) * se
    d = a.mean() - b.mean()
    return d - h, d + h


def signed_ranks(d):
    """Pratt signed ranks of d: |d| ranked over every value, zeros included (midranks for ties, ±inf ranking
    above every finite value), each rank carrying the sign of its d (0 for d = 0)."""
    d = np.asarray(d, float)
    if np.any(np.isnan(d)):
        raise ValueError("signed_ranks: NaN difference")
    return np.sign(d) * stats.rankdata(np.abs(d))


def _half_integers(v):
    return bool(np.all(np.isfinite(v))) and np.allclose(2 * v, np.rint(2 * v), rtol=0, atol=1e-9)


def sign_flip_method(values):
    """How sign_flip_p computes p for these values: exact (by the distribution of sums of ± half-integers,
    or by enumerating all 2^n sign flips), or Monte Carlo."""
    v = np.asarray(values, float)
    v = v[v != 0]
    if len(v) == 0 or (_half_integers(v) and 2 * np.abs(v).sum() <= 2_000_000) or len(v) <= MAX_EXACT:
        return "exact"
    return f"Monte Carlo ({MC_DRAWS:,} sign flips, seed {MC_SEED})"


def sign_flip_p(values, n_mc=MC_DRAWS, seed=MC_SEED):
    """Two-sided p of the sign-flip permutation test of sum(values): the share of the 2^n ways of flipping the
    signs of the n non-zero values whose sum is at least as far from 0 as the observed one (zeros flip to
    themselves). Exact: for half-integers (ranks, midranks) by convolving the distribution of the sum, for
    other values by enumerating all 2^n flips when n <= MAX_EXACT; beyond, Monte Carlo with a fixed seed,
    p = (1 + hits) / (1 + draws)."""
    v = np.asarray(values, float)
    v = v[v != 0]
    n = len(v)
    if n == 0:
        return 1.0
    if not np.all(np.isfinite(v)):
        raise ValueError("sign_flip_p: infinite value (rank the differences first)")
    if _half_integers(v) and 2 * np.abs(v).sum() <= 2_000_000:
        w = np.rint(2 * np.abs(v)).astype(np.int64)
        t = abs(int(np.rint(2 * v.sum())))
        total = int(w.sum())
        dist = np.zeros(2 * total + 1)
        dist[total] = 1.0
        for wi in w:
            new = np.zeros_like(dist)
            new[wi:] += dist[:len(dist) - wi]
            new[:len(dist) - wi] += dist[wi:]
            dist = 0.5 * new
        sums = np.arange(-total, total + 1)
        return float(min(1.0, dist[np.abs(sums) >= t].sum()))
    t = abs(v.sum())
    tol = 1e-9 * np.abs(v).sum()
    if n <= MAX_EXACT:  # meet in the middle: all 2^k sums of each half, then every pair of them
        def sums(part):
            k = len(part)
            flips = 1 - 2 * ((np.arange(2 ** k)[:, None] >> np.arange(k)) & 1)
            return flips @ part
        s1, s2 = sums(v[: n // 2]), sums(v[n // 2:])
        hits = sum(int(np.count_nonzero(np.abs(a + s2) >= t - tol)) for a in s1)
        return hits / 2.0 ** n
    rng = np.random.default_rng(seed)
    hits, left = 0, n_mc
    while left:
        k = min(left, 20_000)
        flips = rng.integers(0, 2, size=(k, n)) * 2 - 1
        hits += int(np.count_nonzero(np.abs(flips @ v) >= t - tol))
        left -= k
    return (1 + hits) / (1 + n_mc)


def signed_rank_p(d):
    """Exact two-sided p of the Wilcoxon–Pratt signed-rank test: sign_flip_p of Pratt's signed ranks of d
    (d may hold ±inf: a diverged run's loss or win, ranked above every finite difference)."""
    return sign_flip_p(signed_ranks(d))


def min_attainable_p(n):
    """The smallest two-sided p a sign-flip test can give with n non-zero pairs: 2 / 2^n."""
    return min(1.0, 2.0 / 2.0 ** n)


def tost(d, margin, alpha=ALPHA):
    """Two one-sided paired t tests of |mean(d)| < margin. Returns p (the larger one-sided p), p_lower
    (H0: mean <= −margin), p_upper (H0: mean >= +margin) and the (1 − 2α) interval (lo, hi): p < α exactly
    when that interval lies inside ±margin."""
    d = np.asarray(d, float)
    n = len(d)
    m, lo, hi = paired_t_interval(d, 1 - 2 * alpha)
    se = d.std(ddof=1) / math.sqrt(n)
    if se > 0:
        p_lower = float(stats.t.sf((m + margin) / se, n - 1))
        p_upper = float(stats.t.cdf((m - margin) / se, n - 1))
    else:  # every difference the same: the mean is known exactly
        p_lower = 0.0 if m > -margin else 1.0
        p_upper = 0.0 if m < margin else 1.0
    return dict(p=max(p_lower, p_upper), p_lower=p_lower, p_upper=p_upper, lo=lo, hi=hi)


def holm(pvals):
    """Holm's step-down adjusted p-values, in the order given; None (a comparison not tested) stays None and
    is not counted in the family."""
    idx = [i for i, p in enumerate(pvals) if p is not None]
    out = [None] * len(pvals)
    running = 0.0
    for rank, i in enumerate(sorted(idx, key=lambda i: pvals[i])):
        running = max(running, min(1.0, (len(idx) - rank) * pvals[i]))
        out[i] = running
    return out


def mcnemar_exact(b, c):
    """Exact two-sided McNemar p: binomial(b + c, 1/2) on the discordant pairs (b: only the first arm had the
    event, c: only the second)."""
    n = b + c
    if n == 0:
        return 1.0
    return float(min(1.0, 2 * stats.binom.cdf(min(b, c), n, 0.5)))


def clopper_pearson(k, n, conf=0.95):
    """Exact (Clopper–Pearson) interval of a proportion k/n; k may be a half-integer (ties counted half),
    taken through the beta quantiles."""
    if n == 0:
        return 0.0, 1.0
    a = 1 - conf
    lo = 0.0 if k <= 0 else float(stats.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k >= n else float(stats.beta.ppf(1 - a / 2, k + 1, n - k))
    return lo, hi


def prob_improvement(d):
    """(share, k, n): the share of pairs whose difference is negative (the sampler better), ties half."""
    d = np.asarray(d, float)
    k = float(np.sum(d < 0) + 0.5 * np.sum(d == 0))
    return k / len(d), k, len(d)


def kaplan_meier(times, events):
    """Kaplan–Meier steps of the fraction still running: [(t, at risk, events at t, S after t)] at each time
    with an event; a run censored at t (finished, or not yet done) counts as at risk at t."""
    times, events = np.asarray(times, float), np.asarray(events, bool)
    s, out = 1.0, []
    for t in np.unique(times[events]):
        at_risk = int(np.sum(times >= t))
        e = int(np.sum(events & (times == t)))
        s *= 1 - e / at_risk
        out.append((float(t), at_risk, e, s))
    return out


def outcome_differences(cand, base, sign=1.0):
    """Oriented per-pair differences, negative favouring the candidate; a value of None is a diverged run:
    +inf when only the candidate diverged, −inf when only the baseline did, 0 when both did."""
    out = []
    for x, y in zip(cand, base):
        if x is None and y is None:
            out.append(0.0)
        elif x is None:
            out.append(math.inf)
        elif y is None:
            out.append(-math.inf)
        else:
            out.append(sign * (x - y))
    return np.array(out, float)


def paired_stats(cand, base, sign=1.0, margin=None):
    """Everything the report says of one comparison. cand, base: per seed, the value at the iteration or
    None where that run had diverged by then (pairs with an unknown outcome left out by the caller)."""
    d_all = outcome_differences(cand, base, sign)
    n = len(d_all)
    fin = [(x, y) for x, y in zip(cand, base) if x is not None and y is not None]
    r = dict(n=n, n_finite=len(fin), identical=bool(n > 0 and np.all(d_all == 0)),
             n_nonzero=int(np.count_nonzero(d_all)),
             discordant=sum((x is None) != (y is None) for x, y in zip(cand, base)),
             both_diverged=sum(x is None and y is None for x, y in zip(cand, base)),
             wins=int(np.sum(d_all < 0)), losses=int(np.sum(d_all > 0)), ties=int(np.sum(d_all == 0)))
    r["min_p"] = min_attainable_p(r["n_nonzero"])
    if n and not r["identical"]:
        ranks = signed_ranks(d_all)
        r["p"] = signed_rank_p(d_all)
        r["method"] = sign_flip_method(ranks)
        r["direction"] = float(np.sign(ranks.sum()))
    else:
        r["p"], r["method"], r["direction"] = None, "", 0.0
    r["pi"], k, _ = prob_improvement(d_all) if n else (None, 0, 0)
    r["pi_ci"] = clopper_pearson(k, n) if n else None
    r["mean"] = r["lo"] = r["hi"] = r["sd"] = r["dz"] = r["welch"] = r["tost"] = r["base_mean"] = None
    if len(fin) >= 2:
        x = np.array([v for v, _ in fin]) * sign
        y = np.array([v for _, v in fin]) * sign
        d = x - y
        r["mean"], r["lo"], r["hi"] = paired_t_interval(d)
        r["sd"] = float(d.std(ddof=1))
        if r["sd"] <= 1e-12 * max(1.0, float(np.abs(x).max()), float(np.abs(y).max())):
            r["sd"] = 0.0  # rounding in x − y of one constant shift
        r["dz"] = r["mean"] / r["sd"] if r["sd"] > 0 else None
        r["welch"] = welch_interval(x, y)
        r["base_mean"] = float(sign * y.mean())
        if margin is not None:
            r["tost"] = tost(d, margin)
    return r


def verdict(r, p_adj, tost_p_adj=None, margin=None, alpha=ALPHA):
    """(word, reason) for one comparison from paired_stats r and its Holm-adjusted p-values:
    better / worse: the paired 95% t interval excludes 0 on the side the rank test points to and the
      Holm-adjusted signed-rank p < alpha;
    equivalent (only with a margin): the 90% paired t interval inside ±margin, the Holm-adjusted TOST
      p < alpha, and no seed on which only one of the two runs diverged;
    identical runs: every seed a tie (not compared); undetermined: anything else."""
    if r["n"] < 2:
        return "not compared", f"{r['n']} pair(s) with a known outcome; a comparison needs 2"
    if r["identical"]:
        return "identical runs", ("every seed a tie" + (", the same value or both runs diverged" if r["both_diverged"] else
                                                        ", the same value in both arms") + ": not compared")
    have_ci = r["lo"] is not None
    why = []
    if have_ci and p_adj is not None and p_adj < alpha:
        if r["hi"] < 0 and r["direction"] < 0:
            return "better", f"95% CI [{r['lo']:+.4g}, {r['hi']:+.4g}] below 0, Holm p = {p_adj:.3g}"
        if r["lo"] > 0 and r["direction"] > 0:
            return "worse", f"95% CI [{r['lo']:+.4g}, {r['hi']:+.4g}] above 0, Holm p = {p_adj:.3g}"
    if margin is not None and r["tost"] is not None and tost_p_adj is not None:
        t = r["tost"]
        inside = -margin < t["lo"] and t["hi"] < margin
        if inside and tost_p_adj < alpha and r["discordant"] == 0:
            return "equivalent", (f"90% CI [{t['lo']:+.4g}, {t['hi']:+.4g}] inside ±{margin:g}, "
                                  f"Holm TOST p = {tost_p_adj:.3g}")
        if r["discordant"]:
            why.append(f"{r['discordant']} seed(s) where only one run diverged rule out equivalence")
        else:
            why.append(f"90% CI [{t['lo']:+.4g}, {t['hi']:+.4g}] vs margin ±{margin:g}, Holm TOST p = {tost_p_adj:.3g}")
    if have_ci:
        over = f" over the {r['n_finite']} pairs where both runs logged it" if r["n_finite"] < r["n"] else ""
        side = (" includes 0" if r["lo"] <= 0 <= r["hi"] else
                " excludes 0 on the side opposite to the rank test over every seed" if p_adj is not None and p_adj < alpha else
                " excludes 0, the test over every seed does not")
        why.insert(0, f"95% CI [{r['lo']:+.4g}, {r['hi']:+.4g}]{over}{side}")
    else:
        why.insert(0, f"only {r['n_finite']} pair(s) where both runs logged the iteration: no interval")
    if p_adj is not None:
        why.insert(1, f"Holm p = {p_adj:.3g} in a family of {r.get('family_size', 1)} (unadjusted {r['p']:.3g}; with "
                      f"{r['n_nonzero']} non-zero pairs the test cannot go below 2/2^{r['n_nonzero']} = {r['min_p']:.3g})")
    if margin is None:
        why.append("no margin declared, so no equivalence can be shown")
    return "undetermined", "; ".join(why)


# --------------------------------------------------------------------------------------------------------
# Runs

Run = collections.namedtuple("Run", "steps values status dir")  # one seed's series of the metric, how the run ended


def load(paths, metric, group_key, label_key=""):
    """{(group, label): {seed: Run}}. A run that never logged the metric is kept only when it did not finish
    (diverged before its first evaluation, or still running): a diverged seed is an outcome. Two runs with one
    (group, label, seed) exit with one line naming them."""
    import h5py
    table = collections.defaultdict(dict)
    for d in run_dirs(paths):
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            status = read_attr(f, "status", "?")
            steps, values = series(f, metric)
            if steps is None:
                if status == FINISHED:
                    continue
                steps, values = np.array([], np.int64), np.array([], float)
            cfg = run_config(f)
            group = config_value(cfg, group_key) if group_key else ""
            seed = int(f.attrs.get("seed", config_value(cfg, "seed") or 0))
            label = read_attr(f, "sampler")
            for key in filter(None, label_key.split(",")):
                label += f" {key.split('.')[-1]}={config_value(cfg, key)}"
        if seed in table[(group, label)]:
            where = f" ({group_key} = {group})" if group_key else ""
            sys.exit(f"paired_report: arm '{label}'{where} has two runs with seed {seed}: "
                     f"{table[(group, label)][seed].dir} and {d}; a seed pairs one run per arm")
        table[(group, label)][seed] = Run(np.asarray(steps), np.asarray(values, float), status, d)
    return table


def value_at(run, it):
    hit = np.nonzero(run.steps == it)[0]
    return float(run.values[hit[0]]) if len(hit) and np.isfinite(run.values[hit[0]]) else None


def diverged(run):
    return is_status(run.status, DIVERGED)


def unfinished(run):
    return not diverged(run) and run.status != FINISHED


def last_logged(run):
    return int(run.steps.max()) if len(run.steps) else None


def stopped_at(run):
    """The iteration a diverged run stopped at: from its status, else its last logged iteration."""
    at = divergence_iteration(run.status)
    if at is None:
        at = last_logged(run) if last_logged(run) is not None else 0
    return at


def outcome_at(run, it):
    """('value', v), ('diverged', None) once a diverged run has stopped, or ('missing', None)."""
    v = value_at(run, it)
    if v is not None:
        return "value", v
    if diverged(run) and stopped_at(run) <= it:
        return "diverged", None
    return "missing", None


def survival(runs):
    """Kaplan–Meier input of one arm: (times, events), a diverged run an event at stopped_at, others censored
    at their last logged iteration (unfinished runs included: censored where they are)."""
    times, events = [], []
    for r in runs.values():
        times.append(stopped_at(r) if diverged(r) else (last_logged(r) or 0))
        events.append(diverged(r))
    return times, events


def baseline_label(table, group, baseline, group_key):
    """The one arm of the group that --baseline names: the arm labelled exactly so, else the one whose label
    starts with it and a space (--label-key adds ' key=value'); none or several exit with one line."""
    labels = sorted(s for g, s in table if g == group)
    where = f" in {group_key} = {group}" if group_key else ""
    if baseline in labels:
        return baseline
    hits = [s for s in labels if s.startswith(baseline + " ")]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        sys.exit(f"paired_report: baseline '{baseline}' matches no arm{where} (arms: {', '.join(labels)})")
    sys.exit(f"paired_report: baseline '{baseline}' matches {len(hits)} arms{where}: "
             f"{', '.join(repr(h) for h in hits)}; name one exactly")


def curves(cand, base, sign=1.0):
    """The figure's data for one sampler against the baseline: at each iteration both logged on some seed,
    the mean paired difference over those seeds with its 95% t band (where 2 or more), and one mark per
    diverged run (iteration, y = the seed's last paired difference or 0, seed, 'sampler' or 'baseline')."""
    seeds = sorted(set(cand) & set(base))
    steps = sorted(set().union(*(set(cand[s].steps.tolist()) & set(base[s].steps.tolist()) for s in seeds)) if seeds else set())
    out = dict(steps=[], mean=[], lo=[], hi=[], marks=[])
    last = {}
    for it in steps:
        d = []
        for s in seeds:
            x, y = value_at(cand[s], it), value_at(base[s], it)
            if x is not None and y is not None:
                d.append(sign * (x - y))
                last[s] = d[-1]
        if not d:
            continue
        out["steps"].append(it)
        out["mean"].append(float(np.mean(d)))
        lo, hi = paired_t_interval(d)[1:] if len(d) >= 2 else (np.nan, np.nan)
        out["lo"].append(lo)
        out["hi"].append(hi)
    for s in seeds:
        for who, r in (("sampler", cand[s]), ("baseline", base[s])):
            if diverged(r):
                out["marks"].append((stopped_at(r), last.get(s, 0.0), s, who))
    return out


# --------------------------------------------------------------------------------------------------------
# The report

def fmt(x, spec="+.4g", none="—"):
    return none if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def cell(run, it):
    kind, v = outcome_at(run, it)
    if kind == "value":
        return f"{v:.4g}"
    return f"diverged ({stopped_at(run)})" if kind == "diverged" else "—"


def parse_margins(items, metric):
    margins = {}
    for item in items:
        name, eq, value = item.partition("=")
        try:
            margins[name.strip()] = float(value)
        except ValueError:
            sys.exit(f"paired_report: --margin {item}: expected METRIC=VALUE (e.g. --margin {metric}=1.0)")
        if not eq or not name.strip() or not margins[name.strip()] > 0:
            sys.exit(f"paired_report: --margin {item}: expected METRIC=VALUE with VALUE > 0")
    return margins.get(metric)


def default_iteration(cand, base, seeds):
    """The last iteration that every run of the two arms that finished logged (a diverged run ranks worst
    there; an unfinished one is not there yet), else the last any run logged."""
    runs = [cand[s] for s in seeds] + [base[s] for s in seeds]
    done = [set(r.steps.tolist()) for r in runs if r.status == FINISHED]
    common = set.intersection(*done) if done else set().union(*(set(r.steps.tolist()) for r in runs))
    return [max(common)] if common else []


def figure(path, title, comparisons, arms, table, group_key, ylabel):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax, km) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw=dict(width_ratios=[3, 2]))
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    color = {key: cycle[i % len(cycle)] for i, key in enumerate(arms)}  # one colour per arm in both panels
    for (g, sampler), c in comparisons.items():
        col = color[(g, sampler)]
        name = (f"{group_key.split('.')[-1]}={g} " if group_key else "") + sampler
        ax.plot(c["steps"], c["mean"], "-o", ms=3, color=col, label=name)
        ax.fill_between(c["steps"], c["lo"], c["hi"], color=col, alpha=0.2)
        for it, y, s, who in c["marks"]:
            ax.plot([it], [y], "x", ms=9, mew=2, color=col if who == "sampler" else "k")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xlabel("iteration")
    ax.set_ylabel(ylabel)
    ax.set_title("mean paired difference and 95% t band over the seeds where both ran; x: a seed diverged "
                 "(in the sampler's colour; black: the baseline's run)", fontsize=8)
    ax.legend(fontsize=7)
    for key in arms:
        times, events = survival(table[key])
        steps = kaplan_meier(times, events)
        end = max(times) if times else 0
        xs, ys = [0], [1.0]
        for t, _, _, s in steps:
            xs += [t, t]
            ys += [ys[-1], s]
        xs.append(max(end, xs[-1]))
        ys.append(ys[-1])
        name = (f"{group_key.split('.')[-1]}={key[0]} " if group_key else "") + key[1]
        km.plot(xs, ys, color=color[key], label=f"{name} ({sum(events)}/{len(events)} diverged)")
    km.set_ylim(-0.03, 1.05)
    km.set_xlabel("iteration")
    km.set_ylabel("fraction of seeds still running")
    km.set_title("time to divergence (Kaplan-Meier)", fontsize=9)
    km.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--metric", required=True)
    ap.add_argument("--baseline", default="langevin")
    ap.add_argument("--at", default="", help="iterations (comma-separated); default: the last one all runs logged")
    ap.add_argument("--primary", default="", help="the pre-declared primary iteration (or 'last': each comparison's "
                    "last iteration); rows at other iterations are exploratory. Default: none, every row exploratory")
    ap.add_argument("--margin", action="append", default=[], metavar="METRIC=VALUE",
                    help="equivalence margin of a metric (repeatable); without one no 'equivalent' verdict is given")
    ap.add_argument("--group-key", default="", help="a dotted config key: one comparison per value (sampler.n_steps)")
    ap.add_argument("--label-key", default="", help="dotted keys (comma-separated) whose values tell arms of one sampler apart")
    ap.add_argument("--higher-is-better", action="store_true", help="the metric improves upwards (default: lower is better, "
                    "as for fid_* and kl_*)")
    ap.add_argument("--report", default="")
    ap.add_argument("--figure", default="", help="the figure's path (default: the report's with .png; none without --report)")
    ap.add_argument("--title", default="")
    a = ap.parse_args(argv)
    margin = parse_margins(a.margin, a.metric)
    primary = a.primary.strip()
    if primary and primary != "last" and not primary.isdigit():
        sys.exit(f"paired_report: --primary {primary}: expected an iteration or 'last'")
    try:
        asked = [int(x) for x in a.at.split(",") if x.strip()]
    except ValueError:
        sys.exit(f"paired_report: --at {a.at}: expected comma-separated iterations")
    table = load(a.paths, a.metric, a.group_key, a.label_key)
    if not table:
        sys.exit(f"paired_report: no run under {' '.join(a.paths)} logged {a.metric}")
    sign = -1.0 if a.higher_is_better else 1.0  # differences oriented so that negative favours the sampler
    groups = sorted({g for g, _ in table}, key=lambda g: (str(type(g)), g))
    gcol = f"{a.group_key} | " if a.group_key else ""

    # Every comparison's rows, then Holm per family (primary; each exploratory iteration).
    rows, skipped, comparisons, bases = [], [], {}, {}
    for g in groups:
        base_label = baseline_label(table, g, a.baseline, a.group_key)
        base = table[(g, base_label)]
        bases[g] = base_label
        for (gg, sampler), runs in sorted(table.items(), key=lambda kv: str(kv[0])):
            if gg != g or sampler == base_label:
                continue
            seeds_all = sorted(set(runs) & set(base))
            if len(seeds_all) < 2:
                skipped.append(f"- {(f'{a.group_key} = {g}, ' if a.group_key else '')}{sampler}: {len(seeds_all)} seed(s) "
                               f"shared with {base_label}; nothing to pair.")
                continue
            comparisons[(g, sampler)] = curves(runs, base, sign)
            its = list(asked) or default_iteration(runs, base, seeds_all)
            if primary.isdigit() and int(primary) not in its:
                its.append(int(primary))
            last_it = max(its) if its else None
            for it in sorted(set(its)):
                pairs = [(s, outcome_at(runs[s], it), outcome_at(base[s], it)) for s in seeds_all]
                known = [(s, oc, ob) for s, oc, ob in pairs if oc[0] != "missing" and ob[0] != "missing"]
                logged = any(oc[0] == "value" or ob[0] == "value" for _, oc, ob in pairs)
                if not logged and len(known) < len(pairs):
                    continue  # an iteration these runs do not log (unless every run had diverged by then)
                r = paired_stats([oc[1] for _, oc, _ in known], [ob[1] for _, _, ob in known], sign, margin)
                is_primary = (primary == "last" and it == last_it) or (primary.isdigit() and it == int(primary))
                r.update(group=g, sampler=sampler, it=it, seeds=[s for s, _, _ in known], seeds_all=seeds_all,
                         missing=[s for s, oc, ob in pairs if oc[0] == "missing" or ob[0] == "missing"],
                         primary=is_primary, family_key="primary" if is_primary else f"iteration {it}")
                rows.append(r)
    families = collections.defaultdict(list)
    for i, r in enumerate(rows):
        families[r["family_key"]].append(i)
    for members in families.values():
        tested = [rows[i]["p"] if rows[i]["n"] >= 2 else None for i in members]
        adj = holm(tested)
        tadj = holm([rows[i]["tost"]["p"] if rows[i]["tost"] is not None and rows[i]["n"] >= 2 and not rows[i]["identical"]
                     else None for i in members])
        size = sum(p is not None for p in tested)
        for i, p, tp in zip(members, adj, tadj):
            rows[i].update(p_holm=p, tost_holm=tp, family_size=size)
            rows[i]["verdict"], rows[i]["why"] = verdict(rows[i], p, tp, margin)

    # Header
    ns = sorted({r["n"] for r in rows})
    n_text = ("no row" if not ns else f"n = {ns[0]} pairs in every row" if len(ns) == 1 else
              f"n from {ns[0]} to {ns[-1]} pairs (column n)")
    methods = sorted({r["method"] for r in rows if r["method"]})
    n_primary = sum(1 for r in rows if r["primary"] and r["p"] is not None)
    direction = "higher is better (--higher-is-better): differences are sign-flipped" if a.higher_is_better \
        else "lower is better (the default, as for fid_* and kl_*; --higher-is-better flips it)"
    lines = [f"# {a.title or 'Paired comparison: ' + a.metric}", "",
             *provenance("analysis/paired_report.py", run_dirs(a.paths), argv), "",
             f"- **Difference** = sampler − {a.baseline} in {a.metric}, per seed; {direction}; negative favours the sampler.",
             "- **Primary iteration**: " + (
                 f"{primary} (--primary); rows at other iterations are exploratory."
                 + ("" if any(r["primary"] for r in rows) else " No comparison logged it: there is no primary row.")
                 if primary.isdigit() else
                 "each comparison's last iteration (--primary last); other rows are exploratory." if primary == "last" else
                 "none declared (--primary): every row is exploratory."),
             "- **Margin**: " + (
                 f"±{margin:g} in {a.metric} (--margin {a.metric}={margin:g}): equivalence by TOST, the two one-sided "
                 "paired t tests, i.e. the 90% paired t interval inside ±margin." if margin is not None else
                 f"none declared for {a.metric} (--margin {a.metric}=VALUE): no comparison can be called equivalent; "
                 "an undetermined one is not evidence that the arms behave alike."),
             f"- **Test**: exact two-sided sign-flip permutation test on Pratt signed ranks (Wilcoxon signed-rank with zero "
             f"differences keeping their ranks; {', '.join(methods) or 'exact'}), over every paired seed: a run that diverged "
             "ranks worst from the iteration it stopped at (both runs of a seed diverged: a tie). With m non-zero pairs the "
             "smallest two-sided p is 2/2^m (column min p).",
             (f"- **Multiplicity**: Holm over the family of primary comparisons ({n_primary} tested: every sampler"
              + (" and group" if a.group_key else "") + " at the primary iteration), separately for the test p and the "
              "TOST p; each exploratory iteration's rows are a family of their own." if primary else
              "- **Multiplicity**: no primary family declared; Holm within each iteration's rows (every sampler"
              + (" and group" if a.group_key else "") + " at that iteration), separately for the test p and the TOST p."),
             f"- **n per row**: {n_text}: seeds on which both runs logged the iteration or had diverged by it; seeds not "
             "there yet (unfinished runs) or not in both arms are left out and named below.",
             "- **Interval, spread, effect**: paired t 95% interval of the mean difference, the SD of the differences and "
             "d_z = mean/SD over the seeds where both runs logged the iteration; P(improvement) = share of seeds where the "
             "sampler beats the baseline (ties half, a diverged run loses) with its Clopper-Pearson 95% interval; the "
             "unpaired (Welch) interval of the same difference beside them.",
             "- **Verdicts**: better / worse = the 95% interval excludes 0 (on the side the rank test points to) and the "
             f"Holm-adjusted test p < {ALPHA}; equivalent = a margin is declared, the 90% interval lies inside ±margin, the "
             f"Holm-adjusted TOST p < {ALPHA} and no seed diverged in only one arm; identical runs = every seed a tie, not "
             "compared; otherwise undetermined (not evidence of sameness).", "",
             "| " + gcol + "sampler | iteration | role | n | baseline mean | mean difference | paired 95% CI | SD of differences | "
             "d_z | P(improvement) [95% CI] | test p | min p | Holm p |" + (" TOST p (Holm) |" if margin is not None else "") +
             " unpaired 95% CI | verdict |",
             "| " + "--- | " * (15 + bool(a.group_key) + (margin is not None))]
    for r in rows:
        role = "primary" if r["primary"] else "exploratory"
        n = f"{r['n']}" + (f" ({r['discordant'] + r['both_diverged']} with a divergence)" if r['discordant'] + r['both_diverged'] else "") \
            + (f" of {len(r['seeds_all'])}" if r["n"] < len(r["seeds_all"]) else "")
        g = f"{r['group']} | " if a.group_key else ""
        if r["identical"] or r["n"] < 2:
            blank = " — |" * (10 + (margin is not None))
            lines.append(f"| {g}{r['sampler']} | {r['it']} | {role} | {n} |{blank} **{r['verdict']}** |")
            continue
        pi = f"{r['pi']:.2f} [{r['pi_ci'][0]:.2f}, {r['pi_ci'][1]:.2f}]"
        ci = f"[{r['lo']:+.4g}, {r['hi']:+.4g}]" if r["lo"] is not None else "—"
        w = f"[{r['welch'][0]:+.4g}, {r['welch'][1]:+.4g}]" if r["welch"] is not None else "—"
        tp = (f" {fmt(r['tost']['p'], '.3g')} ({fmt(r['tost_holm'], '.3g')}) |" if r["tost"] is not None else " — |") \
            if margin is not None else ""
        lines.append(f"| {g}{r['sampler']} | {r['it']} | {role} | {n} | {fmt(r['base_mean'], '.4g')} | {fmt(r['mean'])} | {ci} | "
                     f"{fmt(r['sd'], '.4g')} | {fmt(r['dz'], '+.2f')} | {pi} | {fmt(r['p'], '.3g')} | {r['min_p']:.3g} | "
                     f"{fmt(r['p_holm'], '.3g')} |{tp} {w} | **{r['verdict']}** |")

    # Per-seed values
    seeds_cols = sorted({s for r in rows for s in r["seeds_all"]})
    if rows:
        lines += ["", f"Per-seed values at each row's iteration (sampler / {a.baseline}; diverged (N): stopped at iteration N; "
                  "—: not there):", "",
                  "| " + gcol + "sampler | iteration | " + " | ".join(f"seed {s}" for s in seeds_cols) + " |",
                  "| " + "--- | " * (2 + bool(a.group_key) + len(seeds_cols))]
        for r in rows:
            cand, base = table[(r["group"], r["sampler"])], table[(r["group"], bases[r["group"]])]
            cells = [f"{cell(cand[s], r['it'])} / {cell(base[s], r['it'])}" if s in cand and s in base else "" for s in seeds_cols]
            lines.append("| " + (f"{r['group']} | " if a.group_key else "") + f"{r['sampler']} | {r['it']} | " + " | ".join(cells) + " |")

    # Divergence
    lines += ["", "Divergence per arm (a diverged run is an outcome; the rate is over runs whose outcome is known, "
              "i.e. finished or diverged), with where each stopped, and runs not finished (the report is then partial):", "",
              "| arm | diverged | rate [95% Clopper-Pearson] | seeds (stopped at) | not finished |", "| --- | --- | --- | --- | --- |"]
    arm_keys = sorted(table, key=lambda k: (str(type(k[0])), str(k[0]), k[1]))
    for key in arm_keys:
        runs = table[key]
        bad = [s for s, r in sorted(runs.items()) if diverged(r)]
        open_ = [f"seed {s} ({r.status}, last logged {last_logged(r) if last_logged(r) is not None else 'nothing'})"
                 for s, r in sorted(runs.items()) if unfinished(r)]
        known = len(runs) - len(open_)
        lo, hi = clopper_pearson(len(bad), known)
        where = f"{a.group_key} = {key[0]}, " if a.group_key else ""
        seeds_txt = ", ".join(f"seed {s} (iteration {stopped_at(runs[s])}, last logged "
                              f"{last_logged(runs[s]) if last_logged(runs[s]) is not None else 'nothing'})" for s in bad)
        lines.append(f"| {where}{key[1]} | {len(bad)} of {known} | {len(bad) / known if known else 0:.2f} [{lo:.2f}, {hi:.2f}] | "
                     f"{seeds_txt or '—'} | {', '.join(open_) or '—'} |")
    lines += ["", "Paired divergence against the baseline (exact McNemar: binomial on the seeds where only one run diverged; "
              "seeds with an unfinished run left out):", "",
              "| " + gcol + "sampler | pairs | only the sampler diverged | only the baseline diverged | both | exact McNemar p |",
              "| " + "--- | " * (6 + bool(a.group_key))]
    for (g, sampler) in comparisons:
        cand, base = table[(g, sampler)], table[(g, bases[g])]
        seeds = [s for s in sorted(set(cand) & set(base)) if not unfinished(cand[s]) and not unfinished(base[s])]
        b = sum(diverged(cand[s]) and not diverged(base[s]) for s in seeds)
        c = sum(diverged(base[s]) and not diverged(cand[s]) for s in seeds)
        both = sum(diverged(cand[s]) and diverged(base[s]) for s in seeds)
        lines.append("| " + (f"{g} | " if a.group_key else "") + f"{sampler} | {len(seeds)} | {b} | {c} | {both} | "
                     f"{mcnemar_exact(b, c):.3g} |")
    lines += ["", "Time to divergence (Kaplan-Meier: the fraction of an arm's seeds still running after each iteration at "
              "which one diverged; finished and unfinished runs censored where they stopped logging):"]
    for key in arm_keys:
        times, events = survival(table[key])
        steps = kaplan_meier(times, events)
        name = (f"{a.group_key} = {key[0]}, " if a.group_key else "") + key[1]
        if not steps:
            lines.append(f"- {name}: 1.00 throughout (no divergence among {len(times)} runs, "
                         f"followed to iteration {max(times) if times else 0})")
        else:
            lines.append(f"- {name}: 1.00 until " + "; ".join(
                f"iteration {int(t)}: {e} of {n} at risk diverged → {s:.2f}" for t, n, e, s in steps))

    # Verdicts
    lines += ["", "Verdicts (primary rows first; exploratory rows are not confirmatory):"]
    for r in sorted(rows, key=lambda r: not r["primary"]):
        where = (f"{a.group_key} = {r['group']}, " if a.group_key else "") + f"iteration {r['it']}"
        tag = "" if r["primary"] else " (exploratory)"
        word = r["verdict"]
        head = f"**{r['sampler']} {word}** than {a.baseline}" if word in ("better", "worse") else \
            f"**{r['sampler']} equivalent** to {a.baseline} within ±{margin:g}" if word == "equivalent" else \
            f"{r['sampler']} against {a.baseline}: {word}"
        extra = []
        if r["missing"]:
            extra.append(f"over the {r['n']} seeds whose outcome is known there; seed(s) {', '.join(map(str, r['missing']))} not there")
        if r["discordant"] or r["both_diverged"]:
            extra.append(f"{r['discordant'] + r['both_diverged']} of the {r['n']} pairs with a divergence, ranked as outcomes")
        lines.append(f"- {where}{tag}: {head} ({r['why']}" + ("; " + "; ".join(extra) if extra else "") + ").")
    lines += skipped
    fig_path = a.figure or (os.path.splitext(a.report)[0] + ".png" if a.report else "")
    if fig_path:
        rel = os.path.relpath(fig_path, os.path.dirname(os.path.abspath(a.report))) if a.report else fig_path
        lines += ["", f"![paired differences over iterations and time to divergence]({rel})"]
    text = "\n".join(lines) + "\n"
    print(text)
    if writes_reports():
        if fig_path:
            figure(fig_path, a.title or f"Paired comparison: {a.metric}", comparisons,
                   [k for k in arm_keys], table, a.group_key,
                   f"sampler − {a.baseline} in {a.metric}" + (" (sign flipped)" if a.higher_is_better else ""))
        if a.report:
            with open(a.report, "w") as f:
                f.write(text)
            print(f"report: {a.report}")
    return text


if __name__ == "__main__":
    main()
