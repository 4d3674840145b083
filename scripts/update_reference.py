#!/usr/bin/env python3
"""Records the CI regression references (`make update-reference`): each check's run over SEEDS seeds,
its metric's mean and standard deviation, and the tolerance derived from that spread, written to
tests/baselines/<check>.yaml. The regression test runs seed 0 and fails when its metric leaves
reference ± tolerance, where the tolerance is the 99% prediction interval of one new seed,
t(0.995, n-1) * sd * sqrt(1 + 1/n): a change that moves the metric by more than seed-to-seed noise.

usage: update_reference.py STANLEY_BINARY SOURCE_DIR [--seeds N] [--only CHECK]
"""
import argparse
import datetime
import math
import pathlib
import platform
import subprocess
import sys
import tempfile

import h5py
import scipy.stats

# check name -> (overrides, metric read at its last evaluation)
CHECKS = {
    "fmnist_ci": (["experiment=fmnist", "scale=ci", "sampler=stanley", "threads=2"], "fid_fmnist"),
    # th=0.1: at smoke scale |∇f| < 1 everywhere, so the rings default th = 1.0 clips nothing and
    # STANLEY would equal Langevin to the bit.
    "rings_smoke_stanley": (["experiment=rings", "scale=smoke", "sampler=stanley", "sampler.th=0.1", "threads=1"], "kl_samples"),
    "rings_smoke_langevin": (["experiment=rings", "scale=smoke", "sampler=langevin", "threads=1"], "kl_samples"),
}


def last_value(run_dir, metric):
    with h5py.File(run_dir / "metrics.h5", "r") as f:
        return float(f[f"scalars/{metric}/value"][-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("source")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--only", choices=sorted(CHECKS))
    a = ap.parse_args()
    if a.seeds < 5:
        sys.exit("update_reference: the tolerance needs at least 5 seeds")
    out_dir = pathlib.Path(a.source) / "tests" / "baselines"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        cache = tmp / "cache"  # one feature network for every seed, as a fresh CI cache trains it
        for name, (overrides, metric) in CHECKS.items():
            if a.only and name != a.only:
                continue
            values = []
            for seed in range(a.seeds):
                run = tmp / f"{name}_{seed}"
                cmd = [a.binary, "--config-dir", str(pathlib.Path(a.source) / "configs"), "run", *overrides,
                       f"seed={seed}", f"run.dir={run}", f"data.cache_dir={cache}"]
                if "experiment=rings" in overrides:
                    cmd.remove(f"data.cache_dir={cache}")
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    sys.exit(f"update_reference: {' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
                values.append(last_value(run, metric))
                print(f"{name} seed {seed}: {metric} {values[-1]:.4f}", flush=True)
            n = len(values)
            mean = sum(values) / n
            sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
            t = scipy.stats.t.ppf(0.995, n - 1)
            tol = t * sd * math.sqrt(1 + 1 / n)
            text = (
                f"# CI regression reference, written by `make update-reference` (scripts/update_reference.py).\n"
                f"# {datetime.date.today()} on {platform.platform()}.\n"
                f"# The test runs seed 0 and fails outside reference +- tolerance; tolerance = t(0.995, {n - 1})"
                f" * sd * sqrt(1 + 1/{n}),\n# the 99% prediction interval of one new seed from these {n} seeds.\n"
                f"command: [{', '.join(overrides)}]\n"
                f"metric: {metric}\n"
                f"seed0: {values[0]:.6g}\n"
                f"reference: {mean:.6g}\n"
                f"sd: {sd:.6g}\n"
                f"tolerance: {tol:.6g}\n"
                f"values: [{', '.join(f'{v:.6g}' for v in values)}]\n"
            )
            (out_dir / f"{name}.yaml").write_text(text)
            print(f"{name}: {metric} {mean:.4f} +- {sd:.4f} (n={n}); tolerance {tol:.4f} -> {out_dir / (name + '.yaml')}")


if __name__ == "__main__":
    main()
