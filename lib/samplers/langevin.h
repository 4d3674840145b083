#pragma once
#include "config/config.h"
#include "samplers/gaussian_transition.h"

namespace stanley {

// Unadjusted Langevin: z ← z + (s/2)·∇f(z) + √s·ε·ξ, ξ ~ N(0, I); ≈ π_T with T = ε².
class LangevinKernel : public GaussianTransition {
 public:
  LangevinKernel(double step_size, double noise) : s_(step_size), eps_(noise) {}
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& aux, double step_size,
                           InfoPtr* info) const override;
  KernelPtr clone() const override { return std::make_unique<LangevinKernel>(*this); }
  KernelTraits traits() const override { return KernelTraits::of(eps_ * eps_, s_); }

 private:
  double s_, eps_;
};

KernelPtr make_langevin(const Config& cfg);
// MALA: the Langevin kernel as a Metropolis–Hastings proposal, exact for π_T.
KernelPtr make_mala(const Config& cfg);

}  // namespace stanley
