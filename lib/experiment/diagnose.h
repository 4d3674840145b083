#pragma once
// `stanley diagnose`: freeze θ from a run's checkpoint and compare samplers at matched step size and
// noise on long chains: per-step statistics, bulk/tail ESS and R̂ of f(z), ESS per gradient
// evaluation, the autocorrelation of f, and (for Gaussian-proposal samplers) L-lag coupling TV
// bounds with the fitted geometric rate ρ. Written to RUN_DIR/diagnostics.h5 under /diagnostics/<sampler>/.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stanley {

struct DiagnoseOptions {
  std::filesystem::path run_dir;
  std::filesystem::path config_dir;            // for configs/sampler/<name>.yaml
  std::optional<std::int64_t> checkpoint;      // iteration; latest when unset
  std::vector<std::string> samplers{"langevin", "stanley"};
  std::int64_t chains = 64;
  std::int64_t steps = 2000;
  std::int64_t pairs = 256;                    // coupled pairs
  std::int64_t lag = 1;                        // L of the L-lag coupling
  std::int64_t superchain = 8;                 // chains per superchain for nested R̂
  std::uint64_t seed = 0;
  bool adapt = false;                          // dual-average the step of MH samplers (warm-up of `steps`)
  std::optional<double> target_accept;         // unset: each sampler's own target_accept, else Stan's 0.8
};

// Parses `key=value` arguments (checkpoint, samplers=[a,b], chains, steps, pairs, lag, superchain, seed,
// adapt, target_accept).
DiagnoseOptions parse_diagnose_args(const std::filesystem::path& run_dir, const std::vector<std::string>& args);

// Returns the path of diagnostics.h5.
std::filesystem::path run_diagnose(const DiagnoseOptions& options);

}  // namespace stanley
