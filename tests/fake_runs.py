"""Synthetic run and sweep directories for the analysis scripts' tests: a metrics.h5 with the attributes
and scalars the program writes (config, sampler, status; scalars/<name>/{step,value}), so the scripts are
tested apart from training."""
import os

import h5py
import numpy as np
import yaml


def fake_sweep(path):
    """A directory that run_dirs() reads as a sweep (its numbered subdirectories are the runs)."""
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "sweep.yaml"), "w") as f:
        f.write("jobs: []\n")
    return path


def fake_run(path, sampler, d_end, step=1.0, fid=None, status="finished", iters=500, warn_abs_d=5.0, accept_end=None,
             seed=0, clip_fraction=None, train_iters=None):
    """d = f_diff rises linearly from 0 to d_end over the logs (every 50 iterations); fid_fmnist_train is
    550 at iteration 0 and `fid` at the end; MH samplers (accept_end set) log an acceptance falling from 0.9.
    The config holds the seed, the planned iterations (train.iters: train_iters, default max(iters, 500), so
    that a run stopped early planned the usual 500) and the run's directory (run.dir), as the program writes them."""
    os.makedirs(path)
    cfg = {"sampler": {"step_size": step}, "seed": seed, "run": {"dir": path},
           "train": {"warn_abs_d": warn_abs_d, "iters": max(iters, 500) if train_iters is None else train_iters}}
    if clip_fraction is not None:
        cfg["sampler"]["clip_fraction"] = clip_fraction
    with h5py.File(os.path.join(path, "metrics.h5"), "w") as f:
        f.attrs["config"] = yaml.safe_dump(cfg)
        f.attrs["sampler"] = sampler
        f.attrs["status"] = status
        steps = np.arange(50, iters + 1, 50)
        f["scalars/f_diff/step"] = steps
        f["scalars/f_diff/value"] = np.linspace(0.0, d_end, len(steps))
        if fid is not None:
            f["scalars/fid_fmnist_train/step"] = np.array([0, iters])
            f["scalars/fid_fmnist_train/value"] = np.array([550.0, fid])
        if accept_end is not None:
            f["scalars/chain_accept_rate/step"] = steps
            f["scalars/chain_accept_rate/value"] = np.linspace(0.9, accept_end, len(steps))


def lucky_seed_grid(**arm):
    """A tuning grid over seeds 0 and 1 where the best single run is a step that diverges on the other seed:
    step 8 scores 100 on seed 0 and diverges (iteration 300) on seed 1; step 2 scores 110 and 180; step 4,
    130 and 150, is best on average. `arm` (sampler=..., clip_fraction=...) is set on every run."""
    return [dict(arm, step=8, fid=100.0, d_end=1.0, seed=0),
            dict(arm, step=8, fid=110.0, d_end=1.0, seed=1, status="diverged", iters=300),
            dict(arm, step=4, fid=130.0, d_end=1.0, seed=0),
            dict(arm, step=4, fid=150.0, d_end=2.0, seed=1),
            dict(arm, step=2, fid=110.0, d_end=1.0, seed=0),
            dict(arm, step=2, fid=180.0, d_end=1.0, seed=1)]


def fake_paired_run(path, sampler, seed, values, steps=(500, 1000), status="finished", metric="kl", sampler_cfg=None,
                    git_sha="abc1234"):
    """A run of one arm on one seed for the paired report: `metric` logged at the first len(values) of `steps`
    (a run that diverged or is still running logs fewer), the seed as an attribute and in the config, and
    sampler_cfg (say {"clip_fraction": 0.1}) in the config's sampler section for --label-key/--group-key.
    A diverged run's status names its iteration as the trainer words it: `diverged: iteration N: ...`."""
    os.makedirs(path)
    with h5py.File(os.path.join(path, "metrics.h5"), "w") as f:
        f.attrs["status"] = status
        f.attrs["config"] = yaml.safe_dump({"seed": seed, "sampler": dict({"name": sampler}, **(sampler_cfg or {}))})
        f.attrs["sampler"] = sampler
        f.attrs["seed"] = seed
        f.attrs["git_sha"] = git_sha
        if values is not None:
            f[f"scalars/{metric}/step"] = np.asarray(list(steps)[:len(values)], np.int64)
            f[f"scalars/{metric}/value"] = np.asarray(values, float)


def paired_sweep(path, arms, steps=(500, 1000), metric="kl"):
    """A sweep of paired runs: arms = {label: [(seed, values, status), ...]} (status optional), one numbered
    job per run. A label 'name key=value' sets sampler.key in the config (for --label-key sampler.key)."""
    fake_sweep(path)
    job = 0
    for label, runs in arms.items():
        name, *settings = label.split()
        cfg = {k: yaml.safe_load(v) for k, v in (s.split("=", 1) for s in settings)}
        for run in runs:
            seed, values, status = (tuple(run) + ("finished",))[:3]
            fake_paired_run(os.path.join(path, str(job)), name, seed, values, steps, status, metric, cfg)
            job += 1
    return path


def run_pick(script, runs, *extra, arm=None, run_defaults=None):
    """(exit status, stdout, stderr, report or "") of a pick script (pick_best.py, pick_per_arm.py with `arm`)
    over a fresh sweep of fake `runs` (each a fake_run's keywords over `run_defaults`), as a study runs it."""
    import subprocess
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        fake_sweep(tmp)
        for i, r in enumerate(runs):
            fake_run(os.path.join(tmp, str(i)), **{**(run_defaults or {}), **r})
        report = os.path.join(tmp, "tune.md")
        out = subprocess.run([sys.executable, script, tmp, "--metric", "fid_fmnist_train", *(["--arm", arm] if arm else []),
                              "--keys", "sampler.step_size", "--report", report, *extra], capture_output=True, text=True)
        md = ""
        if os.path.exists(report):
            with open(report) as f:
                md = f.read()
        return out.returncode, out.stdout.strip(), out.stderr.strip(), md
