#include "samplers/stanley_mh.h"

namespace stanley {

torch::Tensor StanleyMhSampler::log_proposal(const torch::Tensor& to, const torch::Tensor& from,
                                             const torch::Tensor& grad_from) const {
  const torch::Tensor gamma = base_.step_sizes(grad_from);
  const torch::Tensor diff = to - from - 0.5 * gamma * grad_from;
  const torch::Tensor var = o_.noise * o_.noise * gamma;
  return -(diff.pow(2) / (2.0 * var) + 0.5 * var.log()).flatten(1).sum(1);
}

torch::Tensor StanleyMhSampler::log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z,
                                                 const EnergyGrad& at_y, const torch::Tensor& y) const {
  return at_y.f - at_z.f + log_proposal(z, y, at_y.grad) - log_proposal(y, z, at_z.grad);
}

torch::Tensor StanleyMhSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                       at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  EnergyGrad at_z = energy_and_grad(energy, z);
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const torch::Tensor gamma = base_.step_sizes(at_z.grad);
    torch::Tensor y = base_.step(z, at_z.grad, gamma, normal_like(z, gen));
    const EnergyGrad at_y = energy_and_grad(energy, y);
    MhChoice c = metropolis_choice(z, at_z, y, at_y, log_accept_ratio(at_z, z, at_y, y), gen);
    if (trace) {
      record_common_stats(trace, at_z, z, c.next);
      trace->add("accept_rate", c.accepted.to(torch::kFloat).mean().item<double>());
      record_gamma_stats(trace, gamma, o_.step_size);
    }
    at_z = c.at_next;
    z = c.next;
  }
  return z;
}

SamplerPtr make_stanley_mh(const Config& cfg) {
  StanleySampler::Options o;
  o.step_size = cfg.get<double>("step_size");
  o.noise = cfg.get<double>("noise");
  o.th = cfg.get<double>("th");
  if (!(o.th > 0)) throw UserError(cfg.full_key("th") + " must be > 0");
  return std::make_unique<StanleyMhSampler>(o);
}

}  // namespace stanley
