#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Unadjusted Langevin: z ← z + (s/2)·∇f(z) + √s·ε·ξ, ξ ~ N(0, I); ≈ π_T with T = ε².
class LangevinSampler : public GaussianStepSampler {
 public:
  LangevinSampler(double step_size, double noise) : s_(step_size), eps_(noise) {}
  GaussianKernel step_kernel(const torch::Tensor& z, const torch::Tensor& grad) const override;
  SamplerPtr fork() const override { return std::make_unique<LangevinSampler>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_, eps_;
};

SamplerPtr make_langevin(const Config& cfg);
// MALA: the Langevin kernel as a Metropolis–Hastings proposal, exact for π_T.
SamplerPtr make_mala(const Config& cfg);

}  // namespace stanley
