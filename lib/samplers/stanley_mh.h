#pragma once
#include "samplers/stanley.h"

namespace stanley {

// STANLEY's proposal with a Metropolis–Hastings test: an exact sampler of exp f.
//   y ~ N(z + (γ(z)/2)⊙∇f(z), ε²·diag γ(z)),  γ(z) = s·th / max(th, |∇f(z)|)
// The proposal is not symmetric, so the test uses both densities, with γ evaluated at z for q(y|z)
// and at y for q(z|y), log-determinant terms included. Logs accept_rate and γ statistics.
class StanleyMhSampler : public GaussianMhSampler {
 public:
  explicit StanleyMhSampler(StanleySampler::Options o) : o_(o), base_(o) {}
  Proposal proposal(const torch::Tensor& z, const torch::Tensor& grad) const override {
    const torch::Tensor gamma = base_.step_sizes(grad);
    return {z + 0.5 * gamma * grad, (o_.noise * o_.noise) * gamma};
  }
  double step_size() const override { return o_.step_size; }
  void set_step_size(double s) override {
    o_.step_size = s;
    base_ = StanleySampler(o_);
  }

 protected:
  void record_extra(ChainTrace* trace, const torch::Tensor& grad) const override {
    record_gamma_stats(trace, base_.step_sizes(grad), o_.step_size);
  }

 private:
  StanleySampler::Options o_;
  StanleySampler base_;  // for γ(∇f)
};

SamplerPtr make_stanley_mh(const Config& cfg);

}  // namespace stanley
