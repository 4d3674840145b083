#pragma once
#include "samplers/sampler.h"

namespace stanley {

// The paper's "gradient descent without noise" baseline: z ← z + (s/2)·∇f(z). No noise: T = 0, a mode.
class GradientDescentSampler : public GaussianStepSampler {
 public:
  explicit GradientDescentSampler(double step_size) : s_(step_size) {}
  GaussianKernel step_kernel(const torch::Tensor& z, const torch::Tensor& grad) const override {
    return {z + (0.5 * s_) * grad, {}, false};
  }
  SamplerPtr fork() const override { return std::make_unique<GradientDescentSampler>(*this); }
  double temperature() const override { return 0.0; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_;
};

SamplerPtr make_gradient_descent(const Config& cfg);

}  // namespace stanley
