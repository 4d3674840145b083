#pragma once
#include "config/config.h"
#include "samplers/gaussian_transition.h"

namespace stanley {

// The paper's "gradient descent without noise" baseline: z ← z + (s/2)·∇f(z). No noise: T = 0, a mode.
class GradientDescentKernel : public GaussianTransition {
 public:
  explicit GradientDescentKernel(double step_size) : s_(step_size) {}
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& /*aux*/, double s,
                           InfoPtr* /*info*/) const override {
    return {z + (0.5 * s) * grad, {}, false};
  }
  KernelPtr clone() const override { return std::make_unique<GradientDescentKernel>(*this); }
  KernelTraits traits() const override { return KernelTraits::of(0.0, s_); }

 private:
  double s_;
};

KernelPtr make_gradient_descent(const Config& cfg);

}  // namespace stanley
