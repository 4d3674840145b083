#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Hamiltonian Monte Carlo on π_T ∝ exp(f/T), T = ε², unit mass: momentum p ~ N(0, I), L leapfrog steps
// of size h on H(q, p) = −f(q)/T + ½‖p‖², then a Metropolis test per chain on exp(H₀ − H₁).
// The step key is the Langevin-equivalent s shared by every sampler, with h = ε·√s: one leapfrog step
// (L = 1) then proposes exactly the Langevin step z + (s/2)∇f + √s·ε·ξ, i.e. HMC with L = 1 is MALA.
// One transition costs L gradient evaluations. Logs accept_rate and abs_delta_h.
class HmcSampler : public Sampler {
 public:
  HmcSampler(double step_size, double noise, std::int64_t n_leapfrog) : s_(step_size), eps_(noise), l_(n_leapfrog) {}
  using Sampler::sample;
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace) override;
  SamplerPtr fork() const override { return std::make_unique<HmcSampler>(*this); }
  double temperature() const override { return eps_ * eps_; }
  bool exact() const override { return true; }
  double gradients_per_step() const override { return static_cast<double>(l_); }
  double step_size() const override { return s_; }
  bool adaptable() const override { return true; }
  void set_step_size(double s) override { s_ = s; }
  torch::Tensor last_accept_rate() const override { return last_accept_; }
  // The leapfrog step h = ε√s.
  double leapfrog_step() const;

 private:
  double s_, eps_;
  std::int64_t l_;
  torch::Tensor last_accept_;
};

SamplerPtr make_hmc(const Config& cfg);

}  // namespace stanley
