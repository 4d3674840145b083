"""`stanley study`: the smoke study, interrupted (SIGINT) in its tuning sweep, stops there (exit 130, no step
after it run); run again it finishes its tuning sweep, pick, main sweep and report; run again it redoes no
finished job; a sweep with a failed job stops the study before the steps after it (exit 1), and a script
killed by SIGTERM stops it too (exit 143); its dry run then lists the sweep after the pick (picking from the
finished runs, writing nothing); every shipped study lists its jobs with --dry-run, and with nothing run yet
lists every sweep that does not wait for a pick; a mistyped name is one line, exit 2; a study's own params
reach its jobs, and a missing data path or a mistyped param is one line, exit 2, before anything runs; a pick
that answers `none` skips the sweep that uses it and the study goes on.
usage: study_test.py STANLEY"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def run(*args):
    return subprocess.run([sys.argv[1], *args], capture_output=True, text=True, timeout=600)


def interrupted(tmp, failures):
    """SIGINT once the tuning sweep's first job has started: the study stops in step 1, its pick and later
    steps not run."""
    study = subprocess.Popen([sys.argv[1], "study", "smoke", f"dir={tmp}/s", "seeds=0,1", "jobs=2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not os.path.exists(f"{tmp}/s/tune/logs/0.txt") and study.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    study.send_signal(signal.SIGINT)
    _, err = study.communicate(timeout=300)
    if study.returncode != 130 or "stopped in step 1" not in err or os.path.exists(f"{tmp}/s/main") \
            or os.path.exists(f"{tmp}/s/tune.md"):
        failures.append(f"interrupted study: exit {study.returncode}, main/ {'made' if os.path.exists(f'{tmp}/s/main') else 'absent'}: {err[-1500:]}")


def configs_with_study(tmp, name, text):
    """A copy of the source tree's configs/ under tmp with one more study, configs/study/NAME.yaml = text."""
    configs = f"{tmp}/configs"
    if not os.path.exists(configs):
        shutil.copytree(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "configs"), configs)
    with open(f"{configs}/study/{name}.yaml", "w") as f:
        f.write(text)
    return configs


def stops_before_next_step(tmp, failures):
    """A job that fails (its dataset is missing) stops the study after its sweep: exit 1, the next step not
    run; a script stopped by a signal stops it too: 143."""
    configs = configs_with_study(tmp, "broken",
                                 "steps:\n"
                                 "  - sweep: [experiment=fmnist, scale=smoke, 'data.root=/nonexistent,/nonexistent2', threads=1]\n"
                                 "    dir: a\n"
                                 "  - report: [touch, '${dir}/after']\n")
    r = run("--config-dir", configs, "study", "broken", f"dir={tmp}/b", "jobs=2")
    if r.returncode != 1 or "has failed jobs" not in r.stderr or os.path.exists(f"{tmp}/b/after"):
        failures.append(f"study past a failed job: exit {r.returncode}, step after it "
                        f"{'ran' if os.path.exists(f'{tmp}/b/after') else 'not run'}: {r.stderr[-1000:]}")
    # As by Ctrl-C or a scheduler's SIGTERM.
    configs_with_study(tmp, "stopped", "steps:\n"
                                       "  - report: [sh, -c, 'kill -TERM $$']\n"
                                       "  - report: [touch, '${dir}/after']\n")
    os.makedirs(f"{tmp}/t")
    r = run("--config-dir", configs, "study", "stopped", f"dir={tmp}/t")
    if r.returncode != 143 or "stopped in step 1" not in r.stderr or os.path.exists(f"{tmp}/t/after"):
        failures.append(f"study past a stopped script: exit {r.returncode}: {r.stderr[-500:]}")


def skips_a_sweep_with_no_runs(tmp, failures):
    """A pick that answers `none` (no runs: a pilot that already met its target) skips the sweep that uses it,
    says so, and the study goes on to its next step."""
    configs = configs_with_study(tmp, "no_runs", "steps:\n"
                                                 "  - pick: [echo, none]\n"
                                                 "    name: power\n"
                                                 "  - sweep: [experiment=rings, scale=smoke, '${picked.power}', threads=1]\n"
                                                 "    dir: rest\n"
                                                 "  - report: [touch, '${dir}/after']\n")
    os.makedirs(f"{tmp}/n")
    r = run("--config-dir", configs, "study", "no_runs", f"dir={tmp}/n")
    if r.returncode != 0 or "sweep into " + f"{tmp}/n/rest skipped: pick power asks for no runs" not in r.stderr \
            or os.path.exists(f"{tmp}/n/rest") or not os.path.exists(f"{tmp}/n/after"):
        failures.append(f"a pick of no runs: exit {r.returncode}, rest/ {'made' if os.path.exists(f'{tmp}/n/rest') else 'absent'}, "
                        f"next step {'ran' if os.path.exists(f'{tmp}/n/after') else 'not run'}: {r.stderr[-800:]}")


def main():
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        stops_before_next_step(tmp, failures)
    with tempfile.TemporaryDirectory() as tmp:
        skips_a_sweep_with_no_runs(tmp, failures)
    with tempfile.TemporaryDirectory() as tmp:
        interrupted(tmp, failures)
        first = run("study", "smoke", f"dir={tmp}/s", "seeds=0,1", "jobs=2")
        if first.returncode != 0:
            failures.append(f"smoke study exit {first.returncode}: {first.stderr[-2000:]}")
        for f in ("tune.md", "paired.md"):
            if not os.path.exists(f"{tmp}/s/{f}"):
                failures.append(f"no {f}")
        main_runs = sorted(d for d in os.listdir(f"{tmp}/s/main") if d.isdigit()) if os.path.isdir(f"{tmp}/s/main") else []
        if len(main_runs) != 4:  # 2 arms x 2 seeds, each at its picked step
            failures.append(f"main sweep has {len(main_runs)} runs, not 4")
        if "picked best: " not in first.stderr:
            failures.append("the pick's overrides were not reported")
        again = run("study", "smoke", f"dir={tmp}/s", "seeds=0,1", "jobs=2")
        if again.returncode != 0 or again.stderr.count("continuing (") != 2:
            failures.append(f"rerun did not continue both sweeps: {again.stderr[-1500:]}")
        before = os.stat(f"{tmp}/s/tune.md").st_mtime_ns if os.path.exists(f"{tmp}/s/tune.md") else None
        dry = run("study", "smoke", f"dir={tmp}/s", "seeds=0,1", "--dry-run")
        if dry.returncode != 0 or "picked now" not in dry.stdout or "listed once" in dry.stdout:
            failures.append(f"the dry run did not list the sweep after the pick: {dry.stdout[-1500:]}")
        if before is not None and os.stat(f"{tmp}/s/tune.md").st_mtime_ns != before:
            failures.append("the dry run rewrote the pick's report")
    listed = run("study").stderr.split("studies: ")[-1].strip().split(", ")  # every shipped study
    if len(listed) < 3:
        failures.append(f"studies listed: {listed}")
    for name in listed:
        r = run("study", name, "--dry-run")
        if r.returncode != 0:
            failures.append(f"{name} --dry-run exit {r.returncode}: {r.stderr[-500:]}")
    # Nothing run yet: the sweep that uses the pick waits for it, the sweep after it that does not is listed.
    with tempfile.TemporaryDirectory() as tmp:
        fresh = run("study", "twin_clip", "--dry-run", f"dir={tmp}/c")
        if f"into {tmp}/c/main: listed once pick clip has runs" not in fresh.stdout or f"jobs into {tmp}/c/same_step" not in fresh.stdout:
            failures.append(f"fresh dry run of twin_clip: {fresh.stdout[-1500:]}")
    bad = run("study", "rings_pared")
    if bad.returncode != 2 or len(bad.stderr.strip().splitlines()) != 1 or "rings_paired" not in bad.stderr:
        failures.append(f"mistyped name: exit {bad.returncode}: {bad.stderr}")
    with tempfile.TemporaryDirectory() as tmp:
        listed_jobs = run("study", "fig6_paper", "--dry-run", f"celeba={tmp}/faces", "device=cpu", "seeds=7")
        if listed_jobs.returncode != 0 or f"data.root={tmp}/faces" not in listed_jobs.stdout or \
                "device=cpu" not in listed_jobs.stdout or "seed=7" not in listed_jobs.stdout:
            failures.append(f"params did not reach the dry run's jobs: {listed_jobs.stdout[-800:]} {listed_jobs.stderr[-300:]}")
        missing = run("study", "fig6_paper", f"celeba={tmp}/faces", f"dir={tmp}/out")
        if missing.returncode != 2 or len(missing.stderr.strip().splitlines()) != 1 or f"{tmp}/faces" not in missing.stderr \
                or os.path.exists(f"{tmp}/out"):
            failures.append(f"missing data path: exit {missing.returncode}: {missing.stderr}")
        no_weights = run("study", "fig5_paper", f"celeba={tmp}", f"dir={tmp}/out")
        if no_weights.returncode != 2 or "inception" not in no_weights.stderr or os.path.exists(f"{tmp}/out"):
            failures.append(f"param without a value: exit {no_weights.returncode}: {no_weights.stderr}")
        typo = run("study", "fig6_paper", "celba=/x")
        if typo.returncode != 2 or len(typo.stderr.strip().splitlines()) != 1 or "closest: celeba" not in typo.stderr:
            failures.append(f"mistyped param: exit {typo.returncode}: {typo.stderr}")
    print("\n".join(failures) or "study: smoke study ran, reran, dry runs listed, bad name refused, params checked")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
