#pragma once
// Kernels whose transition is one Gaussian step z' = mean(z) + std(z)·ξ (Langevin, STANLEY, tamed
// Langevin, gd with no noise): each says only its kernel at z; the step, the proposal with its
// correction, and the Gaussian form for couplings follow from it here.

#include "samplers/transition_kernel.h"

namespace stanley {

class GaussianTransition : public TransitionKernel, public Proposing, public GaussianForm {
 public:
  // The kernel at z given ∇f(z) and the call's tensors (STANLEY's γ fixed for an iteration); what the step
  // reports of it (STANLEY's γ) into `info` when given.
  virtual GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& aux,
                                   double step_size, InfoPtr* info) const = 0;

  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const override;
  // The step as an MH proposal y: f, ∇f at y and log q(z|y) − log q(y|z).
  Proposal propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const override;
  // log q(from|to) − log q(to|from), f and ∇f known at both points.
  torch::Tensor log_correction(const ChainState& from, const ChainState& to, double step_size) const;
  GaussianKernel at(const torch::Tensor& z, const torch::Tensor& grad, double step_size) const override {
    return kernel_at(z, grad, {}, step_size, nullptr);
  }
  // A proposal where the kernel is Markov and has noise; a Gaussian form where it is Markov.
  const Proposing* proposing() const override { return markov() && traits().temperature > 0 ? this : nullptr; }
  const GaussianForm* gaussian() const override { return markov() ? this : nullptr; }

 protected:
  // False when kernel_at depends on more than z (STANLEY's γ from another state).
  virtual bool markov() const { return true; }

 private:
  torch::Tensor log_correction(const ChainState& from, const GaussianKernel& from_kernel, const ChainState& to,
                               double step_size) const;
};

}  // namespace stanley
