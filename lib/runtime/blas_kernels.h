#pragma once
// The BLAS that libtorch's matrix products go through, and a fix for a CPU it misdetects.
//
// Debian 12's OpenBLAS (0.3.21) does not recognise AMD Zen 4 and falls back to its Prescott (SSE3)
// kernels: measured on the rings loop (toy MLP, one thread), 32 it/s against 72 it/s with the Haswell
// (AVX2/FMA) kernels. OpenBLAS reads OPENBLAS_CORETYPE only when it is loaded, so the fix is to run
// the program again with it set.

#include <string>

namespace stanley {

// The core OpenBLAS chose ("Haswell", "Prescott", ...), or "" when the BLAS is not OpenBLAS.
std::string blas_core();

// Sets OpenBLAS's own thread count (libtorch's set_num_threads does not reach it, and by default it
// uses every core for products as small as the toy MLP's: measured 14.4 -> 12.0 ms per rings iteration
// at 1). No-op when the BLAS is not OpenBLAS.
void set_blas_threads(int threads);

// When OPENBLAS_CORETYPE is unset, OpenBLAS chose Prescott and this CPU has AVX2 and FMA: sets
// OPENBLAS_CORETYPE=HASWELL and re-executes /proc/self/exe with argv (does not return). Otherwise
// does nothing. A user who sets OPENBLAS_CORETYPE (any value) keeps it.
void ensure_fast_blas_kernels(char** argv);

}  // namespace stanley
