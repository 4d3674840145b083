#pragma once
#include "samplers/wrapped_sampler.h"

namespace stanley {

// Step-size adaptation of a Metropolis–Hastings sampler across calls (EBM iterations), toward a target
// acceptance rate δ. After each call, with ā the call's mean acceptance:
//     log s ← log s + rate·(ā − δ)
// The step is fixed within a call, so each call's K transitions are one MH chain with one kernel. A
// constant gain (Robbins–Monro) rather than dual averaging's decaying one: the target f_θ keeps moving
// during training, and a decaying gain would freeze the step while it does. One host read per call.
class AdaptedStep : public WrappedSampler {
 public:
  AdaptedStep(SamplerPtr inner, double target_accept, double rate);
  using Sampler::sample;
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace) override;
  SamplerPtr fork() const override;

  bool adaptable() const override { return true; }
  std::map<std::string, torch::Tensor> state() const override;
  void load_state(const std::map<std::string, torch::Tensor>& state) override;

 private:
  double target_, rate_;  // the adapted step itself lives in the inner sampler
};

}  // namespace stanley
