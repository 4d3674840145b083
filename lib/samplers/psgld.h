#pragma once
#include "samplers/sampler.h"

namespace stanley {

// RMSprop-preconditioned Langevin (pSGLD, Li, Chen, Carlson & Carin 2016), in this suite's convention:
//   V ← α·V + (1 − α)·g⊙g   (V₀ = g₀⊙g₀),   G = 1 / (λ + √V)
//   z ← z + (s/2)·G⊙g + √(s·G)⊙ε·ξ            ≈ π_T, T = ε²
// The Γ(θ) correction term of the paper is dropped, as in its experiments. G depends on the chain's
// history, so the transition is no Gaussian kernel of z alone (no coupling).
class PsgldSampler : public Sampler {
 public:
  PsgldSampler(double step_size, double noise, double alpha, double lambda)
      : s_(step_size), eps_(noise), alpha_(alpha), lambda_(lambda) {}
  using Sampler::sample;
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace) override;
  SamplerPtr fork() const override { return std::make_unique<PsgldSampler>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }

 private:
  double s_, eps_, alpha_, lambda_;
};

SamplerPtr make_psgld(const Config& cfg);

}  // namespace stanley
