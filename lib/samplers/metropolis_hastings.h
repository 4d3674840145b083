#pragma once
// Metropolis–Hastings over any kernel that proposes (reports f, ∇f at its proposal and its log proposal
// correction), on π_T ∝ exp(f/T):
//     accept y per chain with probability min(1, exp((f(y) − f(z))/T + log correction)).
// mala = MH(Langevin), stanley_mh = MH(STANLEY with γ from the state), hmc = MH(leapfrog). For a Gaussian
// proposal the correction is log q(z|y) − log q(y|z) with q(z|y) the kernel at y, so a state-dependent
// variance (STANLEY's γ) enters with its determinant; for leapfrog it is the kinetic energy given up.

#include "samplers/transition_kernel.h"

namespace stanley {

class MetropolisHastings : public TransitionKernel {
 public:
  explicit MetropolisHastings(KernelPtr proposal);
  KernelPtr clone() const override { return std::make_unique<MetropolisHastings>(proposal_->clone()); }
  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws) override;

  double temperature() const override { return proposal_->temperature(); }
  double step_size() const override { return proposal_->step_size(); }
  void set_step_size(double s) override { proposal_->set_step_size(s); }
  bool uses_step_size() const override { return proposal_->uses_step_size(); }
  double gradients_per_step() const override { return proposal_->gradients_per_step(); }
  bool draws_normal() const override { return proposal_->draws_normal(); }
  bool draws_uniform() const override { return true; }
  bool calibrated() const override { return true; }
  void begin(EnergyModel& energy, const ChainState& start) override { proposal_->begin(energy, start); }
  void end(const ChainState& last) override { proposal_->end(last); }

 private:
  KernelPtr proposal_;
};

// The log acceptance ratio of moving `from` → `to` on π_T given the proposal's log correction.
torch::Tensor metropolis_log_ratio(const ChainState& from, const ChainState& to, double temperature,
                                   const torch::Tensor& log_correction);

// The MH choice per chain: `to` where log u < log_ratio, else `from` (f and ∇f follow); NaN rejects.
struct MhChoice {
  ChainState next;
  torch::Tensor accepted;  // [batch] bool
};
MhChoice metropolis_choice(const ChainState& from, const ChainState& to, const torch::Tensor& log_ratio,
                           const torch::Tensor& u);

}  // namespace stanley
