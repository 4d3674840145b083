#!/usr/bin/env bash
# Freezes the fid_fmnist metric: trains the suite's Fashion-MNIST feature network with the settings of
# configs/features/default.yaml on the whole train split (60,000 images), computes its reference
# statistics on the whole test split (10,000), and writes both to OUT_DIR with SHA-256 sums and a
# README saying what made them. Runs read the network from there (configs/experiment/fmnist.yaml,
# features.classifier.weights); CTest `frozen_metric` recomputes the statistics from the shipped network.
# usage: scripts/freeze_fid_fmnist.sh STANLEY_BIN [OUT_DIR]      (make freeze-fid-fmnist)
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$here/assets/fid_fmnist}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command=("$bin" run experiment=fmnist features.classifier.weights=null train.iters=1 eval.every=0 log.grid_every=0
         threads=2 run.root="$tmp" run.dir="$tmp/run")
"${command[@]}" > "$tmp/log.txt" 2>&1 || { cat "$tmp/log.txt"; exit 1; }
net=$(ls "$tmp"/cache/features/fmnist-*.pt)
stats=$(ls "$tmp"/cache/stats/fmnist-test-fmnist-*.pt)
mkdir -p "$out"
cp "$net" "$out/classifier.pt"
# The statistics as HDF5 (mean, cov, n; not the 5 MB of KID features), readable without libtorch.
"${PYTHON:-/usr/bin/python3}" - "$stats" "$out/reference_test.h5" <<'PY'
import sys, h5py, torch
m = torch.jit.load(sys.argv[1])
with h5py.File(sys.argv[2], "w") as f:
    for name in ("mean", "cov", "n"):
        f[name] = getattr(m, name).numpy()
PY
accuracy=$(grep -o "test accuracy [0-9.]*" "$tmp/run/log.txt" | head -1 | awk '{print $3}')
(cd "$out" && sha256sum classifier.pt reference_test.h5 > SHA256SUMS)
cat > "$out/README.md" <<README
# The frozen fid_fmnist metric

\`classifier.pt\`: the suite's Fashion-MNIST feature network (two conv layers of 32 and 64 channels,
128-d penultimate layer; configs/features/default.yaml: 2 epochs of Adam 1e-3, batch 128, seed 0, on
all 60,000 training images); test accuracy $accuracy. \`reference_test.h5\`: its statistics on all
10,000 test images (mean, covariance, n), the reference of fid_fmnist (\`eval.ref_split: test\`).
\`SHA256SUMS\`: their checksums.

Every fmnist run loads this network (\`features.classifier.weights\`), so fid_fmnist of the same samples
is the same number on every machine and every day. CTest \`frozen_metric\` (tests/frozen_metric_test.py)
checks the checksums, runs \`stanley\` with the shipped network and compares the statistics it computes
with the shipped ones.

Made by \`scripts/freeze_fid_fmnist.sh\` (\`make freeze-fid-fmnist\`), i.e.
\`stanley run experiment=fmnist features.classifier.weights=null train.iters=1 eval.every=0 log.grid_every=0 threads=2\`
into a temporary root, copying its cached network and statistics:

- commit: $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- lib || echo ' (lib/ modified)')
- date: $(date -u +%Y-%m-%dT%H:%MZ)
- machine: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores
- libtorch: Debian libtorch-dev $(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null || echo '?')
README
echo "wrote $out: classifier.pt, reference_test.h5 (test accuracy $accuracy), SHA256SUMS, README.md"
