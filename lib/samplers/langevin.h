#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Unadjusted Langevin: z ← z + (s/2)·∇f(z) + √s·ε·ξ, ξ ~ N(0, I).
class LangevinSampler : public ExplicitStepSampler {
 public:
  LangevinSampler(double step_size, double noise);
  torch::Tensor drift(const torch::Tensor& grad) const override { return (0.5 * s_) * grad; }

 private:
  double s_;
};

SamplerPtr make_langevin(const Config& cfg);

}  // namespace stanley
