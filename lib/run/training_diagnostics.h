#pragma once
// The paper's Corollary 1 measured along training (`eval.diagnose=true`): at each evaluation, the
// run's sampler in its long-chain form runs on the current, frozen model: bulk ESS of f per gradient
// evaluation, R̂, KSD against π_T and, for Gaussian-kernel samplers, the L-lag coupling rate ρ. Logged
// as scalars diag_* beside the experiment's metrics (docs/samplers.md "Diagnostics").

#include <map>
#include <string>

#include "config/config.h"
#include "data/dataset.h"
#include "models/energy.h"
#include "training/chain_init.h"

namespace stanley {

struct TrainingDiagnostics {
  bool enabled = false;
  std::int64_t chains = 32, steps = 400, pairs = 64;
  YAML::Node sampler_cfg;  // the run's sampler config, in its long-chain form
  std::uint64_t seed = 0;

  // eval.diagnose, eval.diagnose_chains, eval.diagnose_steps, eval.diagnose_pairs; sampler.*; seed.
  static TrainingDiagnostics from_config(const Config& cfg);
  // The diag_* scalars at `iteration` (non-finite values, e.g. ρ of an uncoupled sampler, left out).
  std::map<std::string, double> measure(EnergyModel& model, const ChainInit& init, Dataset& data,
                                        const torch::Device& device, std::int64_t iteration) const;
};

}  // namespace stanley
