#!/usr/bin/env python3
"""Dataset by dataset: are two runs' metrics.h5 the same numbers? Timing datasets (it_per_s) and
attributes are left out; every other dataset must match exactly (or within --rtol). Prints one line per
difference and a summary; exit 1 when any differs. Used to show that a refactor changed no number.

usage: compare_metrics.py RUN_A RUN_B [--rtol 0]      (RUN = a run directory or its metrics.h5)
"""
import argparse
import os
import sys

import h5py
import numpy as np

SKIPPED = ("it_per_s",)  # wall-clock rates differ run to run


def datasets(path):
    out = {}
    with h5py.File(path if path.endswith(".h5") else os.path.join(path, "metrics.h5"), "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return {k: v for k, v in out.items() if not any(s in k.split("/") for s in SKIPPED)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rtol", type=float, default=0.0)
    args = ap.parse_args()
    a, b = datasets(args.a), datasets(args.b)
    bad = [f"only in {args.a if k in a else args.b}: {k}" for k in sorted(set(a) ^ set(b))]
    for k in sorted(set(a) & set(b)):
        x, y = a[k], b[k]
        if x.dtype.kind in "fc" and y.dtype.kind in "fc" and x.shape == y.shape:
            same = np.allclose(x, y, rtol=args.rtol, atol=0, equal_nan=True) if args.rtol else \
                np.array_equal(x, y, equal_nan=True)
        else:
            same = x.shape == y.shape and np.array_equal(x, y)
        if not same:
            bad.append(f"differs: {k}")
    print("\n".join(bad) or f"same: {len(a)} datasets")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
