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
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& aux, double step_size,
                           InfoPtr* info) const override;
  KernelPtr clone() const override { return std::make_unique<TamedLangevinKernel>(*this); }
  KernelTraits traits() const override { return KernelTraits::of(eps_ * eps_, s_); }

 private:
  double s_, eps_;
};

KernelPtr make_tamed_langevin(const Config& cfg);

}  // namespace stanley
