#!/usr/bin/env python3
"""`make gpu-check`: the suite on a GPU, in one command, under 5 minutes after the build.

1. Every path runs on CUDA (jobs side by side): every experiment at scale=smoke with evaluation on
   (classifier FID, KID, and Inception FID through a random-weight export when torchvision is there),
   every sampler, sampler.cuda_graph on, fp32 / bf16 / channels-last, and a run killed with SIGKILL
   and resumed that must end at an uninterrupted run's numbers (its last checkpoint tensor by tensor).
2. Iteration times alone on the GPU (median of a run's logged intervals): rings, the Fashion-MNIST
   twin and the CIFAR-10 paper iteration (synthetic CIFAR files), eager / CUDA graph / bf16 /
   channels-last, beside the same loop in PyTorch-Python (bench/reference/ebm_iteration.py).
3. Aggregate throughput of twin jobs sharing the GPU (`run -m ... jobs=N device=cuda`).

One Markdown table printed and written to OUT/gpu_check.md (with JSON beside it). On a build or a
machine without CUDA it refuses with one line and exit 2.

usage: gpu_check.py [--build build-cuda] [--fixtures build-gpu/fixtures] [--out results/gpu_check]
       [--jobs 8] [--python python3] [--skip-timing]
       gpu_check.py --compose-only [--build build]   (any build: every job's overrides compose; CTest)
"""
import argparse
import concurrent.futures
import datetime
import glob
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

SAMPLERS = ["langevin", "stanley", "mala", "hmc", "gd", "psgld", "tamed", "stanley_mh"]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def refuse(msg):
    print(f"gpu-check: {msg}", file=sys.stderr)
    sys.exit(2)


class Check:
    def __init__(self, a):
        self.a = a
        self.stanley = os.path.join(a.build, "stanley")
        self.out = os.path.abspath(a.out)
        self.runs = os.path.join(self.out, "runs")
        self.env = dict(os.environ)
        env_file = os.path.join(a.build, "env.sh")
        if os.path.exists(env_file):  # a prefix build's library path (scripts/build_cuda.sh)
            for line in open(env_file):
                m = re.match(r"export LD_LIBRARY_PATH=([^$\s]+)", line.strip())
                if m:
                    self.env["LD_LIBRARY_PATH"] = m.group(1) + (":" + self.env["LD_LIBRARY_PATH"]
                                                                  if self.env.get("LD_LIBRARY_PATH") else "")
        self.env["HDF5_USE_FILE_LOCKING"] = "FALSE"
        fx = os.path.abspath(a.fixtures)
        self.data = {"fmnist": [f"data.root={fx}/fashion-mnist"], "cifar10": [f"data.root={fx}/cifar10"],
                     "flowers": [f"data.root={fx}/flowers102"], "celeba": [f"data.root={fx}/celeba"]}
        self.data["fmnist_inpaint"] = self.data["fmnist"]
        self.data["celeba_inpaint"] = self.data["celeba"]
        self.data["rings"] = []
        self.inception = None

    def stanley_cmd(self, args):
        return [self.stanley] + args

    def run(self, name, args, timeout=240):
        """One `stanley run` into OUT/runs/NAME; returns its row."""
        run_dir = os.path.join(self.runs, name)
        shutil.rmtree(run_dir, ignore_errors=True)
        t0 = time.time()
        p = subprocess.run(self.stanley_cmd(["run"] + args + [f"run.dir={run_dir}"]), capture_output=True, text=True,
                           env=self.env, timeout=timeout)
        row = dict(name=name, rc=p.returncode, seconds=round(time.time() - t0, 1), args=" ".join(args))
        log = read(os.path.join(run_dir, "log.txt"))
        evals = re.findall(r"eval iter (\d+)(?: \([0-9.]+ s\))?:(.*)", log)
        row["last_eval"] = f"iter {evals[-1][0]}:{evals[-1][1]}" if evals else ""
        m = re.search(r"median ([\d.]+) ms per iteration", log)
        row["ms"] = float(m.group(1)) if m else None
        if p.returncode != 0:
            row["error"] = (p.stderr.strip().splitlines() or ["(no message)"])[-1][:300]
        return row

    def probe(self):
        if not os.path.exists(self.stanley):
            refuse(f"no {self.stanley}: build it on a GPU machine with scripts/build_cuda.sh (README \"On a GPU\")")
        row = self.run("probe", ["experiment=rings", "scale=smoke", "device=cuda", "train.iters=1", "eval.every=0"], 120)
        if row["rc"] != 0:
            refuse(f"{self.stanley} cannot run on CUDA here ({row.get('error', 'exit %d' % row['rc'])})")

    def export_inception(self):
        path = os.path.join(self.out, "inception_random.pt")
        p = subprocess.run([self.a.python, os.path.join(ROOT, "analysis", "export_inception.py"), "--random-weights",
                            "--out", path], capture_output=True, text=True, env=self.env)
        if p.returncode == 0 and os.path.exists(path):
            self.inception = path
            return "exported (random weights)"
        return "skipped: " + ((p.stderr.strip().splitlines() or ["export failed"])[-1])[:120]

    # 1. Correctness ------------------------------------------------------------------------------------
    def correctness_jobs(self):
        cuda = ["device=cuda", "threads=2"]
        jobs = []
        for exp in ["rings", "fmnist", "fmnist_inpaint", "cifar10", "flowers", "celeba", "celeba_inpaint"]:
            extra = []
            if exp == "cifar10":
                extra = ["eval.kid=true", "features.classifier.name=cifar10"]
                extra.append("eval.extractors=[classifier,inception]" if self.inception else "eval.extractors=[classifier]")
            elif exp in ("flowers", "celeba", "celeba_inpaint"):
                extra = ["eval.kid=true", "eval.extractors=[inception]" if self.inception else "eval.extractors=[]"]
            if self.inception and exp != "rings":
                extra.append(f"features.inception.path={self.inception}")
            jobs.append((f"experiment/{exp}", [f"experiment={exp}", "scale=smoke"] + self.data[exp] + extra + cuda))
        fm = ["experiment=fmnist", "scale=smoke"] + self.data["fmnist"] + cuda
        for s in SAMPLERS:
            jobs.append((f"sampler/{s}", fm + [f"sampler={s}"]))
            jobs.append((f"cuda_graph/fmnist_{s}", fm + [f"sampler={s}", "sampler.cuda_graph=true",
                                                         "++sampler.adapt_step=false"]))
        for s in ["langevin", "stanley"]:
            jobs.append((f"cuda_graph/rings_{s}", ["experiment=rings", "scale=smoke", f"sampler={s}",
                                                   "sampler.cuda_graph=true"] + cuda))
        for label, p in [("fp32", ["precision=fp32"]), ("bf16", ["precision=bf16"]),
                         ("bf16_channels_last", ["precision=bf16", "channels_last=true"]),
                         ("fp32_channels_last", ["precision=fp32", "channels_last=true"]),
                         ("auto_mala_is_fp32", ["precision=auto", "sampler=mala"])]:
            jobs.append((f"precision/fmnist_{label}", fm + p))
        jobs.append(("precision/cifar10_bf16_channels_last_graph",
                     ["experiment=cifar10", "scale=smoke", "precision=bf16", "channels_last=true", "sampler=stanley",
                      "sampler.cuda_graph=true"] + self.data["cifar10"] + cuda))
        return jobs

    def kill_and_resume(self):
        """A run killed by SIGKILL after its first checkpoint, resumed: the same last checkpoint and metrics."""
        args = ["experiment=fmnist", "scale=smoke", "sampler=stanley", "train.iters=400", "train.ckpt_every=50",
                "eval.every=200", "log.every=10", "device=cuda", "threads=2"] + self.data["fmnist"]
        ref = self.run("resume/uninterrupted", args)
        killed_dir = os.path.join(self.runs, "resume", "killed")
        shutil.rmtree(killed_dir, ignore_errors=True)
        p = subprocess.Popen(self.stanley_cmd(["run"] + args + [f"run.dir={killed_dir}"]), env=self.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        killed_at = None
        deadline = time.time() + 120
        while time.time() < deadline and p.poll() is None:
            ckpts = glob.glob(os.path.join(killed_dir, "checkpoints", "iter_*.pt"))
            if ckpts:
                p.send_signal(signal.SIGKILL)
                killed_at = max(int(re.search(r"iter_(\d+)", c).group(1)) for c in ckpts)
                break
            time.sleep(0.02)
        p.wait()
        row = dict(name="resume/killed_then_resumed", args=" ".join(args))
        if killed_at is None:
            row.update(rc=1, error="the run ended before a checkpoint appeared: nothing was killed")
            return [ref, row]
        r = subprocess.run(self.stanley_cmd(["resume", killed_dir]), capture_output=True, text=True, env=self.env)
        last = "checkpoints/iter_0000400.pt"
        ref_run = os.path.join(self.runs, "resume", "uninterrupted")
        same_ckpt, detail = self.same_checkpoint(os.path.join(ref_run, last), os.path.join(killed_dir, last))
        evals = lambda d: re.findall(r"eval iter (\d+)(?: \([0-9.]+ s\))?:(.*)", read(os.path.join(d, "log.txt")))  # noqa: E731
        same_eval = evals(ref_run)[-1:] == evals(killed_dir)[-1:]
        row.update(rc=r.returncode if r.returncode else (0 if same_ckpt and same_eval else 1), seconds=None,
                   last_eval=f"killed after checkpoint {killed_at}; final checkpoint {detail}; "
                             f"final evaluation line {'identical' if same_eval else 'DIFFERS'}")
        if r.returncode:
            row["error"] = (r.stderr.strip().splitlines() or ["resume failed"])[-1][:300]
        return [ref, row]

    def same_checkpoint(self, a, b):
        """Tensor by tensor (python3's torch): model, generators, carried sampler state. The archive's bytes
        differ between processes (the optimizer's state is keyed by parameter addresses), and so does
        config_hash (the run directory is part of a run's identity)."""
        code = ("import sys, torch\n"
                "a, b = (torch.jit.load(f, map_location='cpu').state_dict() for f in sys.argv[1:3])\n"
                "keys = [k for k in a if k != 'config_hash' and '0x' not in k]\n"
                "bad = [k for k in keys if k not in b or not torch.equal(a[k], b[k])]\n"
                "print(len(keys), ' '.join(bad))\n")
        p = subprocess.run([self.a.python, "-c", code, a, b], capture_output=True, text=True, env=self.env)
        if p.returncode != 0:
            return False, "not compared: " + ((p.stderr.strip().splitlines() or ["python failed"])[-1])[:120]
        n, *bad = p.stdout.split()
        return (not bad and int(n) > 0), (f"{n} tensors identical" if not bad else f"differs in {' '.join(bad)[:120]}")

    # 2. Timing -----------------------------------------------------------------------------------------
    def timing_jobs(self):
        t = ["device=cuda", "threads=4", "eval.every=0", "train.ckpt_every=100000", "deterministic=false"]
        rings = ["experiment=rings", "scale=paper", "train.iters=300", "log.every=20"] + t
        img = t + ["log.grid_every=0"]
        twin = ["experiment=fmnist", "scale=twin", "train.iters=400", "log.every=25"] + self.data["fmnist"] + img
        cifar = ["experiment=cifar10", "scale=paper", "train.iters=50", "log.every=5"] + self.data["cifar10"] + img
        graph = ["sampler.cuda_graph=true"]
        return [
            ("rings M=100 K=100", "langevin eager", rings + ["sampler=langevin"]),
            ("rings M=100 K=100", "langevin graph", rings + ["sampler=langevin"] + graph),
            ("rings M=100 K=100", "stanley graph", rings + ["sampler=stanley"] + graph),
            ("fmnist twin M=32 K=10", "langevin fp32 eager", twin + ["sampler=langevin", "precision=fp32"]),
            ("fmnist twin M=32 K=10", "langevin bf16+cl eager", twin + ["sampler=langevin", "precision=auto"]),
            ("fmnist twin M=32 K=10", "langevin bf16+cl graph", twin + ["sampler=langevin", "precision=auto"] + graph),
            ("cifar10 paper M=64 K=100", "langevin fp32 eager", cifar + ["sampler=langevin", "precision=fp32"]),
            ("cifar10 paper M=64 K=100", "langevin fp32 eager, deterministic", cifar +
             ["sampler=langevin", "precision=fp32", "deterministic=true"]),
            ("cifar10 paper M=64 K=100", "langevin bf16+cl eager", cifar + ["sampler=langevin", "precision=auto"]),
            ("cifar10 paper M=64 K=100", "langevin bf16+cl graph", cifar + ["sampler=langevin", "precision=auto"] + graph),
            ("cifar10 paper M=64 K=100", "stanley bf16+cl graph", cifar + ["sampler=stanley", "precision=auto"] + graph),
        ]

    def python_twin(self, case, bf16=False):
        cmd = [self.a.python, os.path.join(ROOT, "bench", "reference", "ebm_iteration.py"), case, "--device", "cuda",
               "--seconds", "4"] + (["--bf16"] if bf16 else [])
        p = subprocess.run(cmd, capture_output=True, text=True, env=self.env, timeout=120)
        if p.returncode != 0:
            return None, (p.stderr.strip().splitlines() or ["failed"])[-1][:200]
        return 1e3 * json.loads(p.stdout)["seconds_per_iteration"], ""

    def aggregate(self, n):
        name = f"aggregate/twin_jobs{n}"
        sweep_dir = os.path.join(self.runs, name)
        shutil.rmtree(sweep_dir, ignore_errors=True)
        seeds = ",".join(str(i) for i in range(n))
        args = ["run", "-m", "experiment=fmnist", "scale=twin", "train.iters=400", "log.every=25", "eval.every=0",
                "train.ckpt_every=100000", "log.grid_every=0", "device=cuda", "deterministic=false", f"seed={seeds}",
                f"jobs={n}", f"run.dir={sweep_dir}", "--wait"] + self.data["fmnist"]
        t0 = time.time()
        p = subprocess.run(self.stanley_cmd(args), capture_output=True, text=True, env=self.env, timeout=300)
        wall = time.time() - t0
        ms = []
        for log in glob.glob(os.path.join(sweep_dir, "**", "log.txt"), recursive=True):
            m = re.search(r"median ([\d.]+) ms per iteration", read(log))
            if m:
                ms.append(float(m.group(1)))
        return dict(n=n, rc=p.returncode, finished=len(ms), wall=round(wall, 1),
                    it_per_s=round(sum(1e3 / x for x in ms), 1) if ms else None,
                    per_job_ms=round(statistics.median(ms), 2) if ms else None,
                    error="" if p.returncode == 0 else (p.stderr.strip().splitlines() or [""])[-1][:200])


def compose_only(c):
    """Every job of the check composes on this build (no GPU needed): a renamed key fails here, not on a GPU."""
    c.inception = "inception.pt"
    jobs = [(n, args) for n, args in c.correctness_jobs()]
    jobs += [(f"timing {w} {v}", args) for w, v, args in c.timing_jobs()]
    def compose(job):
        name, args = job
        p = subprocess.run(c.stanley_cmd(["run"] + args + ["--cfg", "job"]), capture_output=True, text=True, env=c.env)
        return None if p.returncode == 0 else f"{name}: {(p.stderr.strip().splitlines() or ['exit %d' % p.returncode])[-1]}"

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:  # each process mostly loads libtorch
        bad = [b for b in pool.map(compose, jobs) if b]
    print("\n".join(bad) or f"gpu-check: all {len(jobs)} jobs compose")
    return 1 if bad else 0


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def gpu_name(env):
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                              text=True, env=env, timeout=30).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown GPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-cuda")
    ap.add_argument("--fixtures", default="build-gpu/fixtures")
    ap.add_argument("--out", default="results/gpu_check")
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--python", default="python3")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--compose-only", action="store_true", help="check that every job composes (--cfg job), run nothing")
    a = ap.parse_args()
    t_start = time.time()
    c = Check(a)
    if a.compose_only:
        sys.exit(compose_only(c))
    os.makedirs(c.runs, exist_ok=True)
    c.probe()
    missing = [d for d in ("fashion-mnist", "cifar10", "flowers102", "celeba") if not os.path.isdir(os.path.join(a.fixtures, d))]
    if missing:
        refuse(f"no {', '.join(missing)} under {a.fixtures} (scripts/make_gpu_fixtures.py {a.fixtures})")
    inception = c.export_inception()
    gpu = gpu_name(c.env)
    print(f"gpu-check on {gpu}: inception {inception}", flush=True)

    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = [pool.submit(c.run, name, args) for name, args in c.correctness_jobs()]
        for f in concurrent.futures.as_completed(futures):
            r = f.result()
            rows.append(r)
            print(f"  {'ok  ' if r['rc'] == 0 else 'FAIL'} {r['name']} ({r['seconds']} s) {r.get('error', '')}", flush=True)
    rows.sort(key=lambda r: r["name"])
    rows += c.kill_and_resume()
    print(f"  resume: {rows[-1]['last_eval']} {rows[-1].get('error', '')}", flush=True)
    t_correct = time.time() - t_start

    timing, twins, agg = [], [], []
    if not a.skip_timing:
        for workload, variant, args in c.timing_jobs():
            r = c.run("timing/" + re.sub(r"\W+", "_", f"{workload}_{variant}"), args, timeout=240)
            timing.append(dict(workload=workload, variant=variant, ms=r["ms"], rc=r["rc"], error=r.get("error", "")))
            print(f"  timing {workload} {variant}: {r['ms']} ms {r.get('error', '')}", flush=True)
        for case, bf16, workload in [("rings", False, "rings M=100 K=100"), ("fmnist_twin", False, "fmnist twin M=32 K=10"),
                                     ("cifar10_paper", False, "cifar10 paper M=64 K=100"),
                                     ("cifar10_paper", True, "cifar10 paper M=64 K=100")]:
            ms, err = c.python_twin(case, bf16)
            twins.append(dict(workload=workload, variant="fp32 eager" if not bf16 else "bf16 autocast eager", ms=ms, error=err))
            print(f"  python {case}{' bf16' if bf16 else ''}: {ms} ms {err}", flush=True)
        for n in (1, 8):
            agg.append(c.aggregate(n))
            print(f"  aggregate jobs={n}: {agg[-1]}", flush=True)

    failed = [r for r in rows if r["rc"] != 0]
    lines = [f"# gpu-check: {gpu}, {datetime.date.today().isoformat()}",
             "", f"stanley: {os.path.abspath(c.stanley)}; commit {os.environ.get('STANLEY_COMMIT', 'unknown')}; "
             f"Inception path: {inception}; total {time.time() - t_start:.0f} s (correctness {t_correct:.0f} s)", "",
             f"## Every path on CUDA: {len(rows) - len(failed)} of {len(rows)} pass", "",
             "| check | result | s | last evaluation / note |", "| --- | --- | --- | --- |"]
    for r in rows:
        note = r.get("error") or r.get("last_eval", "")
        lines.append(f"| {r['name']} | {'ok' if r['rc'] == 0 else 'FAIL (exit %d)' % r['rc']} | {r.get('seconds') or ''} | "
                     f"{note.replace('|', '/')[:220]} |")
    if timing:
        lines += ["", "## Time per Algorithm 1 iteration (median of the run's logged intervals; alone on the GPU)", "",
                  "| workload | variant | C++ ms | PyTorch-Python ms |", "| --- | --- | --- | --- |"]
        for t in timing:
            lines.append(f"| {t['workload']} | {t['variant']} | {t['ms'] if t['ms'] is not None else 'FAIL: ' + t['error'][:80]} | |")
        for t in twins:
            lines.append(f"| {t['workload']} | {t['variant']} | | "
                         f"{round(t['ms'], 2) if t['ms'] is not None else 'FAIL: ' + t['error'][:80]} |")
        lines += ["", "## Twin jobs sharing the GPU (`run -m ... jobs=N device=cuda`, 400 iterations each)", "",
                  "| jobs | finished | wall s | aggregate it/s | median ms per iteration per job |", "| --- | --- | --- | --- | --- |"]
        for g in agg:
            lines.append(f"| {g['n']} | {g['finished']} | {g['wall']} | {g['it_per_s']} | {g['per_job_ms']} |")
    report = "\n".join(lines) + "\n"
    print("\n" + report)
    with open(os.path.join(c.out, "gpu_check.md"), "w") as f:
        f.write(report)
    with open(os.path.join(c.out, "gpu_check.json"), "w") as f:
        json.dump(dict(gpu=gpu, rows=rows, timing=timing, python=twins, aggregate=agg), f, indent=1)
    print(f"written: {c.out}/gpu_check.md")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
