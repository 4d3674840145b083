#pragma once
#include "samplers/stanley.h"

namespace stanley {

// STANLEY's proposal with a Metropolis–Hastings test: an exact sampler of exp f.
//   y ~ N(z + (γ(z)/2)⊙∇f(z), ε²·diag γ(z)),  γ(z) = s·th / max(th, |∇f(z)|)
// The proposal is not symmetric, so the test uses both densities, with γ evaluated at z for q(y|z)
// and at y for q(z|y), log-determinant terms included. Logs accept_rate and γ statistics.
class StanleyMhSampler : public Sampler {
 public:
  explicit StanleyMhSampler(StanleySampler::Options o) : o_(o), base_(o) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;

  bool adaptable() const override { return true; }
  double step_size() const override { return o_.step_size; }
  void set_step_size(double s) override {
    o_.step_size = s;
    base_ = StanleySampler(o_);
  }

  // log q(to | from) up to a constant, per chain, given ∇f(from).
  torch::Tensor log_proposal(const torch::Tensor& to, const torch::Tensor& from, const torch::Tensor& grad_from) const;
  torch::Tensor log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z, const EnergyGrad& at_y,
                                 const torch::Tensor& y) const;

 private:
  StanleySampler::Options o_;
  StanleySampler base_;  // for γ(∇f)
};

SamplerPtr make_stanley_mh(const Config& cfg);

}  // namespace stanley
