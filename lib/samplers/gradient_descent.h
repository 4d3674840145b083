#pragma once
#include "config/config.h"
#include "samplers/gaussian_transition.h"

namespace stanley {

// The paper's "gradient descent without noise" baseline: z ← z + (s/2)·∇f(z). No noise: T = 0, a mode.
class GradientDescentKernel : public GaussianTransition {
 public:
  explicit GradientDescentKernel(double step_size) : s_(step_size) {}
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* /*info*/) const override {
    return {z + (0.5 * s_) * grad, {}, false};
  }
  KernelPtr clone() const override { return std::make_unique<GradientDescentKernel>(*this); }
  double temperature() const override { return 0.0; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_;
};

KernelPtr make_gradient_descent(const Config& cfg);

}  // namespace stanley
