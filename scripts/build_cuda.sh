#!/usr/bin/env bash
# Builds `stanley` (and the tests that need a GPU) against a CUDA libtorch, on a GPU machine.
#   Torch: TORCH_DIR, else the one of python3's torch (pip's torch is a CUDA libtorch).
#   yaml-cpp, fmt, HDF5, stb, libjpeg, zlib, GoogleTest: used where installed; else unpacked from the
#   Debian packages in STANLEY_DEBS (default build-gpu/debs, filled by scripts/gpu_prefix.sh on a
#   machine with apt) into BUILD/prefix; else installed with apt-get when root and apt are there.
# Writes BUILD/env.sh (the library path a prefix needs at run time): `make gpu-check` sources it.
# usage: build_cuda.sh [BUILD]   (default build-cuda)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-cuda}
mkdir -p "$build"
build=$(cd "$build" && pwd)
python=${PYTHON:-python3}

if [ -z "${TORCH_DIR:-}" ]; then
  TORCH_DIR=$("$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)' 2>/dev/null)/Torch ||
    { echo "build_cuda: no TORCH_DIR and no torch in $python (pip install torch, or set TORCH_DIR)" >&2; exit 2; }
fi
[ -f "$TORCH_DIR/TorchConfig.cmake" ] || { echo "build_cuda: no TorchConfig.cmake in $TORCH_DIR" >&2; exit 2; }

have_headers() {
  for h in yaml-cpp/yaml.h fmt/format.h jpeglib.h zlib.h stb/stb_image_write.h gtest/gtest.h; do
    [ -f "/usr/include/$h" ] || return 1
  done
  [ -f /usr/include/hdf5/serial/H5Cpp.h ] || [ -f /usr/include/H5Cpp.h ]
}

cmake_args=(-DCMAKE_BUILD_TYPE=Release "-DTorch_DIR=$TORCH_DIR" -DSTANLEY_BUILD_BENCH=OFF -DSTANLEY_CHECK_LAYERS=OFF
            "-DSTANLEY_PYTHON=$(command -v "$python")")
[ -d /usr/local/cuda ] && cmake_args+=(-DCUDAToolkit_ROOT=/usr/local/cuda)
command -v ninja >/dev/null && cmake_args+=(-G Ninja)
: > "$build/env.sh"
debs=${STANLEY_DEBS:-build-gpu/debs}
if [ -z "${STANLEY_FORCE_PREFIX:-}" ] && have_headers; then  # STANLEY_FORCE_PREFIX=1: the prefix even so (tests this script)
  echo "build_cuda: libraries found under /usr"
elif ls "$debs"/*.deb >/dev/null 2>&1; then
  prefix=$build/prefix
  for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$prefix"; done
  lib=$prefix/usr/lib/x86_64-linux-gnu
  # The prefix's own jconfig.h (in its multiarch folder) must win over a system one: Debian's libjpeg62
  # headers with Ubuntu's jconfig.h compile code that libjpeg62 refuses at run time ("library is 62,
  # caller expects 80"), measured on the H200 machine.
  cmake_args+=("-DCMAKE_PREFIX_PATH=$prefix/usr" "-DHDF5_ROOT=$lib/hdf5/serial"
               "-DJPEG_INCLUDE_DIR=$prefix/usr/include" "-DJPEG_LIBRARY=$lib/libjpeg.so"
               "-DCMAKE_CXX_FLAGS=-isystem $prefix/usr/include/x86_64-linux-gnu -DFMT_HEADER_ONLY=1")
  echo "export LD_LIBRARY_PATH=$lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" > "$build/env.sh"
  export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}  # the build runs test binaries to list their suites
  echo "build_cuda: unpacked $(ls "$debs"/*.deb | wc -l) Debian packages from $debs into $prefix"
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null && timeout 600 apt-get install -y -qq --no-install-recommends \
    libyaml-cpp-dev libfmt-dev libhdf5-dev libjpeg-dev zlib1g-dev libstb-dev libgtest-dev libgmock-dev >/dev/null 2>&1; then
  echo "build_cuda: installed the libraries with apt-get"
else
  echo "build_cuda: no libraries, no Debian packages in $debs, and apt-get could not install them (run scripts/gpu_prefix.sh $debs on a machine with apt and carry it)" >&2
  exit 2
fi

t0=$(date +%s)
cmake -S . -B "$build" "${cmake_args[@]}" > "$build/configure.log" 2>&1 ||
  { tail -20 "$build/configure.log" >&2; echo "build_cuda: configure failed (log: $build/configure.log)" >&2; exit 1; }
t1=$(date +%s)
cmake --build "$build" -j "$(nproc)" --target stanley random_draws_test host_sync_test > "$build/build.log" 2>&1 ||
  { grep -m5 -B2 -A5 "error" "$build/build.log" >&2; echo "build_cuda: build failed (log: $build/build.log)" >&2; exit 1; }
echo "build_cuda: $build/stanley against $TORCH_DIR (configure $((t1 - t0)) s, build $(( $(date +%s) - t1 )) s)"
