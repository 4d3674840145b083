"""Reading run directories: metrics.h5 attributes (stored as bytes) and the resolved config (YAML)."""
import os
import re

import yaml
from run_status import DIVERGED, is_status

# HDF5 1.10 locks a file while its writer holds it: without this a report over a sweep that is still
# running fails on the live runs' metrics.h5 (they are read, never written, here).
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")


def read_attr(f, name, default=""):
    """A string attribute of an open metrics.h5 (h5py returns bytes)."""
    v = f.attrs.get(name, default)
    return v.decode() if isinstance(v, bytes) else str(v)


def run_config(f):
    """The run's resolved config as a dict."""
    return yaml.safe_load(read_attr(f, "config")) or {}


def sampler_label(f):
    """The sampler's name with the settings that tell its variants apart, and the target's ε."""
    cfg = run_config(f)
    sampler = read_attr(f, "sampler", "?")
    s = cfg.get("sampler", {})
    label = sampler
    if sampler.startswith("stanley"):
        label += f" th={s.get('th')}"
        if s.get("gamma_times_s"):
            label += " ×s"
        if sampler == "stanley" and s.get("gamma_at") not in (None, "previous_samples"):  # eq. (4)'s is unmarked
            label += f" γ@{s['gamma_at']}"
    return label + f" (ε={s.get('noise', 0)})"


def run_dirs(paths):
    """Run directories from sweep directories (their numbered jobs, in order) and run directories."""
    out = []
    for p in paths:
        if os.path.exists(os.path.join(p, "sweep.yaml")):
            out += sorted((os.path.join(p, d) for d in os.listdir(p) if d.isdigit()), key=lambda d: int(os.path.basename(d)))
        else:
            out.append(p)
    return [d for d in out if os.path.exists(os.path.join(d, "metrics.h5"))]


def series(f, name):
    """(steps, values) of a scalar in an open metrics.h5, or (None, None) when it was not logged."""
    if f"scalars/{name}" not in f:
        return None, None
    return f[f"scalars/{name}/step"][()], f[f"scalars/{name}/value"][()]


def divergence_iteration(status):
    """The iteration a diverged run stopped at, from its status (`diverged: iteration N: ...`, as the trainer's
    DivergenceError words it), or None when the status is not a divergence or names no iteration."""
    if not is_status(status, DIVERGED):
        return None
    m = re.search(r"iteration (\d+)", status)
    return int(m.group(1)) if m else None


def config_value(cfg, dotted):
    """A dotted key's value in a resolved config dict (None when absent)."""
    node = cfg
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def grid_point(f, cfg, keep_seed=False):
    """What tells a tuning run's grid point apart: its sampler and resolved config, without the run directory
    and (unless keep_seed) the seed, so that runs differing only in seed are one point, judged over its seeds."""
    rest = {k: v for k, v in cfg.items() if k != "run" and (keep_seed or k != "seed")}
    return read_attr(f, "sampler") + "\n" + yaml.safe_dump(rest, sort_keys=True)


def provenance(script, dirs, argv=None):
    """A report's header lines: the command that wrote it (its arguments argv, by default sys.argv[1:]), the
    commits its runs were built from (metrics.h5's git_sha), the date and the machine, so that every number in
    it can be traced and re-made."""
    import datetime
    import platform
    import shlex
    import sys

    import h5py
    commits, kernels, arithmetic = set(), set(), set()
    for d in dirs:
        with h5py.File(os.path.join(d, "metrics.h5"), "r") as f:
            commits.add(read_attr(f, "git_sha", "?"))
            # The kernel choices that set the digits (runtime/numerics_mode.h); runs from before them say "?".
            kernels.add(f"{read_attr(f, 'numerics', '?')} (OpenBLAS {read_attr(f, 'blas_core', '?')}, oneDNN "
                        f"{read_attr(f, 'onednn_isa', '?')}, ATen {read_attr(f, 'aten_cpu_capability', '?')})")
            arithmetic.add(read_attr(f, "sampling_arithmetic", "?"))
    return [f"Command: `{script} {' '.join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))}`  ",
            f"Runs built from: {', '.join(sorted(commits)) or 'no runs'}; report made {datetime.date.today().isoformat()} "
            f"on {platform.node()} ({platform.machine()}, {os.cpu_count()} cores, {cpu_model()})  ",
            f"Numerics mode of the runs: {'; '.join(sorted(kernels)) or 'no runs'}; sampling arithmetic: "
            f"{', '.join(sorted(arithmetic)) or 'no runs'}"]


def cpu_model():
    """This machine's CPU as /proc/cpuinfo names it ("model name"), or the platform's word for it."""
    import platform
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def writes_reports():
    """False inside `stanley study NAME --dry-run`, which runs a pick script only for its printed choice
    (STANLEY_STUDY_DRY_RUN): the script then writes no --report file."""
    return not os.environ.get("STANLEY_STUDY_DRY_RUN")
