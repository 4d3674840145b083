#include "samplers/mala.h"

#include <cmath>

namespace stanley {

torch::Tensor MalaSampler::log_proposal(const torch::Tensor& to, const torch::Tensor& from,
                                        const torch::Tensor& grad_from) const {
  const torch::Tensor diff = to - from - (0.5 * s_) * grad_from;
  return -diff.flatten(1).pow(2).sum(1) / (2.0 * s_ * eps_ * eps_);
}

torch::Tensor MalaSampler::log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z, const EnergyGrad& at_y,
                                            const torch::Tensor& y) const {
  return at_y.f - at_z.f + log_proposal(z, y, at_y.grad) - log_proposal(y, z, at_z.grad);
}

torch::Tensor MalaSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                  at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  EnergyGrad at_z = energy_and_grad(energy, z);
  for (std::int64_t k = 0; k < n_steps; ++k) {
    torch::Tensor y = z + (0.5 * s_) * at_z.grad + (std::sqrt(s_) * eps_) * normal_like(z, gen);
    const EnergyGrad at_y = energy_and_grad(energy, y);
    MhChoice c = metropolis_choice(z, at_z, y, at_y, log_accept_ratio(at_z, z, at_y, y), gen);
    if (trace) {
      record_common_stats(trace, at_z, z, c.next);
      trace->add("accept_rate", c.accepted.to(torch::kFloat).mean().item<double>());
    }
    at_z = c.at_next;
    z = c.next;
  }
  return z;
}

SamplerPtr make_mala(const Config& cfg) {
  return std::make_unique<MalaSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
