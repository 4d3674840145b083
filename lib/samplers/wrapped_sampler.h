#pragma once
// A sampler that wraps another (step adaptation, CUDA-graph replay) and forwards whatever it does not
// change to it.
#include "samplers/sampler.h"

namespace stanley {

class WrappedSampler : public Sampler {
 public:
  explicit WrappedSampler(SamplerPtr inner) : inner_(std::move(inner)) {}

  double temperature() const override { return inner_->temperature(); }
  bool exact() const override { return inner_->exact(); }
  std::optional<GaussianKernel> kernel(const torch::Tensor& z, const torch::Tensor& grad) const override {
    return inner_->kernel(z, grad);
  }
  bool couplable() const override { return inner_->couplable(); }
  double gradients_per_step() const override { return inner_->gradients_per_step(); }
  double gradients_per_call() const override { return inner_->gradients_per_call(); }
  double step_size() const override { return inner_->step_size(); }
  bool adaptable() const override { return inner_->adaptable(); }
  void set_step_size(double s) override { inner_->set_step_size(s); }
  torch::Tensor last_accept_rate() const override { return inner_->last_accept_rate(); }
  std::map<std::string, torch::Tensor> state() const override { return inner_->state(); }
  void load_state(const std::map<std::string, torch::Tensor>& state) override { inner_->load_state(state); }

 protected:
  SamplerPtr inner_;
};

}  // namespace stanley
