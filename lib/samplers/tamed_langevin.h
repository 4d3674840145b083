#pragma once
#include "config/config.h"
#include "samplers/gaussian_transition.h"

namespace stanley {

// Coordinate-wise tamed unadjusted Langevin (Brosse, Durmus, Moulines & Sabanis 2017, "TULAc"), in
// this suite's convention (f = −U, step s ↔ their 2γ):
//   z ← z + (s/2)·g / (1 + (s/2)·|g|) + √s·ε·ξ,   g = ∇f(z), per coordinate.
// The taming bounds the drift by 1 per coordinate, like STANLEY's clipping, but smoothly.
class TamedLangevinKernel : public GaussianTransition {
 public:
  TamedLangevinKernel(double step_size, double noise) : s_(step_size), eps_(noise) {}
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* info) const override;
  KernelPtr clone() const override { return std::make_unique<TamedLangevinKernel>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_, eps_;
};

KernelPtr make_tamed_langevin(const Config& cfg);

}  // namespace stanley
