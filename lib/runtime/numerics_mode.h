#pragma once
// The numerics mode: which kernels a process runs, among those whose choice changes a run's digits.
//
// The same code and seeds give other digits on another CPU when the libraries pick kernels by CPU:
// OpenBLAS (Haswell kernels on AMD Zen 4, SkylakeX on Intel Xeon: the rings fig1_early study ended at
// KL 2.824 on Intel against 2.885 on AMD), oneDNN (AMX on Intel, AVX512-BF16 on Zen 4) and ATen's
// vectorised ops. `portable` (the default) pins the three to a choice both kinds of CPU these machines
// come with share: OPENBLAS_CORETYPE=HASWELL, ONEDNN_MAX_CPU_ISA=AVX512_CORE_BF16 and
// ATEN_CPU_CAPABILITY=avx512 (avx2 where the CPU has no AVX-512). `native` lets each library pick the
// fastest kernels of this CPU (OpenBLAS still gets Haswell's where it misdetects the CPU as Prescott).
// The libraries read these variables when they load or first run, so a process that must change them
// runs itself again (execv /proc/self/exe with the same arguments) before any work.

#include <string>
#include <utility>
#include <vector>

namespace stanley {

// First thing in main: keeps argv for a later switch, then enters the mode named by STANLEY_NUMERICS
// (portable when unset), re-executing once when the environment must change (does not return then).
void enter_numerics_mode(char** argv);

// After a run's config is composed: when its `numerics` differs from this process's mode, runs the same
// command again in that mode (does not return); otherwise returns.
void require_numerics_mode(const std::string& mode);

// The variables the portable mode pins, with their values on this CPU: the one place they are written
// (`stanley numerics portable` prints them for scripts/same_metrics.sh and bench/compare.py).
std::vector<std::pair<std::string, std::string>> portable_pins();

// This process's mode ("portable" or "native").
std::string numerics_mode();

// The kernel choices in effect, for metrics.h5: OpenBLAS's core, oneDNN's instruction set (as oneDNN
// reports it, "" when not loaded), ATen's capability variable ("" when unset: ATen picks).
struct KernelChoices {
  std::string mode, blas_core, onednn_isa, aten_capability;
};
KernelChoices kernel_choices();

}  // namespace stanley
