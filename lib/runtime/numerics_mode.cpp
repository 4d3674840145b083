#include "runtime/numerics_mode.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <utility>
#include <vector>

#include "runtime/blas_kernels.h"

namespace stanley {
namespace {

char** saved_argv = nullptr;
// Set beside the pins, so a native-mode process knows which of the variables were ours to remove.
constexpr const char* kPinnedMarker = "STANLEY_NUMERICS_PINNED";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

[[noreturn]] void run_again() {
  ::execv("/proc/self/exe", saved_argv);
  throw std::runtime_error("numerics mode: could not run /proc/self/exe again");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> portable_pins() {
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  std::vector<std::pair<std::string, std::string>> pins;
  if (avx2) pins.emplace_back("OPENBLAS_CORETYPE", "HASWELL");
  pins.emplace_back("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16");  // a ceiling: a lesser CPU runs its own best
  pins.emplace_back("ATEN_CPU_CAPABILITY", avx512 ? "avx512" : avx2 ? "avx2" : "default");
  return pins;
}

std::string numerics_mode() { return env("STANLEY_NUMERICS") == "native" ? "native" : "portable"; }

void enter_numerics_mode(char** argv) {
  saved_argv = argv;
  const std::string mode = env("STANLEY_NUMERICS");
  if (!mode.empty() && mode != "portable" && mode != "native")
    throw std::invalid_argument("STANLEY_NUMERICS=" + mode + ": expected portable or native");
  bool changed = false;
  if (numerics_mode() == "portable") {
    for (const auto& [name, value] : portable_pins()) {
      if (env(name.c_str()) == value) continue;
      ::setenv(name.c_str(), value.c_str(), 1);
      changed = true;
    }
    if (changed) ::setenv(kPinnedMarker, "1", 1);
  } else if (env(kPinnedMarker) == "1") {
    for (const auto& [name, value] : portable_pins()) ::unsetenv(name.c_str());
    ::unsetenv(kPinnedMarker);
    changed = true;
  } else if (env("OPENBLAS_CORETYPE").empty() && blas_core() == "Prescott") {
    // Debian 12's OpenBLAS 0.3.21 does not know Zen 4 and falls back to SSE3 kernels (2.2x slower on
    // the rings loop): native means the fastest kernels, so Haswell's there.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
      ::setenv("OPENBLAS_CORETYPE", "HASWELL", 1);
      changed = true;
    }
  }
  if (changed) run_again();
}

void require_numerics_mode(const std::string& mode) {
  if (mode == numerics_mode()) return;
  if (!saved_argv) throw std::logic_error("numerics=" + mode + ": this program did not enter a numerics mode at start");
  ::setenv("STANLEY_NUMERICS", mode.c_str(), 1);
  enter_numerics_mode(saved_argv);  // changes the environment and runs again
  run_again();
}

KernelChoices kernel_choices() {
  KernelChoices k;
  k.mode = numerics_mode();
  k.blas_core = blas_core();
  // oneDNN's C API, looked up in the loaded libdnnl (libtorch's): the ISA its kernels dispatch to.
  using EffectiveIsa = int (*)();
  if (auto* fn = reinterpret_cast<EffectiveIsa>(::dlsym(RTLD_DEFAULT, "dnnl_get_effective_cpu_isa"))) {
    const int isa = fn();
    // dnnl_cpu_isa_t values of oneDNN 2.6 (dnnl_types.h).
    switch (isa) {
      case 0x0: k.onednn_isa = "all"; break;
      case 0x1: k.onednn_isa = "sse41"; break;
      case 0x3: k.onednn_isa = "avx"; break;
      case 0x7: k.onednn_isa = "avx2"; break;
      case 0x27: k.onednn_isa = "avx512_core"; break;
      case 0x67: k.onednn_isa = "avx512_core_vnni"; break;
      case 0xe7: k.onednn_isa = "avx512_core_bf16"; break;
      case 0x3e7: k.onednn_isa = "avx512_core_amx"; break;
      case 0x407: k.onednn_isa = "avx2_vnni"; break;
      default: k.onednn_isa = "isa_" + std::to_string(isa);
    }
  }
  k.aten_capability = env("ATEN_CPU_CAPABILITY");
  return k;
}

}  // namespace stanley
