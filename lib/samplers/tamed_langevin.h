#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Coordinate-wise tamed unadjusted Langevin (Brosse, Durmus, Moulines & Sabanis 2017, "TULAc"), in
// this suite's convention (f = −U, step s ↔ their 2γ):
//   z ← z + (s/2)·g / (1 + (s/2)·|g|) + √s·ε·ξ,   g = ∇f(z), per coordinate.
// The taming bounds the drift by 1 per coordinate, like STANLEY's clipping, but smoothly.
class TamedLangevinSampler : public GaussianStepSampler {
 public:
  TamedLangevinSampler(double step_size, double noise) : s_(step_size), eps_(noise) {}
  GaussianKernel step_kernel(const torch::Tensor& z, const torch::Tensor& grad) const override;
  SamplerPtr fork() const override { return std::make_unique<TamedLangevinSampler>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_, eps_;
};

SamplerPtr make_tamed_langevin(const Config& cfg);

}  // namespace stanley
