"""`stanley study`: the smoke study runs its tuning sweep, pick, main sweep and report; run again it redoes no
finished job; every shipped study lists its jobs with --dry-run; a mistyped name is one line, exit 2.
usage: study_test.py STANLEY"""
import os
import subprocess
import sys
import tempfile


def run(*args):
    return subprocess.run([sys.argv[1], *args], capture_output=True, text=True, timeout=600)


def main():
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
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
    listed = run("study").stderr.split("studies: ")[-1].strip().split(", ")  # every shipped study
    if len(listed) < 3:
        failures.append(f"studies listed: {listed}")
    for name in listed:
        r = run("study", name, "--dry-run")
        if r.returncode != 0:
            failures.append(f"{name} --dry-run exit {r.returncode}: {r.stderr[-500:]}")
    bad = run("study", "rings_pared")
    if bad.returncode != 2 or len(bad.stderr.strip().splitlines()) != 1 or "rings_paired" not in bad.stderr:
        failures.append(f"mistyped name: exit {bad.returncode}: {bad.stderr}")
    print("\n".join(failures) or "study: smoke study ran, reran, dry runs listed, bad name refused")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
