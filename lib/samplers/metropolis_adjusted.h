#pragma once
#include "samplers/sampler.h"

namespace stanley {

// A Gaussian-step sampler's kernel used as a Metropolis–Hastings proposal on π_T ∝ exp(f/T):
//     y ~ q(·|z) = the inner kernel at z,   accept per chain with prob. min(1, e^{(f(y)−f(z))/T} q(z|y)/q(y|z)).
// mala = MetropolisAdjusted(langevin), stanley_mh = MetropolisAdjusted(stanley with γ from the state).
// q(z|y) uses the kernel at y, so a state-dependent variance (STANLEY's γ) enters with its determinant.
class MetropolisAdjusted : public Sampler {
 public:
  explicit MetropolisAdjusted(SamplerPtr proposal);
  using Sampler::sample;
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace) override;
  SamplerPtr fork() const override;

  double temperature() const override { return proposal_->temperature(); }
  bool exact() const override { return true; }
  double step_size() const override { return proposal_->step_size(); }
  bool adaptable() const override { return proposal_->uses_step_size(); }
  void set_step_size(double s) override { proposal_->set_step_size(s); }
  torch::Tensor last_accept_rate() const override { return last_accept_; }

  // log of the acceptance ratio per chain, given f and ∇f at both points.
  torch::Tensor log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z, const EnergyGrad& at_y,
                                 const torch::Tensor& y) const;

 private:
  // The same, with the kernel at z already built (the loop drew y from it).
  torch::Tensor log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z, const GaussianKernel& from_z,
                                 const EnergyGrad& at_y, const torch::Tensor& y) const;
  std::unique_ptr<GaussianStepSampler> proposal_;
  torch::Tensor last_accept_;
};

}  // namespace stanley
