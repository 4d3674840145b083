#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Hamiltonian Monte Carlo with unit mass: momentum p ~ N(0, I), L leapfrog steps of size h on
// H(q, p) = −f(q) + ½‖p‖², then a Metropolis test per chain on exp(H₀ − H₁).
// One transition costs L gradient evaluations. Logs accept_rate and abs_delta_h.
class HmcSampler : public Sampler {
 public:
  HmcSampler(double step_size, std::int64_t n_leapfrog) : h_(step_size), l_(n_leapfrog) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;
  double gradients_per_step() const override { return static_cast<double>(l_); }
  bool adaptable() const override { return true; }
  double step_size() const override { return h_; }
  void set_step_size(double h) override { h_ = h; }

 private:
  double h_;
  std::int64_t l_;
};

SamplerPtr make_hmc(const Config& cfg);

}  // namespace stanley
