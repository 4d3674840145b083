#include "samplers/adapted_step.h"

#include <cmath>

namespace stanley {

namespace {
constexpr const char* kStateKey = "adapted_log_step";
}

AdaptedStep::AdaptedStep(SamplerPtr inner, double target_accept, double rate)
    : WrappedSampler(std::move(inner)), target_(target_accept), rate_(rate) {}

torch::Tensor AdaptedStep::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                  const ChainStreams& streams, ChainTrace* trace) {
  torch::Tensor z = inner_->sample(energy, z0, n_steps, streams, trace);
  const torch::Tensor accept = inner_->last_accept_rate();
  if (accept.defined()) set_step_size(std::exp(std::log(step_size()) + rate_ * (accept.item<double>() - target_)));
  return z;
}

SamplerPtr AdaptedStep::fork() const {
  return std::make_unique<AdaptedStep>(inner_->fork(), target_, rate_);
}

std::map<std::string, torch::Tensor> AdaptedStep::state() const {
  auto st = inner_->state();
  st[kStateKey] = torch::tensor(std::log(step_size()), torch::kFloat64);
  return st;
}

void AdaptedStep::load_state(const std::map<std::string, torch::Tensor>& state) {
  inner_->load_state(state);
  if (state.count(kStateKey)) set_step_size(std::exp(state.at(kStateKey).item<double>()));
}

}  // namespace stanley
