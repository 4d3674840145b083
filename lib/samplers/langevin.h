#pragma once
#include "config/config.h"
#include "samplers/gaussian_transition.h"

namespace stanley {

// Unadjusted Langevin: z ← z + (s/2)·∇f(z) + √s·ε·ξ, ξ ~ N(0, I); ≈ π_T with T = ε².
class LangevinKernel : public GaussianTransition {
 public:
  LangevinKernel(double step_size, double noise) : s_(step_size), eps_(noise) {}
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* info) const override;
  KernelPtr clone() const override { return std::make_unique<LangevinKernel>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_, eps_;
};

KernelPtr make_langevin(const Config& cfg);
// MALA: the Langevin kernel as a Metropolis–Hastings proposal, exact for π_T.
KernelPtr make_mala(const Config& cfg);

}  // namespace stanley
