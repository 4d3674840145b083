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
  KernelTraits traits() const override { return KernelTraits::of(eps_ * eps_, s_); }
  // V, the moving average of ∇f⊙∇f, lives in the chain state for the call (a fresh one each call).
  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const override;

 private:
  double s_, eps_, alpha_, lambda_;
};

KernelPtr make_psgld(const Config& cfg);

}  // namespace stanley
