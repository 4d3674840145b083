#pragma once
#include "samplers/sampler.h"

namespace stanley {

// The paper's "gradient descent without noise" baseline: z ← z + (s/2)·∇f(z).
class GradientDescentSampler : public ExplicitStepSampler {
 public:
  explicit GradientDescentSampler(double step_size) : ExplicitStepSampler(0.0), s_(step_size) {}
  torch::Tensor drift(const torch::Tensor& grad) const override { return (0.5 * s_) * grad; }

 private:
  double s_;
};

SamplerPtr make_gradient_descent(const Config& cfg);

}  // namespace stanley
