#!/usr/bin/env bash
# Installs every build, test and analysis dependency of stanley from Debian's archive.
# Idempotent: installs only what is missing; a second run does nothing but check.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libtorch-dev libopenblas0-pthread   # OpenBLAS: without it libtorch's Linear runs on reference BLAS (~14x slower)
  libdnnl-dev   # oneDNN's headers (the libdnnl.so.2 libtorch links): the direct bf16 sampling gradient
  libyaml-cpp-dev libfmt-dev libhdf5-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libstb-dev zlib1g-dev libjpeg62-turbo-dev   # PNG writing, IDX .gz, JPEG decoding
  python3-numpy python3-h5py python3-matplotlib python3-scipy python3-yaml
  python3-torch python3-torchvision python3-pil
  dataset-fashion-mnist
  clang-14 libclang-rt-14-dev   # make fuzz: libFuzzer
  slurmctld slurmd slurm-client munge   # the SLURM launcher's test runs a one-node SLURM on localhost
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install_deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install_deps: done"
