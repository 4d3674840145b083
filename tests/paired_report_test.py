#!/usr/bin/env python3
"""CTest paired_report: analysis/paired_report.py, its statistical core checked against closed forms, scipy and
hand enumeration, and its reports on synthetic paired runs (tests/fake_runs.py):

- pairing: seeds move the metric by ±10 and the sampler's difference is −1 on every seed, so the paired
  interval excludes 0 while the unpaired one over the same runs spans 0;
- a diverged run is an outcome: a sampler better on 8 seeds of 10 and diverged on 2 is not called better
  (it would be, were the diverged seeds dropped); divergence rates with Clopper-Pearson intervals, the exact
  McNemar row, the Kaplan-Meier listing and the figure's x marks;
- ties: identical runs are flagged and not compared (no [+0, +0] interval, no inf ratio), zero differences
  keep their Pratt ranks, and the smallest attainable p follows each row's n;
- per row: per-seed values, mean difference with its t interval, SD, d_z, P(improvement) with its interval;
- errors: a repeated (label, seed) and a baseline that names no arm or several arms exit non-zero with one line;
- verdicts: better / worse / equivalent / undetermined under --margin and --primary with Holm over the primary
  family (a difference with p < 0.05 that Holm does not keep is undetermined), no 'equivalent' without a
  margin, exploratory rows labelled, and never 'no difference' or 'equal'."""
import contextlib
import io
import itertools
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "analysis"))
from fake_runs import fake_paired_run, paired_sweep  # noqa: E402
import paired_report as pr  # noqa: E402

SCRIPT = os.path.join(HERE, "..", "analysis", "paired_report.py")
FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def enumerate_p(values):
    """Two-sided sign-flip p by brute force over itertools.product (the test's own enumeration)."""
    v = [x for x in values if x != 0]
    t = abs(sum(v))
    hits = sum(abs(sum(s * x for s, x in zip(signs, v))) >= t - 1e-9 for signs in itertools.product((-1, 1), repeat=len(v)))
    return hits / 2 ** len(v)


# ------------------------------------------------------------------------------------------------------------
# The statistical core

def test_core():
    # Clopper-Pearson against scipy's exact binomial interval; k = 0 and k = n reach the ends.
    for k, n in [(0, 5), (1, 5), (2, 10), (5, 5), (7, 20), (0, 1)]:
        lo, hi = pr.clopper_pearson(k, n)
        ref = stats.binomtest(k, n).proportion_ci(method="exact")
        check(close(lo, ref.low, 1e-7) and close(hi, ref.high, 1e-7), f"clopper_pearson({k}, {n}) = {lo, hi}, scipy {ref}")
    lo, hi = pr.clopper_pearson(2.5, 5)  # ties counted half: between its integer neighbours
    check(pr.clopper_pearson(2, 5)[0] < lo < pr.clopper_pearson(3, 5)[0], "clopper_pearson(2.5, 5) not between 2/5 and 3/5")

    # Exact McNemar = two-sided binomial test on the discordant pairs.
    for b in range(8):
        for c in range(8):
            ref = 1.0 if b + c == 0 else stats.binomtest(b, b + c, 0.5).pvalue
            check(close(pr.mcnemar_exact(b, c), ref, 1e-9), f"mcnemar_exact({b}, {c}) = {pr.mcnemar_exact(b, c)}, binomtest {ref}")

    # Sign flips: by hand, ±3 ±1 ±2 gives 6, 2, 4, 0, 0, −4, −2, −6; |S| >= |3 − 1 + 2| = 4 in 4 of 8.
    check(pr.sign_flip_p([3, -1, 2]) == 0.5, f"sign_flip_p([3, -1, 2]) = {pr.sign_flip_p([3, -1, 2])}, by hand 0.5")
    check(pr.sign_flip_p([1, 2, 4]) == 0.25, "sign_flip_p([1, 2, 4]) != 2/8")
    check(pr.sign_flip_p([3.0, -1.0, 2.0001]) == 0.5, "sign_flip_p on non-integers (enumeration path) != 0.5")
    check(pr.sign_flip_p([0, 0, 1.5]) == 1.0, "zeros flip to themselves: sign_flip_p([0, 0, 1.5]) != 1")
    check(pr.sign_flip_p([0, 0, 0]) == 1.0, "all-zero differences: p != 1")
    rng = np.random.default_rng(3)
    for n in (1, 4, 9, 12):
        v = rng.standard_normal(n) + 0.4
        check(close(pr.sign_flip_p(v), enumerate_p(v)), f"sign_flip_p of {n} reals != brute-force enumeration")
    mid = [1.5, -1.5, 3, 4.5, -4.5, 6, 7]  # midranks: the exact convolution path
    check(close(pr.sign_flip_p(mid), enumerate_p(mid)), "sign_flip_p on midranks != brute-force enumeration")
    # Beyond 20 non-zero reals: Monte Carlo with a fixed seed, reproducible and near the exact rank answer.
    signs = np.where(rng.random(24) < 0.35, -1, 1)
    ranks = signs * np.arange(1, 25)
    perturbed = ranks + 1e-4 * signs
    p1, p2 = pr.sign_flip_p(perturbed), pr.sign_flip_p(perturbed)
    check(p1 == p2, "Monte Carlo sign-flip p not reproducible (fixed seed)")
    check(abs(p1 - pr.sign_flip_p(ranks)) < 0.01, f"Monte Carlo p {p1} far from exact {pr.sign_flip_p(ranks)}")
    check(pr.sign_flip_method(perturbed).startswith("Monte Carlo") and pr.sign_flip_method(ranks) == "exact",
          "sign_flip_method does not say how p was computed")

    # Signed ranks: the exact Wilcoxon test without ties; Pratt's zeros keep their ranks; ±inf rank highest.
    for n in (5, 8, 13):
        d = rng.standard_normal(n) + 0.5
        ref = stats.wilcoxon(d, method="exact").pvalue
        check(close(pr.signed_rank_p(d), ref, 1e-9), f"signed_rank_p (n = {n}) {pr.signed_rank_p(d)} != scipy exact {ref}")
    d = [0, -1, -2, -3, -4, 5]
    pratt = enumerate_p([-2, -3, -4, -5, 6])   # ranks of |d| over all six, zero included
    dropped = enumerate_p([-1, -2, -3, -4, 5])  # the zero dropped first (not allowed)
    check(pratt != dropped and close(pr.signed_rank_p(d), pratt),
          f"signed_rank_p({d}) = {pr.signed_rank_p(d)}: Pratt {pratt}, zero dropped {dropped}")
    check(list(pr.signed_ranks([math.inf, -1, 2, 0])) == [4, -2, 3, 0], "signed_ranks: inf must rank above all, 0 keep rank 1")
    check(list(pr.outcome_differences([None, 1.0, None, 3.0], [2.0, None, None, 1.0])) == [math.inf, -math.inf, 0.0, 2.0],
          "outcome_differences: diverged candidate +inf, diverged baseline −inf, both 0")

    for n in range(1, 11):
        check(pr.min_attainable_p(n) == 2 / 2 ** n, f"min_attainable_p({n}) != 2/2^{n}")

    # TOST = the larger of two one-sided t tests; p < 0.05 exactly when the 90% interval is inside ±margin.
    for i in range(25):
        d = rng.normal(rng.uniform(-1, 1), rng.uniform(0.1, 1.5), size=int(rng.integers(3, 12)))
        margin = rng.uniform(0.2, 2)
        t = pr.tost(d, margin)
        lo_ = stats.ttest_1samp(d, -margin, alternative="greater").pvalue
        hi_ = stats.ttest_1samp(d, margin, alternative="less").pvalue
        check(close(t["p"], max(lo_, hi_), 1e-9), f"tost p {t['p']} != max of one-sided t tests {max(lo_, hi_)}")
        check((t["p"] < 0.05) == (-margin < t["lo"] and t["hi"] < margin), "tost p < 0.05 disagrees with the 90% interval")
        ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
        _, lo, hi = pr.paired_t_interval(d)
        check(close(lo, ci.low, 1e-9) and close(hi, ci.high, 1e-9), "paired_t_interval != scipy's t interval")

    # Holm by hand: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 → 0.06 (monotone); None not counted.
    adj = pr.holm([0.01, 0.04, 0.03, 0.005, None])
    check(all(close(a, b) for a, b in zip(adj[:4], [0.03, 0.06, 0.06, 0.02])) and adj[4] is None, f"holm: {adj}")
    check(pr.holm([0.5, 0.9]) == [1.0, 1.0], "holm must cap at 1")

    # Kaplan-Meier by hand: 5 at risk, 1 diverges at 300 (0.8); 4 at risk at 500, 1 diverges → 0.6.
    km = pr.kaplan_meier([300, 500, 500, 1000, 1000], [1, 1, 0, 0, 0])
    check([(t, n, e) for t, n, e, _ in km] == [(300, 5, 1), (500, 4, 1)] and close(km[0][3], 0.8) and close(km[1][3], 0.6),
          f"kaplan_meier: {km}")

    share, k, n = pr.prob_improvement([-1, 0, 1, -2, math.inf])
    check((share, k, n) == (0.5, 2.5, 5), f"prob_improvement: {share, k, n} (2 wins, 1 tie half, a divergence a loss)")

    # Verdict rules on paired_stats.
    better = pr.paired_stats([9.0, 8.0, 7.0, 6.0, 5.0, 4.0], [10.1, 9.05, 8.1, 7.02, 6.1, 5.1])
    check(pr.verdict(better, 0.03)[0] == "better", "CI below 0 and Holm p < 0.05 should be better")
    check(pr.verdict(better, 0.06)[0] == "undetermined", "Holm p >= 0.05 must not be better whatever the interval")
    same = pr.paired_stats([1.0, 2.0, 3.0, 4.0, 5.0], [1.01, 1.99, 3.0, 4.02, 4.99], margin=0.5)
    check(pr.verdict(same, 0.9, same["tost"]["p"], 0.5)[0] == "equivalent", "TOST inside ±margin should be equivalent")
    check(pr.verdict(same, 0.9, 0.06, 0.5)[0] == "undetermined", "Holm TOST p >= 0.05 must not be equivalent")
    no_margin = pr.paired_stats([1.0, 2.0, 3.0, 4.0, 5.0], [1.01, 1.99, 3.0, 4.02, 4.99])
    check(pr.verdict(no_margin, 0.9)[0] == "undetermined", "no margin: never equivalent")
    div = pr.paired_stats([1.0, 2.0, 3.0, 4.0, None], [1.01, 1.99, 3.0, 4.02, 4.99], margin=0.5)
    check(pr.verdict(div, 0.9, 0.001, 0.5)[0] == "undetermined", "a seed diverged in one arm only must rule out equivalence")
    ident = pr.paired_stats([1.0, 2.0, None], [1.0, 2.0, None])
    check(ident["identical"] and ident["p"] is None and pr.verdict(ident, None)[0] == "identical runs",
          "ties on every seed (both diverged included) must be identical runs")


# ------------------------------------------------------------------------------------------------------------
# Reports on synthetic runs

def report(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        pr.main(list(argv))
    return out.getvalue()


def main_table(text):
    """The comparison table as one dict per row, keyed by the header's cells."""
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if "| iteration | role |" in line)
    head = [c.strip() for c in lines[i].strip().strip("|").split("|")]
    rows = []
    for line in lines[i + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(head, (c.strip() for c in line.strip().strip("|").split("|")))))
    return rows


def row(rows, sampler, it):
    hits = [r for r in rows if r["sampler"] == sampler and r["iteration"] == str(it)]
    assert len(hits) == 1, f"{len(hits)} rows for {sampler} at {it}: {rows}"
    return hits[0]


def interval(cell):
    lo, hi = (float(x) for x in cell.strip("[]").split(","))
    return lo, hi


def never_sameness(text, what):
    low = text.lower()
    check("no difference" not in low and not re.search(r"\bequal\b", low) and "spans 0" not in low,
          f"{what}: non-significance worded as sameness")


def test_pairing_ties_and_per_row(tmp):
    """Seeds' luck ±10; stanley −1 on every seed at 500, the same as the baseline at 1000 except −1 on
    seeds 0-4 and exactly the baseline's value on seed 5 (a tie)."""
    rng = np.random.default_rng(0)
    arms = {"langevin": [], "stanley": [], "hmc": []}
    luck = 10 * rng.standard_normal(6)
    for s in range(6):
        arms["langevin"].append((s, [20 + luck[s], 20 + luck[s]]))
        arms["stanley"].append((s, [19 + luck[s] + 0.05 * rng.standard_normal(), 20 + luck[s] - (1 + 0.3 * s if s < 5 else 0)]))
        arms["hmc"].append((s, [20 + luck[s], 20 + luck[s]]))  # identical to the baseline everywhere
    sweep = paired_sweep(os.path.join(tmp, "ties"), arms)
    text = report([sweep, "--metric", "kl", "--baseline", "langevin", "--at", "500,1000"])
    never_sameness(text, "ties report")
    rows = main_table(text)
    r500 = row(rows, "stanley", 500)
    lo, hi = interval(r500["paired 95% CI"])
    ulo, uhi = interval(r500["unpaired 95% CI"])
    check(hi < 0 and lo > -1.2, f"paired interval {lo, hi} should hold −1 and exclude 0")
    check(ulo < 0 < uhi, f"unpaired interval {ulo, uhi} should span 0 with seed luck of ±10")
    # Per row: SD, d_z, P(improvement) and its interval, recomputed here.
    x = np.array([v[0] for _, v in arms["stanley"]])
    y = np.array([v[0] for _, v in arms["langevin"]])
    d = x - y
    check(float(r500["SD of differences"]) == float(f"{d.std(ddof=1):.4g}"), f"SD {r500['SD of differences']} != {d.std(ddof=1):.4g}")
    check(float(r500["d_z"]) == float(f"{d.mean() / d.std(ddof=1):+.2f}"), f"d_z {r500['d_z']}")
    check(float(r500["mean difference"]) == float(f"{d.mean():+.4g}"), "mean difference")
    ci = stats.binomtest(6, 6).proportion_ci(method="exact")
    check(r500["P(improvement) [95% CI]"] == f"1.00 [{ci.low:.2f}, {ci.high:.2f}]", f"P(improvement) {r500['P(improvement) [95% CI]']}")
    check(r500["min p"] == f"{2 / 2 ** 6:.3g}" and r500["n"] == "6", f"min p for 6 pairs: {r500['min p']} (2/2^6)")
    check("0.0625" not in text.split("| iteration | role |")[0], "the header must not hard-code 5 seeds' 0.0625")
    # Per-seed values of both arms, in the row's order.
    seeds_line = next(line for line in text.splitlines() if line.startswith("| stanley | 500 | ") and " / " in line)
    check(all(f"{a:.4g} / {b:.4g}" in seeds_line for a, b in zip(x, y)), f"per-seed values missing: {seeds_line}")
    # The tie at 1000: Pratt, 5 non-zero pairs, min p 2/2^5.
    r1000 = row(rows, "stanley", 1000)
    d1000 = np.array([v[1] for _, v in arms["stanley"]]) - np.array([v[1] for _, v in arms["langevin"]])
    check(np.sum(d1000 == 0) == 1, "fixture: one tie at 1000")
    check(float(r1000["test p"]) == float(f"{enumerate_p(pr.signed_ranks(d1000)):.3g}"),
          f"test p at 1000 {r1000['test p']} != exact Pratt p {enumerate_p(pr.signed_ranks(d1000))}")
    check(r1000["min p"] == "0.0625" and r1000["P(improvement) [95% CI]"].startswith(f"{5.5 / 6:.2f}"),
          f"tie: min p {r1000['min p']} (2/2^5), P(improvement) {r1000['P(improvement) [95% CI]']} (5.5/6)")
    # Identical runs: flagged, not compared.
    for it in (500, 1000):
        h = row(rows, "hmc", it)
        check(h["verdict"] == "**identical runs**", f"hmc at {it}: {h['verdict']}")
        check("[+0, +0]" not in str(h) and "inf" not in str(h).lower(), f"identical row compared anyway: {h}")
    check("hmc against langevin: identical runs" in text, "identical runs not said in the verdicts")


def test_divergence_is_an_outcome(tmp):
    """gd is 1 lower than langevin on seeds 0-7 and diverges on seeds 8 and 9 at iteration 700; gd alone
    against the baseline (a family of one), so that dropping the diverged seeds (8 wins of 8: p = 2/256)
    would call gd better."""
    rng = np.random.default_rng(1)
    arms = {"langevin": [], "gd": []}
    for s in range(10):
        luck = 10 * rng.standard_normal()
        arms["langevin"].append((s, [20 + luck, 20 + luck]))
        if s < 8:
            arms["gd"].append((s, [19 + luck, 19 + luck + 0.05 * rng.standard_normal()]))
        else:
            arms["gd"].append((s, [19 + luck], "diverged: iteration 700: runaway"))
    sweep = paired_sweep(os.path.join(tmp, "div"), arms)
    rep = os.path.join(tmp, "div.md")
    text = report([sweep, "--metric", "kl", "--baseline", "langevin", "--at", "500,1000", "--primary", "1000",
                   "--report", rep])
    never_sameness(text, "divergence report")
    rows = main_table(text)
    r = row(rows, "gd", 1000)
    d = [g[1][1] - b[1][1] for g, b in zip(arms["gd"][:8], arms["langevin"][:8])] + [math.inf, math.inf]
    check(r["n"].startswith("10") and "2 with a divergence" in r["n"], f"diverged seeds must stay in the row: n = {r['n']}")
    p_all = pr.signed_rank_p(d)
    check(float(r["test p"]) == float(f"{p_all:.3g}") and p_all > 0.05, f"test p {r['test p']} != {p_all:.3g} over all 10 seeds")
    check(pr.signed_rank_p([-1.0] * 8) < 0.05, "fixture: dropping the diverged seeds would reach p < 0.05")
    check(r["verdict"] == "**undetermined**" and interval(r["paired 95% CI"])[1] < 0,
          f"8 wins and 2 divergences called {r['verdict']} (the CI over finished pairs is below 0)")
    check(r["P(improvement) [95% CI]"].startswith("0.80"), f"P(improvement) {r['P(improvement) [95% CI]']}: diverged seeds lose")
    check(row(rows, "gd", 500)["role"] == "exploratory" and r["role"] == "primary", "roles of the rows")
    lo, hi = pr.clopper_pearson(2, 10)
    check(f"| gd | 2 of 10 | 0.20 [{lo:.2f}, {hi:.2f}] | seed 8 (iteration 700, last logged 500), seed 9 (iteration 700" in text,
          "divergence rate with its Clopper-Pearson interval and where each seed stopped")
    check(f"| gd | 10 | 2 | 0 | 0 | {pr.mcnemar_exact(2, 0):.3g} |" in text and pr.mcnemar_exact(2, 0) == 0.5,
          "exact McNemar row: 2 discordant, p = 0.5")
    check("- gd: 1.00 until iteration 700: 2 of 10 at risk diverged → 0.80" in text, "Kaplan-Meier listing")
    check("- langevin: 1.00 throughout (no divergence among 10 runs" in text, "Kaplan-Meier listing of the baseline")
    check(os.path.getsize(os.path.splitext(rep)[0] + ".png") > 10_000 and "](div.png)" in open(rep).read(),
          "the figure is written beside the report and linked from it")
    table = pr.load([sweep], "kl", "")
    marks = pr.curves(table[("", "gd")], table[("", "langevin")])["marks"]
    check(sorted((it, s, who) for it, _, s, who in marks) == [(700, 8, "sampler"), (700, 9, "sampler")],
          f"figure marks: {marks}")


def test_verdicts(tmp):
    """Ten seeds; at 1000 (primary) and 500 (exploratory) the same differences: lower (−2), higher (+2), close
    (within ±0.04, mean 0), noisy (±5, mean 0), edge (9 of 10 lower, the loss at rank 5: p = 20/1024 < 0.05,
    which Holm over the five, 3 × 20/1024, does not keep)."""
    rng = np.random.default_rng(2)
    diffs = {"lower": -2 + 0.1 * rng.standard_normal(10), "higher": 2 + 0.1 * rng.standard_normal(10),
             "close": 0.02 * np.array([1, -1, 2, -2, 1.5, -1.5, 0.5, -0.5, 1.2, -1.2]),
             "noisy": np.array([3, -4, 2, -5, 1, -2, 4, -3, 5, -1], float),
             "edge": np.array([-1, -2, -3, -4, 5, -6, -7, -8, -9, -10], float)}
    arms = {"langevin": []} | {k: [] for k in diffs}
    for s in range(10):
        base = 50 + 10 * rng.standard_normal()
        arms["langevin"].append((s, [base, base]))
        for k, d in diffs.items():
            arms[k].append((s, [base + d[s], base + d[s]]))
    sweep = paired_sweep(os.path.join(tmp, "verdicts"), arms)
    common = [sweep, "--metric", "kl", "--baseline", "langevin", "--at", "500,1000"]
    with_margin = report(common + ["--primary", "1000", "--margin", "kl=1.0", "--margin", "fid_fmnist_train=3"])
    never_sameness(with_margin, "verdict report")
    rows = main_table(with_margin)
    want = dict(lower="better", higher="worse", close="equivalent", noisy="undetermined", edge="undetermined")
    for k, v in want.items():
        check(row(rows, k, 1000)["verdict"] == f"**{v}**", f"{k} at the primary iteration: {row(rows, k, 1000)['verdict']}, want {v}")
    e = row(rows, "edge", 1000)
    check(float(e["test p"]) < 0.05 and interval(e["paired 95% CI"])[1] < 0 and float(e["Holm p"]) >= 0.05,
          f"edge: unadjusted p {e['test p']}, CI {e['paired 95% CI']}, Holm p {e['Holm p']}")
    check(close(float(e["test p"]), 20 / 1024, 1e-2), f"edge p {e['test p']} != 20/1024")
    # The Holm column is holm() of the primary family's p column (rounded as printed), TOST's likewise.
    prim = [r for r in rows if r["role"] == "primary"]
    check(len(prim) == 5 and all(r["iteration"] == "1000" for r in prim), "primary rows")
    ps = [pr.paired_stats([50 + d[s] for s in range(10)], [50.0] * 10)["p"] for d in (diffs[r["sampler"]] for r in prim)]
    for r, adj in zip(prim, pr.holm(ps)):
        check(float(r["Holm p"]) == float(f"{adj:.3g}"), f"{r['sampler']}: Holm p {r['Holm p']} != {adj:.3g}")
    tost_p = [pr.tost(diffs[r["sampler"]], 1.0)["p"] for r in prim]
    for r, p, adj in zip(prim, tost_p, pr.holm(tost_p)):
        check(r["TOST p (Holm)"] == f"{p:.3g} ({adj:.3g})", f"{r['sampler']}: TOST p (Holm) {r['TOST p (Holm)']} != {p:.3g} ({adj:.3g})")
    # Every primary verdict follows from its printed columns (the rules re-applied here).
    for r in prim:
        lo, hi = interval(r["paired 95% CI"])
        holm_p, tost_holm = float(r["Holm p"]), float(r["TOST p (Holm)"].split()[1].strip("()"))
        d = diffs[r["sampler"]]
        _, lo90, hi90 = pr.paired_t_interval(d, 0.90)
        ref = ("better" if hi < 0 and holm_p < 0.05 else "worse" if lo > 0 and holm_p < 0.05 else
               "equivalent" if -1 < lo90 and hi90 < 1 and tost_holm < 0.05 else "undetermined")
        check(r["verdict"] == f"**{ref}**", f"{r['sampler']}: verdict {r['verdict']} against the rules' {ref}")
    for r in rows:
        if r["iteration"] == "500":
            check(r["role"] == "exploratory", f"row at 500 not exploratory: {r}")
    check("- iteration 500 (exploratory): **lower better** than langevin" in with_margin and
          "- iteration 1000: **lower better** than langevin" in with_margin, "primary and exploratory verdict lines")
    check("- iteration 1000: **close equivalent** to langevin within ±1" in with_margin, "equivalence verdict line")
    check("- **Margin**: ±1 in kl" in with_margin and "- **Primary iteration**: 1000" in with_margin and
          "sign-flip permutation test on Pratt signed ranks" in with_margin and "n = 10 pairs in every row" in with_margin,
          "the header must state the margin, the primary iteration, the test and n")
    # Without a margin: never equivalent.
    plain = report(common + ["--primary", "1000"])
    never_sameness(plain, "report without a margin")
    check(row(main_table(plain), "close", 1000)["verdict"] == "**undetermined**" and "**close equivalent**" not in plain
          and not any(r["verdict"] == "**equivalent**" for r in main_table(plain)), "equivalent given without a margin")
    check("- **Margin**: none declared" in plain, "no-margin header")
    # Higher is better: better and worse swap.
    flipped = main_table(report(common + ["--primary", "1000", "--higher-is-better"]))
    check(row(flipped, "lower", 1000)["verdict"] == "**worse**" and row(flipped, "higher", 1000)["verdict"] == "**better**",
          "--higher-is-better must swap better and worse")


def test_groups_and_two_seeds(tmp):
    """--group-key with each group's own last iteration and --primary last; two seeds (the smoke study's) work."""
    sweep = paired_sweep(os.path.join(tmp, "groups"), {})
    job = 0
    for n_steps, iters in ((25, (500, 1000)), (50, (250, 500))):
        for sampler, shift in (("langevin", 0.0), ("stanley", -0.5)):
            for seed in range(2):
                fake_paired_run(os.path.join(sweep, str(job)), sampler, seed, [3 + seed + shift, 2 + seed + shift], iters,
                                sampler_cfg={"n_steps": n_steps})
                job += 1
    text = report([sweep, "--metric", "kl", "--baseline", "langevin", "--group-key", "sampler.n_steps", "--primary", "last"])
    lines = [line for line in text.splitlines() if line.startswith(("| 25 | stanley |", "| 50 | stanley |"))]
    check(any(line.startswith("| 25 | stanley | 1000 | primary | 2 |") for line in lines) and
          any(line.startswith("| 50 | stanley | 500 | primary | 2 |") for line in lines), f"group rows: {lines}")
    check("0.5" in text and "min p" in text, "two-seed report")


def test_cli_and_errors(tmp):
    """The script as the studies call it (a subprocess), and its one-line errors."""
    arms = {"langevin clip_fraction=0": [(s, [5.0 + s, 4.0 + s]) for s in range(3)],
            "stanley clip_fraction=0.1": [(s, [4.5 + s, 3.9 + s]) for s in range(3)]}
    sweep = paired_sweep(os.path.join(tmp, "cli"), arms)
    r = subprocess.run([sys.executable, SCRIPT, sweep, "--metric", "kl", "--baseline", "langevin", "--label-key",
                        "sampler.clip_fraction", "--at", "500,1000", "--title", "clip", "--report", os.path.join(tmp, "cli.md")],
                       capture_output=True, text=True)
    check(r.returncode == 0 and os.path.exists(os.path.join(tmp, "cli.md")) and "stanley clip_fraction=0.1" in r.stdout,
          f"CLI run: exit {r.returncode}: {r.stderr[-800:]}")

    def one_line_error(argv, *words):
        e = subprocess.run([sys.executable, SCRIPT, *argv], capture_output=True, text=True)
        err = [line for line in e.stderr.splitlines() if line.strip()]
        check(e.returncode != 0 and len(err) == 1 and all(w in err[0] for w in words),
              f"{argv}: exit {e.returncode}, stderr {e.stderr!r}, want one line naming {words}")

    dup = paired_sweep(os.path.join(tmp, "dup"), {"langevin": [(0, [1.0, 1.0]), (1, [2.0, 2.0])],
                                                   "stanley": [(0, [1.0, 1.0]), (1, [2.0, 2.0]), (1, [2.5, 2.5])]})
    one_line_error([dup, "--metric", "kl", "--baseline", "langevin"], "'stanley'", "seed 1")
    one_line_error([sweep, "--metric", "kl", "--baseline", "hmc", "--label-key", "sampler.clip_fraction"], "'hmc'", "no arm")
    two = paired_sweep(os.path.join(tmp, "two"), {"langevin step_size=32": [(0, [1.0, 1.0]), (1, [2.0, 2.0])],
                                                   "langevin step_size=64": [(0, [1.5, 1.0]), (1, [2.5, 2.0])]})
    one_line_error([two, "--metric", "kl", "--baseline", "langevin", "--label-key", "sampler.step_size"],
                   "'langevin'", "2 arms", "step_size=32", "step_size=64")


def main():
    test_core()
    with tempfile.TemporaryDirectory() as tmp:
        test_pairing_ties_and_per_row(tmp)
        test_divergence_is_an_outcome(tmp)
        test_verdicts(tmp)
        test_groups_and_two_seeds(tmp)
        test_cli_and_errors(tmp)
    if FAILURES:
        print("\n".join(f"FAIL: {f}" for f in FAILURES))
        sys.exit(1)
    print("paired_report: statistical core and reports checked")


if __name__ == "__main__":
    main()
