#!/usr/bin/env python3
"""The frozen fid_fmnist metric (assets/fid_fmnist/): the shipped files match their checksums, and
`stanley` with the shipped network computes the shipped reference statistics on the Fashion-MNIST test
split (so fid_fmnist of the same samples is the same number wherever it is computed).

usage: frozen_metric_test.py STANLEY_BIN SOURCE_DIR
"""
import glob
import hashlib
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch


def main():
    binary, source = sys.argv[1], sys.argv[2]
    assets = os.path.join(source, "assets", "fid_fmnist")
    with open(os.path.join(assets, "SHA256SUMS")) as f:
        for line in f:
            digest, name = line.split()
            with open(os.path.join(assets, name), "rb") as g:
                actual = hashlib.sha256(g.read()).hexdigest()
            assert actual == digest, f"{name}: sha256 {actual}, SHA256SUMS says {digest}"

    with tempfile.TemporaryDirectory() as tmp:
        # The feature settings of every scale but smoke (the file's own width; smoke's width 8 takes the other path).
        cmd = [binary, "run", "experiment=fmnist", "scale=smoke", "data.max_images=0", "train.iters=1", "eval.every=0",
               "features.classifier.width=32", "features.classifier.epochs=2",
               "log.grid_every=0", "threads=2", f"run.root={tmp}", f"run.dir={tmp}/run"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        log = open(os.path.join(tmp, "run", "log.txt")).read()
        shipped_net = os.path.join(assets, "classifier.pt")
        assert f"({shipped_net})" in log, "the run did not load the shipped network:\n" + log
        assert not glob.glob(os.path.join(tmp, "cache", "features", "*")), "a network was trained"
        (stats_file,) = glob.glob(os.path.join(tmp, "cache", "stats", "fmnist-test-fmnist-*.pt"))
        computed = torch.jit.load(stats_file)
        with h5py.File(os.path.join(assets, "reference_test.h5"), "r") as f:
            assert int(computed.n) == int(f["n"][()]) == 10000, (int(computed.n), int(f["n"][()]))
            for name in ("mean", "cov"):
                got, want = getattr(computed, name).numpy(), f[name][()]
                err = np.abs(got - want).max() / np.abs(want).max()
                print(f"{name}: max |computed - shipped| / max |shipped| = {err:.2e}")
                assert err < 1e-6, f"{name} differs from the shipped statistics by {err:.2e}"
    print("frozen fid_fmnist: checksums match; the shipped network reproduces the shipped statistics")


if __name__ == "__main__":
    main()
