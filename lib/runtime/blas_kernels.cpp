#include "runtime/blas_kernels.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>

namespace stanley {

std::string blas_core() {
  using CoreName = char* (*)();
  auto* fn = reinterpret_cast<CoreName>(::dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return fn ? std::string(fn()) : std::string();
}

void set_blas_threads(int threads) {
  using SetThreads = void (*)(int);
  if (auto* fn = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) fn(threads);
}

void ensure_fast_blas_kernels(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE")) return;
  if (blas_core() != "Prescott") return;
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return;
  ::setenv("OPENBLAS_CORETYPE", "HASWELL", 1);
  ::execv("/proc/self/exe", argv);
  // execv failed: carry on with the slow kernels rather than not at all.
}

}  // namespace stanley
