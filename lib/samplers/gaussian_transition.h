#pragma once
// Kernels whose transition is one Gaussian step z' = mean(z) + std(z)·ξ (Langevin, STANLEY, tamed
// Langevin, gd with no noise): each says only its kernel at z; the step, the proposal with its
// correction, and the Gaussian form for couplings follow from it here.

#include "samplers/transition_kernel.h"

namespace stanley {

class GaussianTransition : public TransitionKernel {
 public:
  // The kernel at z given ∇f(z); may depend on per-call state (STANLEY's γ fixed for an iteration).
  // Fills what the step reports of it (STANLEY's γ) into `info` when given.
  virtual GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* info) const = 0;

  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws) override;
  // The step as an MH proposal y: f, ∇f at y and log q(z|y) − log q(y|z).
  bool proposes() const override { return markov() && temperature() > 0; }
  Step propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws) override;
  // log q(from|to) − log q(to|from), f and ∇f known at both points.
  torch::Tensor log_correction(const ChainState& from, const ChainState& to) const;
  bool is_gaussian() const override { return markov(); }
  std::optional<GaussianKernel> gaussian(const torch::Tensor& z, const torch::Tensor& grad) const override;

 protected:
  // False when kernel_at depends on more than z (STANLEY's γ from another state).
  virtual bool markov() const { return true; }

 private:
  torch::Tensor log_correction(const ChainState& from, const GaussianKernel& from_kernel, const ChainState& to) const;
};

}  // namespace stanley
