#include "samplers/stanley.h"

#include <fmt/format.h>

namespace stanley {

torch::Tensor StanleySampler::step_sizes(const torch::Tensor& grad) const {
  torch::Tensor magnitude = grad.abs();
  if (o_.scale == Scale::kL2) {
    magnitude = per_chain(grad.flatten(1).norm(2, 1), grad).expand_as(grad);
  }
  return (o_.step_size * o_.th) / torch::clamp_min(magnitude, o_.th);
}

torch::Tensor StanleySampler::step(const torch::Tensor& z, const torch::Tensor& grad, const torch::Tensor& gamma,
                                   const torch::Tensor& noise) const {
  return z + 0.5 * gamma * grad + o_.noise * gamma.sqrt() * noise;
}

torch::Tensor StanleySampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                     at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  torch::Tensor gamma;
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const EnergyGrad eg = energy_and_grad(energy, z);
    // Algorithm 1, line 3: γ is set from the gradient at the chain's start, once per EBM iteration.
    if (k == 0 || o_.stepsize == StepsizeMode::kPerStep) gamma = step_sizes(eg.grad);
    torch::Tensor next = step(z, eg.grad, gamma, normal_like(z, gen));
    record_common_stats(trace, eg, z, next);
    record_gamma_stats(trace, gamma, o_.step_size);
    z = next;
  }
  return z;
}

void record_gamma_stats(ChainTrace* trace, const torch::Tensor& gamma, double step_size) {
  if (!trace) return;
  trace->add("gamma_mean", gamma.mean().item<double>());
  trace->add("gamma_min", gamma.min().item<double>());
  trace->add("clip_frac", (gamma < step_size).to(torch::kFloat).mean().item<double>());
}

SamplerPtr make_stanley(const Config& cfg) {
  StanleySampler::Options o;
  o.step_size = cfg.get<double>("step_size");
  o.noise = cfg.get<double>("noise");
  o.th = cfg.get<double>("th");
  const auto mode = cfg.get<std::string>("stepsize");
  if (mode == "per_iteration") o.stepsize = StanleySampler::StepsizeMode::kPerIteration;
  else if (mode == "per_step") o.stepsize = StanleySampler::StepsizeMode::kPerStep;
  else throw UserError(fmt::format("{}: '{}' is not one of per_iteration, per_step", cfg.full_key("stepsize"), mode));
  const auto scale = cfg.get<std::string>("scale");
  if (scale == "elementwise") o.scale = StanleySampler::Scale::kElementwise;
  else if (scale == "l2") o.scale = StanleySampler::Scale::kL2;
  else throw UserError(fmt::format("{}: '{}' is not one of elementwise, l2", cfg.full_key("scale"), scale));
  if (!(o.th > 0)) throw UserError(fmt::format("{} must be > 0", cfg.full_key("th")));
  return std::make_unique<StanleySampler>(o);
}

}  // namespace stanley
