#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Metropolis-adjusted Langevin: the Langevin proposal y ~ N(z + (s/2)∇f(z), s·ε²·I) accepted per chain
// with probability min(1, exp(f(y) − f(z)) · q(z | y) / q(y | z)). With ε = 1 it targets exp f exactly.
class MalaSampler : public GaussianMhSampler {
 public:
  MalaSampler(double step_size, double noise) : s_(step_size), eps_(noise) {}
  Proposal proposal(const torch::Tensor& z, const torch::Tensor& grad) const override {
    return {z + (0.5 * s_) * grad, torch::full({}, s_ * eps_ * eps_, z.options())};
  }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

 private:
  double s_, eps_;
};

SamplerPtr make_mala(const Config& cfg);

}  // namespace stanley
