#!/usr/bin/env python3
"""The same numbers on every x86 CPU these machines come with: smoke runs in the portable numerics mode
(runtime/numerics_mode.h: OpenBLAS's, oneDNN's and ATen's kernels pinned to a choice AMD Zen 4 and Intel
Xeon share) must reproduce the hashes in tests/baselines/portable_numbers.json, recorded on one kind of CPU
and checked on whichever runs this test. Each hash covers every dataset of the run's metrics.h5 but the
wall-clock rates (it_per_s): names, shapes and bytes. A mismatch names the run, the CPU the hashes were
recorded on and this one; a real change of arithmetic re-records them (--update) in its own commit, saying why.

usage: portable_numbers_test.py STANLEY SOURCE_DIR [--update]"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

RUNS = {  # name: overrides (seed 0, one thread, scale=smoke)
    "rings_langevin": ["experiment=rings", "sampler=langevin"],
    "rings_stanley": ["experiment=rings", "sampler=stanley"],
    "fmnist_langevin_fp32": ["experiment=fmnist", "sampler=langevin", "precision=fp32"],
    "fmnist_stanley_bf16": ["experiment=fmnist", "sampler=stanley", "precision=bf16"],  # the direct oneDNN path
}
SKIPPED = ("it_per_s",)


def cpu_name():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def metrics_hash(run_dir):
    h = hashlib.sha256()
    with h5py.File(os.path.join(run_dir, "metrics.h5"), "r") as f:
        names = []
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        for name in sorted(n for n in names if not any(s in n.split("/") for s in SKIPPED)):
            data = np.ascontiguousarray(f[name][()])
            h.update(f"{name}|{data.dtype.str}|{data.shape}|".encode())
            h.update(data.tobytes())
        attrs = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}
    return h.hexdigest(), attrs


def main():
    stanley, source = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    baseline_path = os.path.join(source, "tests", "baselines", "portable_numbers.json")
    has_bf16 = "avx512_bf16" in open("/proc/cpuinfo").read()
    env = {k: v for k, v in os.environ.items() if k not in ("STANLEY_NUMERICS", "OPENBLAS_CORETYPE", "ONEDNN_MAX_CPU_ISA",
                                                            "ATEN_CPU_CAPABILITY", "STANLEY_NUMERICS_PINNED")}
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, overrides in RUNS.items():
            if "precision=bf16" in overrides and not has_bf16:
                print(f"{name}: skipped (no AVX512-BF16 on this CPU)")
                continue
            run_dir = os.path.join(tmp, name)
            # run.root in the temporary directory: the data cache (reference statistics) is made by these runs
            # at threads=1, not read from one another process made (its digits follow that process's threads).
            r = subprocess.run([stanley, "run", *overrides, "scale=smoke", "seed=0", "threads=1", f"run.dir={run_dir}",
                                f"run.root={tmp}"],
                               capture_output=True, text=True, env=env)
            if r.returncode != 0:
                sys.exit(f"{name}: stanley exited {r.returncode}:\n{r.stderr[-2000:]}")
            digest, attrs = metrics_hash(run_dir)
            if attrs.get("numerics") != "portable":
                sys.exit(f"{name}: metrics.h5 says numerics={attrs.get('numerics')!r}, expected portable by default")
            got[name] = dict(hash=digest, kernels={k: attrs.get(k) for k in ("blas_core", "onednn_isa", "aten_cpu_capability",
                                                                             "sampling_arithmetic")})
    if update:
        with open(baseline_path, "w") as f:
            json.dump(dict(recorded_on=cpu_name(), runs=got), f, indent=1)
            f.write("\n")
        print(f"written: {baseline_path} ({len(got)} runs, on {cpu_name()})")
        return
    want = json.load(open(baseline_path))
    bad = []
    for name, g in got.items():
        w = want["runs"].get(name)
        if w is None:
            bad.append(f"{name}: no recorded hash (record with --update)")
        elif g["hash"] != w["hash"]:
            bad.append(f"{name}: metrics differ from the hashes recorded on {want['recorded_on']} (this CPU: {cpu_name()}); "
                       f"kernels here {g['kernels']}, there {w['kernels']}")
    for line in bad:
        print(line, file=sys.stderr)
    if bad:
        sys.exit(1)
    print(f"portable numbers: {len(got)} runs reproduce the hashes recorded on {want['recorded_on']} (this CPU: {cpu_name()})")


if __name__ == "__main__":
    main()
