#!/usr/bin/env bash
# Type-checks the CUDA branch of a source file (-DSTANLEY_WITH_CUDA -fsyntax-only) against libtorch's
# ATen/cuda headers and a CUDA toolkit's headers, without a GPU or a CUDA libtorch to link.
# usage: check_cuda_syntax.sh CXX SOURCE LIB_DIR TORCH_INCLUDE_DIR...   exit 77 (skipped) without toolkit headers.
set -euo pipefail
cxx=$1 src=$2 lib=$3
shift 3
system=()
for d in "$@"; do [ "$d" = /usr/include ] || system+=(-isystem "$d"); done  # /usr/include is searched anyway
cuda=${CUDA_HOME:-/usr/local/cuda}
if [ ! -f "$cuda/include/cuda_runtime_api.h" ]; then
  echo "no CUDA toolkit headers under $cuda/include: skipped"
  exit 77
fi
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
# A CPU libtorch package lacks this header, which its build generates; it only marks the library as shared.
if ! echo '#include <c10/cuda/impl/cuda_cmake_macros.h>' | "$cxx" -x c++ -fsyntax-only "${system[@]}" - 2>/dev/null; then
  mkdir -p "$stub/c10/cuda/impl"
  printf '#pragma once\n#define C10_CUDA_BUILD_SHARED_LIBS\n' > "$stub/c10/cuda/impl/cuda_cmake_macros.h"
fi
"$cxx" -std=c++17 -fsyntax-only -DSTANLEY_WITH_CUDA -Wall -Wextra -I"$lib" -isystem "$stub" -isystem "$cuda/include" "${system[@]}" "$src"
echo "CUDA branch of $src compiles against $cuda/include"
