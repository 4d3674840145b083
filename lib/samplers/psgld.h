#pragma once
#include "config/config.h"
#include "samplers/transition_kernel.h"

namespace stanley {

// RMSprop-preconditioned Langevin (pSGLD, Li, Chen, Carlson & Carin 2016), in this suite's convention:
//   V ← α·V + (1 − α)·g⊙g   (V₀ = g₀⊙g₀ at each call's first step),   G = 1 / (λ + √V)
//   z ← z + (s/2)·G⊙g + √(s·G)⊙ε·ξ            ≈ π_T, T = ε²
// The Γ(θ) correction term of the paper is dropped, as in its experiments. G depends on the chain's
// history, so the transition is no Gaussian kernel of z alone (no coupling).
class PsgldKernel : public TransitionKernel {
 public:
  PsgldKernel(double step_size, double noise, double alpha, double lambda)
      : s_(step_size), eps_(noise), alpha_(alpha), lambda_(lambda) {}
  KernelPtr clone() const override { return std::make_unique<PsgldKernel>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }
  void begin(EnergyModel& /*energy*/, const ChainState& /*start*/) override { v_ = torch::Tensor(); }
  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws) override;

 private:
  double s_, eps_, alpha_, lambda_;
  torch::Tensor v_;  // the moving average of ∇f⊙∇f within the current call
};

KernelPtr make_psgld(const Config& cfg);

}  // namespace stanley
