#pragma once
#include "samplers/sampler.h"

namespace stanley {

// The paper's "gradient descent without noise" baseline: z ← z + (s/2)·∇f(z).
class GradientDescentSampler : public Sampler {
 public:
  explicit GradientDescentSampler(double step_size) : s_(step_size) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;

 private:
  double s_;
};

SamplerPtr make_gradient_descent(const Config& cfg);

}  // namespace stanley
