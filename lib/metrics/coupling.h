#pragma once
// Convergence rates measured with couplings.
//
// L-lag couplings (Biswas, Jacob & Vanetti 2019): chain X runs L steps ahead of Y, then both move with
// a coupled kernel that lets them meet exactly; the meeting times τ bound the total-variation distance
// of the chain's law after k steps to its stationary law:
//     d_TV(π_k, π) ≤ E[max(0, ⌈(τ − L − k) / L⌉)].
// The coupled kernels are the samplers' own Gaussian kernels (Sampler::kernel), z' = μ(z) + σ(z)⊙ξ:
//   constant σ (Langevin, tamed):          reflection-maximal coupling (Jacob, O'Leary & Atchadé 2020)
//   state-dependent σ (STANLEY, every_step): rejection maximal coupling of the two Gaussians
// Samplers without such a kernel (MH-adjusted, HMC, pSGLD, gd without noise) have no coupling here.
// The synchronous coupling (common ξ) gives the contraction rate of E‖X_k − Y_k‖.

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "models/energy.h"
#include "samplers/sampler.h"

namespace stanley {

struct CouplingOptions {
  std::int64_t pairs = 256;
  std::int64_t lag = 1;          // L
  std::int64_t max_steps = 5000; // pairs not met by then count as τ = max_steps (the bound is then a lower estimate)
  std::int64_t horizon = 200;    // TV bound reported for k = 0..horizon
  std::int64_t bootstrap = 200;  // resamples for ρ's interval
};

struct RateFit {
  double rho = NAN, lo = NAN, hi = NAN;  // point estimate and 95% bootstrap interval
  std::int64_t points = 0;               // k values used (above the Monte Carlo floor)
};

struct CouplingResult {
  std::vector<std::int64_t> meeting_times;  // τ per pair
  std::int64_t unmet = 0;                    // pairs that had not met by max_steps
  std::vector<double> tv_bound;              // k = 0..horizon
  RateFit rate;
};

// Chains start from `x0` and `y0` (independent draws of the initial law, [pairs, ...]).
CouplingResult llag_coupling(EnergyModel& f, const Sampler& sampler, torch::Tensor x0, torch::Tensor y0,
                             const CouplingOptions& options, at::Generator& gen);

// One coupled step: (x', y') with P(x' = y') as large as the coupling allows.
std::pair<torch::Tensor, torch::Tensor> coupled_step(EnergyModel& f, const Sampler& sampler,
                                                     const torch::Tensor& x, const torch::Tensor& y,
                                                     at::Generator& gen);

// TV bound curve from meeting times.
std::vector<double> tv_upper_bound(const std::vector<std::int64_t>& tau, std::int64_t lag, std::int64_t horizon);
// Least-squares slope of log TV(k) on k over the points with floor < TV(k) < 1, as ρ = exp(slope);
// the interval from resampling the pairs.
RateFit fit_rate(const std::vector<std::int64_t>& tau, std::int64_t lag, std::int64_t horizon, std::int64_t bootstrap,
                 std::uint64_t seed);

// Synchronous coupling: E‖X_k − Y_k‖ for k = 0..steps under common noise, and its geometric rate.
struct ContractionResult {
  std::vector<double> mean_distance;
  double rate = NAN;
};
ContractionResult synchronous_contraction(EnergyModel& f, const Sampler& sampler, torch::Tensor x0,
                                          torch::Tensor y0, std::int64_t steps, at::Generator& gen);

}  // namespace stanley
