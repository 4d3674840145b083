#!/usr/bin/env bash
# Fills DIR with the Debian packages scripts/build_cuda.sh needs where it cannot install them (a GPU
# machine without root or without the network): run this on a Debian 12 machine that has apt (it
# downloads, installs nothing), carry DIR over, and pass it to build_cuda.sh as STANLEY_DEBS=DIR.
# usage: gpu_prefix.sh [DIR]   (default build-gpu/debs; ~7 MB)
set -euo pipefail
dir=${1:-build-gpu/debs}
# yaml-cpp, fmt, HDF5 (C and C++, with the libraries HDF5 links), stb, libjpeg, zlib headers, and
# GoogleTest for the tests that need a GPU.
PACKAGES=(libyaml-cpp-dev libyaml-cpp0.7 libfmt-dev libfmt9 libhdf5-dev libhdf5-103-1 libhdf5-cpp-103-1
          libhdf5-hl-100 libhdf5-hl-cpp-100 libaec0 libsz2 libstb-dev libstb0 libjpeg62-turbo-dev libjpeg62-turbo
          zlib1g-dev libgtest-dev libgmock-dev)
command -v apt-get >/dev/null || { echo "gpu_prefix: needs apt-get (a Debian 12 machine)" >&2; exit 2; }
mkdir -p "$dir"
cd "$dir"
apt-get download "${PACKAGES[@]}" >/dev/null
echo "gpu_prefix: $(ls *.deb | wc -l) packages, $(du -sh . | cut -f1) in $(pwd)"
