#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Step-size adaptation of a Metropolis–Hastings sampler across calls (EBM iterations), toward a target
// acceptance rate δ. After each call, with ā the call's mean acceptance:
//     log s ← log s + rate·(ā − δ)
// The step is fixed within a call, so each call's K transitions are one MH chain with one kernel. A
// constant gain (Robbins–Monro) rather than dual averaging's decaying one: the target f_θ keeps moving
// during training, and a decaying gain would freeze the step while it does. One host read per call.
class AdaptedStep : public Sampler {
 public:
  AdaptedStep(SamplerPtr inner, double target_accept, double rate);
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;
  SamplerPtr fork() const override;

  double temperature() const override { return inner_->temperature(); }
  bool exact() const override { return inner_->exact(); }
  std::optional<GaussianKernel> kernel(const torch::Tensor& z, const torch::Tensor& grad) const override {
    return inner_->kernel(z, grad);
  }
  bool couplable() const override { return inner_->couplable(); }
  double gradients_per_step() const override { return inner_->gradients_per_step(); }
  double gradients_per_call() const override { return inner_->gradients_per_call(); }
  double step_size() const override { return inner_->step_size(); }
  bool adaptable() const override { return true; }
  void set_step_size(double s) override { inner_->set_step_size(s); }
  torch::Tensor last_accept_rate() const override { return inner_->last_accept_rate(); }
  std::map<std::string, torch::Tensor> state() const override;
  void load_state(const std::map<std::string, torch::Tensor>& state) override;

 private:
  SamplerPtr inner_;
  double target_, rate_;  // the adapted step itself lives in the inner sampler
};

}  // namespace stanley
