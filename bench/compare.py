#!/usr/bin/env python3
"""Side by side: the suite's EBM iteration (bench_pipeline) against its PyTorch-Python twin
(bench/reference/ebm_iteration.py), run alternately over --rounds so that both see the same machine
load; prints, per case, the median time ratio Python / C++ with its min and max, and writes JSON.
Both sides run under the same kernel choices: --numerics portable (the suite's default) gives Python's
torch the pins `stanley` sets for itself (OPENBLAS_CORETYPE, ONEDNN_MAX_CPU_ISA, ATEN_CPU_CAPABILITY:
runtime/numerics_mode.h); native runs both sides unpinned. Both get the same OpenBLAS thread count
(torch.set_num_threads does not reach OpenBLAS in either language).
fmnist_twin_bf16 is the twin in bf16: the suite's bf16 (the sampler's gradient by oneDNN directly)
against Python's fastest bf16 form, the faster of autocast and a bf16 channels-last copy of the net,
each timed in every round (the ratio uses the faster of the two in that round).

usage: compare.py BUILD_DIR [--rounds 5] [--cases rings,fmnist,fmnist_twin,fmnist_twin_bf16]
                  [--numerics portable|native] [--out results/bench/compare.json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

THREADS = {"rings": 1, "fmnist": 2, "fmnist_twin": 1, "fmnist_twin_bf16": 1}
PYTHON_CASE = {"fmnist_twin_bf16": ("fmnist_twin", ("autocast", "bf16"))}  # case: (reference case, forms raced)
# Names carry Google Benchmark's "/min_time:..." suffix, so no filter may end in "$".
FILTERS = {"rings": "^ebm_iteration/rings/langevin/", "fmnist": "^ebm_iteration/fmnist/langevin/M64/K40/fp32/",
           "fmnist_twin": "^ebm_iteration/fmnist_twin/langevin/M32/K10/fp32/",
           "fmnist_twin_bf16": "^ebm_iteration/fmnist_twin/langevin/M32/K10/bf16/"}


def cpp_seconds(build, case, env):
    out = subprocess.run([os.path.join(build, "bench", "bench_pipeline"), f"--benchmark_filter={FILTERS[case]}",
                          "--benchmark_format=json", "--benchmark_min_time=3"], capture_output=True, text=True,
                         env=env, check=True).stdout
    found = json.loads(out)["benchmarks"] if out.strip() else []
    if not found:
        sys.exit(f"compare.py: no benchmark in {build}/bench/bench_pipeline matches {FILTERS[case]!r}")
    bench = found[0]
    scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[bench["time_unit"]]
    return bench["real_time"] * scale


def check_filters(build):
    """CTest bench_compare_filters: a renamed benchmark must not leave `make bench-compare` matching nothing."""
    for case, pattern in FILTERS.items():
        out = subprocess.run([os.path.join(build, "bench", "bench_pipeline"), f"--benchmark_filter={pattern}",
                              "--benchmark_list_tests"], capture_output=True, text=True, check=True).stdout.split()
        if len(out) != 1:
            sys.exit(f"compare.py: case {case}: filter {pattern!r} names {len(out)} benchmarks, not one: {out}")
        print(f"{case}: {out[0]}")


def python_seconds(case, env):
    """Seconds per iteration of the reference, per form raced: {form: seconds}."""
    env = dict(env, OPENBLAS_NUM_THREADS=str(THREADS[case]))  # as the C++ side sets for itself
    here = os.path.dirname(os.path.abspath(__file__))
    ref_case, forms = PYTHON_CASE.get(case, (case, ("fp32",)))
    out = {}
    for form in forms:
        text = subprocess.run([sys.executable, os.path.join(here, "reference", "ebm_iteration.py"), ref_case,
                               "--seconds", "3", "--form", form], capture_output=True, text=True, env=env, check=True).stdout
        out[form] = json.loads(text)["seconds_per_iteration"]
    return out


def kernel_env(numerics, stanley):
    """The environment both sides run in: the pins runtime/numerics_mode.cpp writes (`stanley numerics
    portable`, the one place they are spelled), or none."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY", "STANLEY_NUMERICS_PINNED")}
    env["STANLEY_NUMERICS"] = numerics
    if numerics == "portable":
        pins = subprocess.run([stanley, "numerics", "portable"], capture_output=True, text=True, check=True).stdout
        env.update(line.split("=", 1) for line in pins.splitlines() if "=" in line)
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cases", default="rings,fmnist")
    ap.add_argument("--out", default="results/bench/compare.json")
    ap.add_argument("--numerics", choices=("portable", "native"), default="portable")
    ap.add_argument("--check", action="store_true", help="only check that each case names exactly one benchmark")
    a = ap.parse_args()
    if a.check:
        check_filters(a.build)
        return
    env = kernel_env(a.numerics, os.path.join(a.build, "stanley"))
    results = {}
    for case in a.cases.split(","):
        ratios, cpp, py = [], [], []
        for r in range(a.rounds):
            c = cpp_seconds(a.build, case, env)
            forms = python_seconds(case, env)
            p = min(forms.values())
            cpp.append(c)
            py.append(forms)
            ratios.append(p / c)
            shown = ", ".join(f"{k} {v * 1e3:.2f}" for k, v in forms.items())
            print(f"{case} round {r + 1}/{a.rounds}: C++ {c * 1e3:.2f} ms, Python ({shown}) ms, ratio {p / c:.2f}",
                  flush=True)
        results[case] = dict(cpp_ms=[x * 1e3 for x in cpp], python_ms=[{k: v * 1e3 for k, v in f.items()} for f in py],
                             ratios=ratios,
                             median_ratio=statistics.median(ratios), min_ratio=min(ratios), max_ratio=max(ratios))
        print(f"{case}: Python / C++ median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, "
              f"max {max(ratios):.2f}) over {a.rounds} alternated rounds")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(dict(numerics=a.numerics, kernels={k: env.get(k) for k in ("OPENBLAS_CORETYPE", "ONEDNN_MAX_CPU_ISA",
                                                                          "ATEN_CPU_CAPABILITY")},
                       cases=results), f, indent=1)
    print(f"written: {a.out}")


if __name__ == "__main__":
    main()
