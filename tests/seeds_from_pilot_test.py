#!/usr/bin/env python3
"""CTest seeds_from_pilot: analysis/seeds_from_pilot.py, the study's pick of the second stage's seeds by Stein's
two-stage rule, on synthetic pilot sweeps (tests/fake_runs.py):

- the rule against a hand computation with scipy.stats.t: n = max(n0, ceil((t(1 − α/2, m − 1) · s / H)²)) per
  arm, the study's n the largest over the arms, the second stage's seeds from the largest pilot seed + 1 (or
  --next-seed);
- the cap binds: the study runs the cap, and the report says so with the half-width at the cap, t · s / √cap;
- a tiny SD: n = n0, and no second stage (`none`, which the study skips);
- a diverged pilot run (diverged before --at) is left out of the SD and named, t then has m − 1 df;
- the last line of output is the override the study hands the next sweep (split as study.cpp splits it); a
  dry run prints it and writes no report; an unfinished pilot and a baseline that names no arm exit non-zero
  with one line and print no override."""
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "analysis"))
from fake_runs import paired_sweep  # noqa: E402
import seeds_from_pilot as sp  # noqa: E402

SCRIPT = os.path.join(HERE, "..", "analysis", "seeds_from_pilot.py")
METRIC = "fid_fmnist_train"
FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)


def hand_n(d, n0, h, alpha=0.05):
    """Stein's n by hand: the SD of d, the t quantile from scipy, the ceiling."""
    d = np.asarray(d, float)
    t = stats.t.ppf(1 - alpha / 2, len(d) - 1)
    return t, float(d.std(ddof=1)), max(n0, math.ceil((t * d.std(ddof=1) / h) ** 2))


def pilot(path, diffs, seeds=None, base_status=None, arm_status=None, iters=(500, 1000)):
    """A pilot sweep: langevin's values per seed carry the seed's luck (±10), each arm 'stanley clip_fraction=q'
    adds diffs[q][i] to them at iteration 1000 (and half of it at 500). arm_status / base_status:
    {(q, or None for the baseline, seed): (status, values)} replacing a run's status and its values ("kept": as
    they were, as for a run that diverged after the last logged iteration)."""
    seeds = list(range(len(next(iter(diffs.values()))))) if seeds is None else seeds
    luck = {s: 10.0 * math.sin(3.0 * s + 1.0) for s in seeds}
    arms = {"langevin clip_fraction=0": [(s, [100 + luck[s], 80 + luck[s]]) for s in seeds]}
    for q, d in diffs.items():
        arms[f"stanley clip_fraction={q}"] = [(s, [100 + luck[s] + di / 2, 80 + luck[s] + di]) for s, di in zip(seeds, d)]
    for (q, seed), (status, values) in {**(base_status or {}), **(arm_status or {})}.items():
        label = "langevin clip_fraction=0" if q is None else f"stanley clip_fraction={q}"
        arms[label] = [(s, v if values == "kept" else values, status) if s == seed else (s, v) for s, v in arms[label]]
    return paired_sweep(path, arms, iters, METRIC)


def run(paths, *extra, env=None, report=None):
    argv = [sys.executable, SCRIPT, *paths, "--metric", METRIC, "--baseline", "langevin", "--label-key",
            "sampler.clip_fraction", "--at", "1000", *extra] + (["--report", report] if report else [])
    return subprocess.run(argv, capture_output=True, text=True, env=dict(os.environ, **(env or {})))


def last_line(out):
    """The pick's answer as study.cpp reads it: the last line, trailing newlines and spaces dropped."""
    return out.rstrip("\n ").rsplit("\n", 1)[-1]


def table_rows(text):
    """The report's per-arm table: {arm: {column: cell}}."""
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    return {cells[0]: dict(zip(head, cells)) for cells in
            ([c.strip() for c in line.strip("|").split("|")] for line in lines[2:])}


def test_rule():
    """(a) The pure functions against the hand computation, and the script's n on a pilot with known differences."""
    d = [0.5, -1.2, 2.3, 0.1, 1.7]
    for h, alpha in ((0.5, 0.05), (1.0, 0.05), (0.7, 0.1), (3.0, 0.05)):
        t, s, n = hand_n(d, 5, h, alpha)
        got_t, got_n = sp.stein_n(s, 5, 5, h, alpha)
        check(abs(got_t - t) < 1e-12 and got_n == n, f"stein_n(H={h}, α={alpha}) = {got_t, got_n}, by hand {t, n}")
    check(sp.stein_n(0.0, 5, 5, 1.0, 0.05)[1] == 5, "stein_n with SD 0 must be n0")
    check(sp.study_n([7, 12, None], 5, 20) == (20, 20), "an arm without an SD asks for the cap")
    check(sp.study_n([7, 12], 5, 20) == (12, 12) and sp.study_n([7, 40], 5, 20) == (40, 20), "study_n: max, then the cap")
    check(sp.study_n([5], 25, 20) == (25, 25), "a pilot over the cap runs no fewer seeds than it has")
    check(sp.second_stage(5, 9, 5) == [5, 6, 7, 8] and sp.second_stage(5, 5, 5) == [] and sp.override_line([]) == "none",
          f"second_stage: {sp.second_stage(5, 9, 5)}, {sp.second_stage(5, 5, 5)}")

    with tempfile.TemporaryDirectory() as tmp:
        # Two arms: q = 0.1 with the SD above, q = 0.3 with a smaller one; the study's n is q = 0.1's.
        small = [0.2, -0.1, 0.3, 0.0, 0.25]
        sweep = pilot(os.path.join(tmp, "pilot"), {0.1: d, 0.3: small})
        h = 1.0
        t, s, n = hand_n(d, 5, h)
        _, _, n_small = hand_n(small, 5, h)
        check(n > n_small and n > 5, f"fixture: n = {n} should exceed n0 and the other arm's {n_small}")
        md = os.path.join(tmp, "power.md")
        r = run([sweep], "--half-width", str(h), "--cap", "30", report=md)
        check(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-800:]}")
        want = "seed=" + ",".join(str(x) for x in range(5, n))
        check(last_line(r.stdout) == want, f"override {last_line(r.stdout)!r}, by hand {want!r}")
        text = open(md).read() if os.path.exists(md) else ""
        rows = table_rows(text) if text else {}
        row = rows.get("stanley clip_fraction=0.1", {})
        check(row.get("n computed") == str(n) and row.get("pilot n0") == "5" and row.get("cap") == "30"
              and row.get("n the study runs") == str(n) and row.get("cap binds") == "no",
              f"q = 0.1 row: {row}, want n computed {n}, n0 5, cap 30")
        check(row.get("SD of differences") == f"{s:.4g}" and row.get("t (df)") == f"{t:.4f} (4)",
              f"q = 0.1 SD and t: {row}, by hand {s:.4g}, {t:.4f} (4)")
        check(rows.get("stanley clip_fraction=0.3", {}).get("n computed") == str(n_small), f"q = 0.3 row: {rows}")
        check(text.startswith("# Seeds from power") and "Command: `analysis/seeds_from_pilot.py" in text
              and "Runs built from: abc1234" in text, "the report's title and provenance lines")
        check(f"the largest n over the arms, {n}; the cap (--cap) is 30, which does not bind" in text,
              "the report must state the study's n and the cap")
        # --next-seed moves the second stage; a --next-seed among the pilot seeds is refused.
        r = run([sweep], "--half-width", str(h), "--cap", "30", "--next-seed", "100")
        check(last_line(r.stdout) == "seed=" + ",".join(str(x) for x in range(100, 100 + n - 5)), f"--next-seed: {r.stdout!r}")
        r = run([sweep], "--half-width", str(h), "--cap", "30", "--next-seed", "3")
        check(r.returncode != 0 and "pilot seeds" in r.stderr and "seed=" not in r.stdout, f"--next-seed 3: {r.stderr!r}")


def test_cap_binds():
    """(b) A half-width the cap cannot reach: the study runs the cap, and the report says so."""
    d = [0.5, -1.2, 2.3, 0.1, 1.7]
    with tempfile.TemporaryDirectory() as tmp:
        sweep = pilot(os.path.join(tmp, "pilot"), {0.1: d})
        t, s, n = hand_n(d, 5, 0.2)
        check(n > 8, f"fixture: n = {n} should exceed the cap 8")
        md = os.path.join(tmp, "power.md")
        r = run([sweep], "--half-width", "0.2", "--cap", "8", report=md)
        check(last_line(r.stdout) == "seed=5,6,7", f"capped override {last_line(r.stdout)!r}, want seed=5,6,7")
        text = open(md).read() if os.path.exists(md) else ""
        row = table_rows(text).get("stanley clip_fraction=0.1", {}) if text else {}
        at_cap = t * s / math.sqrt(8)
        check(row.get("n computed") == str(n) and row.get("n the study runs") == "8" and row.get("cap binds") == "**yes**"
              and row.get("half-width at the study's n") == f"{at_cap:.4g}", f"capped row: {row}")
        check(f"**The cap binds for stanley clip_fraction=0.1**: n = {n} > cap 8" in text and f"= {at_cap:.4g}, above the "
              "target 0.2" in text and "which binds: the study runs 8 seeds" in text,
              "the report must say the cap binds, with the half-width at the cap")


def test_tiny_sd():
    """(c) A pilot that already meets the target: n = n0; no second stage: the pick prints `none` (the study
    skips the sweep that uses it) and the report says none is needed."""
    with tempfile.TemporaryDirectory() as tmp:
        d = [-1.0, -1.0 + 1e-6, -1.0 - 1e-6, -1.0 + 2e-6, -1.0]
        sweep = pilot(os.path.join(tmp, "pilot"), {0.1: d}, seeds=[10, 11, 12, 13, 14])
        md = os.path.join(tmp, "power.md")
        r = run([sweep], "--half-width", "0.5", "--cap", "20", report=md)
        check(r.returncode == 0 and last_line(r.stdout) == "none", f"n = n0: {r.stdout!r} {r.stderr[-500:]}")
        text = open(md).read() if os.path.exists(md) else ""
        row = table_rows(text).get("stanley clip_fraction=0.1", {}) if text else {}
        check(row.get("n computed") == "5" and row.get("pilot n0") == "5", f"n = n0 row: {row}")
        check("none needed (n = n0 = 5)" in text and "prints `none`" in text and "seed=15" not in text,
              "the report must say no second stage is needed, and run no seed")


def test_diverged_pilot_run():
    """(d) A run diverged before --at: its seed is left out of the SD and named; one diverged after --at is used."""
    d = [0.5, -1.2, 2.3, 0.1, 1.7, -0.4]
    with tempfile.TemporaryDirectory() as tmp:
        sweep = pilot(os.path.join(tmp, "pilot"), {0.1: d},
                      arm_status={(0.1, 3): ("diverged: iteration 700: |d| above the limit", [100.0])},
                      base_status={(None, 5): ("diverged: iteration 1200: non-finite energies", "kept")})
        # The baseline's seed 5 diverged after iteration 1000 and logged it: that seed is used.
        md = os.path.join(tmp, "power.md")
        r = run([sweep], "--half-width", "1.0", "--cap", "30", report=md)
        check(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-800:]}")
        used = [x for i, x in enumerate(d) if i != 3]
        t, s, n = hand_n(used, 6, 1.0)
        check(last_line(r.stdout) == "seed=" + ",".join(str(x) for x in range(6, n)),
              f"override with seed 3 left out: {last_line(r.stdout)!r}, by hand n = {n}")
        text = open(md).read() if os.path.exists(md) else ""
        row = table_rows(text).get("stanley clip_fraction=0.1", {}) if text else {}
        check(row.get("seeds used (m)") == "5 (0, 1, 2, 4, 5)" and row.get("t (df)") == f"{t:.4f} (4)"
              and row.get("SD of differences") == f"{s:.4g}" and row.get("n computed") == str(n),
              f"diverged-seed row: {row}, by hand t {t:.4f} (4), s {s:.4g}, n {n}")
        check("seed 3 (stanley clip_fraction=0.1 diverged at iteration 700)" in row.get("left out", ""),
              f"the left-out seed must be named: {row.get('left out')}")
        check("1 of 6 pilot seeds left out of the SD" in text, "the report must count the seeds left out")


def test_cli_contract():
    """(e) The last line is the override study.cpp hands the next sweep; a dry run prints it and writes nothing;
    nothing to compute from is a non-zero exit with one line and no override."""
    d = [0.5, -1.2, 2.3, 0.1, 1.7]
    with tempfile.TemporaryDirectory() as tmp:
        sweep = pilot(os.path.join(tmp, "pilot"), {0.1: d})
        _, _, n = hand_n(d, 5, 1.0)
        r = run([sweep], "--half-width", "1.0", "--cap", "20")
        words = shlex.split(last_line(r.stdout))  # study.cpp splits ${picked.N} as a POSIX shell splits words
        want = "seed=" + ",".join(str(x) for x in range(5, n))
        check(words == [want] and re.fullmatch(r"seed=\d+(,\d+)*", words[0] if words else ""),
              f"the override as the study reads it: {words}, want [{want!r}]")
        check(last_line(r.stdout) == r.stdout.strip(), f"stdout holds only the override: {r.stdout!r}")
        # Run directories (not a sweep) work too.
        runs = sorted(os.path.join(sweep, x) for x in os.listdir(sweep) if x.isdigit())
        check(last_line(run(runs, "--half-width", "1.0", "--cap", "20").stdout) == want, "run directories as arguments")

        md = os.path.join(tmp, "dry.md")
        r = run([sweep], "--half-width", "1.0", "--cap", "20", env={"STANLEY_STUDY_DRY_RUN": "1"}, report=md)
        check(r.returncode == 0 and last_line(r.stdout) == want and not os.path.exists(md),
              f"dry run: exit {r.returncode}, {r.stdout!r}, report {'written' if os.path.exists(md) else 'absent'}")

        def refused(paths, *extra, words=()):
            e = run(paths, *extra, report=md)
            err = [line for line in e.stderr.splitlines() if line.strip()]
            check(e.returncode != 0 and "seed=" not in e.stdout and not os.path.exists(md) and len(err) == 1
                  and err[0].startswith("seeds_from_pilot:") and all(w in err[0] for w in words),
                  f"{extra}: exit {e.returncode}, stdout {e.stdout!r}, stderr {e.stderr!r}, want one line naming {words}")

        running = pilot(os.path.join(tmp, "running"), {0.1: d}, arm_status={(0.1, 2): ("running", [100.0])})
        refused([running], "--half-width", "1.0", "--cap", "20", words=("not finished", "seed 2"))
        refused([os.path.join(tmp, "empty")], "--half-width", "1.0", "--cap", "20", words=("no run",))
        refused([sweep], "--half-width", "1.0", "--cap", "20", "--baseline", "hmc", words=("'hmc'", "no arm"))
        refused([sweep], "--half-width", "0", "--cap", "20", words=("--half-width",))
        refused([sweep], "--half-width", "1.0", "--cap", "20", "--at", "750", words=("iteration 750",))


def main():
    test_rule()
    test_cap_binds()
    test_tiny_sd()
    test_diverged_pilot_run()
    test_cli_contract()
    if FAILURES:
        print("\n".join(f"FAIL: {f}" for f in FAILURES))
        sys.exit(1)
    print("seeds_from_pilot: Stein's rule, the cap, n = n0, diverged pilot runs and the override checked")


if __name__ == "__main__":
    main()
