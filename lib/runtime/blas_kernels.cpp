#include "runtime/blas_kernels.h"

#include <dlfcn.h>

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

}  // namespace stanley
