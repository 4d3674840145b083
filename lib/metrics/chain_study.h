#pragma once
// Long chains of one sampler at a frozen θ: the statistics `stanley diagnose` reports for it.
// f(z) of every chain at every step is the scalar summary; its second half (the first is warm-up, as
// in Stan) gives bulk/tail ESS, rank-normalised R̂ and nested R̂; R̂ over growing windows and the
// mean autocorrelation show how fast the chains forget their start. The final states' quality: KSD
// against the sampler's declared target π_T (score ∇f/T), MMD and energy distance to data.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/energy.h"
#include "samplers/sampler_registry.h"

namespace stanley {

struct ChainStudy {
  double step_size = 0, temperature = 0, gradients_per_step = 0;
  double accept_rate = NAN;                 // mean over steps; NaN for samplers without a test
  double ess_bulk = 0, ess_tail = 0, rhat = 0, rhat_nested = 0;
  double ess_per_grad = 0;                  // bulk ESS per gradient evaluation of all chains
  double ksd_imq = NAN, mmd_rbf_data = 0, energy_distance_data = 0;
  std::vector<std::int64_t> rhat_curve_steps;
  std::vector<double> rhat_curve;           // R̂ of the second half of the first `step` steps
  std::vector<double> acf;                  // mean autocorrelation of f over chains, lags 0..
  std::map<std::string, std::vector<double>> trace;  // the sampler's per-step statistics
};

struct ChainStudyOptions {
  std::int64_t steps = 2000;
  int superchain = 8;       // chains per superchain for nested R̂
  int rhat_points = 20;
  std::int64_t acf_lags = 200;
};

// Runs `options.steps` transitions from z0 ([chains, ...]) and summarises them; data_batch is real data
// of the same shape for the two-sample distances.
ChainStudy study_chains(EnergyModel& model, Sampler& sampler, torch::Tensor z0, const torch::Tensor& data_batch,
                        const ChainStudyOptions& options, at::Generator& gen);

// Warm-up of `steps` transitions dual-averaging the step to `target_accept`, then fixed at the
// averaged step; returns the states reached.
torch::Tensor adapt_step_size(EnergyModel& model, Sampler& sampler, torch::Tensor z, std::int64_t steps,
                              double target_accept, at::Generator& gen);

}  // namespace stanley
