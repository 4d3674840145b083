#pragma once
// The BLAS that libtorch's matrix products go through (which kernels it runs: runtime/numerics_mode.h).

#include <string>

namespace stanley {

// The core OpenBLAS chose ("Haswell", "Prescott", ...), or "" when the BLAS is not OpenBLAS.
std::string blas_core();

// Sets OpenBLAS's own thread count (libtorch's set_num_threads does not reach it, and by default it
// uses every core for products as small as the toy MLP's: measured 14.4 -> 12.0 ms per rings iteration
// at 1). No-op when the BLAS is not OpenBLAS.
void set_blas_threads(int threads);


}  // namespace stanley
