#pragma once
// `stanley diagnose`: freeze θ from a run's checkpoint and compare samplers at matched step size and
// noise on long chains: per-step statistics, bulk/tail ESS and R̂ of f(z), ESS per gradient
// evaluation, the autocorrelation of f (experiment/chain_study.h), and (for Gaussian-proposal
// samplers) L-lag coupling TV bounds with the fitted geometric rate ρ (metrics/coupling.h). Written to
// RUN_DIR/diagnostics.h5 (experiment/diagnose_report.h).

#include <filesystem>

#include "diagnose/diagnose_options.h"

namespace stanley {

// Returns the path of diagnostics.h5.
std::filesystem::path run_diagnose(const DiagnoseOptions& options);

}  // namespace stanley
