"""Every trial value the key declarations accept for rings and fmnist at scale=smoke runs to the end (exit 0),
or is refused with exit 2 and one line before its run directory exists; a sample of the values refused at
compose time is refused the same way by the program. Never a signal, never exit 1 or 3.
The decisions come from key_declarations_test (which writes key_values.tsv in its working directory).
usage: key_values_run_test.py STANLEY KEY_DECLARATIONS_TEST"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

REFUSED_SAMPLE = 12  # the refusal path is one code path (compose); a sample shows the program takes it


def main():
    stanley, decl_test = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([decl_test, "--gtest_filter=KeyDeclarations.TrialValues*"], cwd=tmp, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"key_declarations_test failed:\n{r.stdout[-3000:]}")
        rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(tmp, "key_values.tsv"))]
        accepted = [row[1:] for row in rows if row[0] == "accepted"]
        refused = [row[1:] for row in rows if row[0] == "refused" and row[1] == "rings" and row[2] == "stanley"]
        step = max(1, len(refused) // REFUSED_SAMPLE)
        cases = [("accepted", *a) for a in accepted] + [("refused", *a) for a in refused[::step]]

        def run(i_case):
            i, (kind, experiment, sampler, override) = i_case
            run_dir = os.path.join(tmp, f"run{i}")
            cmd = [stanley, "run", f"experiment={experiment}", "scale=smoke", f"sampler={sampler}", override,
                   f"run.dir={run_dir}", "threads=1"]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            err = p.stderr.strip()
            problem = None
            if p.returncode == 0:
                if kind == "refused":
                    problem = "ran although compose refuses it"
            elif p.returncode == 2:
                if len(err.splitlines()) != 1:
                    problem = f"exit 2 with {len(err.splitlines())} lines on stderr"
                elif os.path.exists(run_dir):
                    problem = "exit 2 after its run directory was created"
            else:
                problem = f"exit {p.returncode}"
            return kind, " ".join(cmd[2:6]), p.returncode, problem, err.splitlines()[-1] if err else ""

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(run, enumerate(cases)))
    bad = [r for r in results if r[3]]
    for kind, cmd, rc, problem, last in results:
        print(f"{'FAIL' if problem else 'ok  '} {kind:8} exit {rc:3}  {cmd}  {problem or ''}  {last[:160]}")
    ran = sum(1 for r in results if r[0] == "accepted" and r[2] == 0)
    print(f"{len(accepted)} accepted values: {ran} ran to the end, "
          f"{sum(1 for r in results if r[0] == 'accepted' and r[2] == 2)} refused by the program; "
          f"{len(cases) - len(accepted)} refused values tried; {len(bad)} failures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
