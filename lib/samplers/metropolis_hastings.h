#pragma once
// Metropolis–Hastings over any kernel that proposes (reports f, ∇f at its proposal and its log proposal
// correction), on π_T ∝ exp(f/T):
//     accept y per chain with probability min(1, exp((f(y) − f(z))/T + log correction)).
// mala = MH(Langevin), stanley_mh = MH(STANLEY with γ from the state), hmc = MH(leapfrog). For a Gaussian
// proposal the correction is log q(z|y) − log q(y|z) with q(z|y) the kernel at y, so a state-dependent
// variance (STANLEY's γ) enters with its determinant; for leapfrog it is the kinetic energy given up.
// The wrapper is the proposal's kernel with a test: its traits are the proposal's with the test's, its
// state is the proposal's (chosen per chain with z), and it has no capability of its own.

#include "samplers/transition_kernel.h"

namespace stanley {

class MetropolisHastings : public TransitionKernel {
 public:
  explicit MetropolisHastings(KernelPtr proposal);
  KernelPtr clone() const override { return std::make_unique<MetropolisHastings>(proposal_->clone()); }
  KernelTraits traits() const override;
  KernelState init(EnergyModel& energy, const ChainState& start, const KernelState& carried, double step_size) const override {
    return proposal_->init(energy, start, carried, step_size);
  }
  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const override;
  KernelState carry(const ChainState& last) const override { return proposal_->carry(last); }

 private:
  KernelPtr proposal_;
};

// The log acceptance ratio of moving `from` → `to` on π_T given the proposal's log correction.
torch::Tensor metropolis_log_ratio(const ChainState& from, const ChainState& to, double temperature,
                                   const torch::Tensor& log_correction);

// The MH choice per chain: `to` where log u < log_ratio, else `from` (f, ∇f and the kernel's per-chain
// tensors follow); NaN rejects.
struct MhChoice {
  ChainState next;
  torch::Tensor accepted;  // [batch] bool
};
MhChoice metropolis_choice(const ChainState& from, const ChainState& to, const torch::Tensor& log_ratio,
                           const torch::Tensor& u);

}  // namespace stanley
