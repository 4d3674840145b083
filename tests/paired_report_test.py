#!/usr/bin/env python3
"""CTest paired_report: analysis/paired_report.py on synthetic runs whose seeds move the metric by ±10
and whose sampler difference is −1 on every seed: the paired interval must exclude 0 and say so, while
the unpaired interval over the same runs spans 0; a difference of 0 must not be called. A third arm
diverges on one seed after iteration 500: it is listed with where it stopped, and compared at 1,000 over
the other seeds only, saying so; a fourth arm's run still running is listed as not finished."""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fake_runs import fake_sweep  # noqa: E402

SCRIPT = os.path.join(HERE, "..", "analysis", "paired_report.py")


def run(path, sampler, seed, values, status="finished"):
    os.makedirs(path)
    with h5py.File(os.path.join(path, "metrics.h5"), "w") as f:
        f.attrs["status"] = status
        f.attrs["config"] = yaml.safe_dump({"seed": seed, "sampler": {"name": sampler}})
        f.attrs["sampler"] = sampler
        f.attrs["seed"] = seed
        f.attrs["git_sha"] = "abc1234"
        f["scalars/kl/step"] = np.array([500, 1000][:len(values)])
        f["scalars/kl/value"] = np.asarray(values, float)


def report(sweep, extra=()):
    out = subprocess.run([sys.executable, SCRIPT, sweep, "--metric", "kl", "--baseline", "langevin", "--at", "500,1000",
                          *extra], capture_output=True, text=True, check=True).stdout
    return out


def main():
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        sweep = fake_sweep(os.path.join(tmp, "sweep"))
        job = 0
        for seed in range(6):
            luck = 10 * rng.standard_normal()
            run(os.path.join(sweep, str(job)), "langevin", seed, [20 + luck, 20 + luck])
            # iteration 500: 1 lower on every seed (± 0.05); iteration 1000: the same as the baseline
            run(os.path.join(sweep, str(job + 1)), "stanley", seed, [19 + luck + 0.05 * rng.standard_normal(), 20 + luck])
            # gd: 2 higher everywhere; seed 0 diverged after iteration 500
            gd = [22 + luck] if seed == 0 else [22 + luck, 22 + luck + 0.05 * rng.standard_normal()]
            run(os.path.join(sweep, str(job + 2)), "gd", seed, gd, "diverged: iteration 612" if seed == 0 else "finished")
            # hmc: still running on seed 5 (a partial report must say so)
            hmc = [20 + luck] if seed == 5 else [20 + luck, 20 + luck]
            run(os.path.join(sweep, str(job + 3)), "hmc", seed, hmc, "running" if seed == 5 else "finished")
            job += 4
        text = report(sweep)
        assert "| hmc | 0 of 6 | — | seed 5 (running, last logged 500) |" in text, text
        assert "| gd | 1 of 6 | seed 0 (last logged 500) |" in text, text
        gd_rows = [line for line in text.splitlines() if line.startswith("| gd | 1000 | 5 of 6 |")]
        assert len(gd_rows) == 1, text
        assert "iteration 1000 (the 5 seeds on which both got there): **gd worse**" in text, text
        assert "| stanley | 1 of 6 |" not in text and "| stanley | 0 of 6 | — |" in text, text
        rows = [line for line in text.splitlines() if line.startswith(("| stanley | 500 |", "| stanley | 1000 |"))]
        assert len(rows) == 2, text
        cells = [c.strip() for c in rows[0].split("|")]
        lo, hi = (float(x) for x in cells[6].strip("[]").split(","))
        ulo, uhi = (float(x) for x in cells[9].strip("[]").split(","))
        assert hi < 0 and lo > -1.2, f"paired interval {lo}, {hi} should hold -1 and exclude 0"
        assert ulo < 0 < uhi, f"unpaired interval {ulo}, {uhi} should span 0 with seed luck of ±10"
        assert "iteration 500: **stanley better**" in text, text
        assert "iteration 1000: stanley: no difference from langevin resolved" in text, text
        flipped = report(sweep, ["--higher-is-better"])
        assert "iteration 500: **stanley worse**" in flipped, flipped
    print("paired_report: paired interval resolves what the unpaired one cannot")


if __name__ == "__main__":
    main()
