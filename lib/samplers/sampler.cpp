#include "samplers/sampler.h"

namespace stanley {

SamplerPtr make_sampler(const Config& sampler_cfg) {
  return sampler_registry().get(sampler_cfg.get<std::string>("name")).factory(sampler_cfg);
}

torch::Tensor per_sample_norm(const torch::Tensor& t) { return t.flatten(1).norm(2, 1); }

void record_common_stats(ChainTrace* trace, const EnergyGrad& eg, const torch::Tensor& z_prev,
                         const torch::Tensor& z_next) {
  if (!trace) return;
  trace->add("f_mean", eg.f.mean().item<double>());
  trace->add("grad_norm", per_sample_norm(eg.grad).mean().item<double>());
  trace->add("step_norm", per_sample_norm(z_next - z_prev).mean().item<double>());
  if (trace->observe) trace->observe(z_next);
}

torch::Tensor ExplicitStepSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                          at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const EnergyGrad eg = energy_and_grad(energy, z);
    torch::Tensor next = z + drift(eg.grad);
    if (noise_sd_ != 0.0) next = next + noise_sd_ * normal_like(z, gen);
    record_common_stats(trace, eg, z, next);
    z = next;
  }
  return z;
}

torch::Tensor GaussianMhSampler::log_proposal(const torch::Tensor& to, const torch::Tensor& from,
                                              const torch::Tensor& grad_from) const {
  const Proposal p = proposal(from, grad_from);
  const torch::Tensor var = p.var.expand_as(to);
  return -((to - p.mean).pow(2) / (2.0 * var) + 0.5 * var.log()).flatten(1).sum(1);
}

torch::Tensor GaussianMhSampler::log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z,
                                                  const EnergyGrad& at_y, const torch::Tensor& y) const {
  return at_y.f - at_z.f + log_proposal(z, y, at_y.grad) - log_proposal(y, z, at_z.grad);
}

torch::Tensor GaussianMhSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                        at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  EnergyGrad at_z = energy_and_grad(energy, z);
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const Proposal p = proposal(z, at_z.grad);
    const torch::Tensor y = p.mean + p.var.sqrt() * normal_like(z, gen);
    const EnergyGrad at_y = energy_and_grad(energy, y);
    MhChoice c = metropolis_choice(z, at_z, y, at_y, log_accept_ratio(at_z, z, at_y, y), gen);
    if (trace) {
      record_common_stats(trace, at_z, z, c.next);
      trace->add("accept_rate", c.accepted.to(torch::kFloat).mean().item<double>());
      record_extra(trace, at_z.grad);
    }
    at_z = c.at_next;
    z = c.next;
  }
  return z;
}

torch::Tensor per_chain(const torch::Tensor& mask, const torch::Tensor& like) {
  std::vector<std::int64_t> view(like.dim(), 1);
  view[0] = like.size(0);
  return mask.view(view);
}

MhChoice metropolis_choice(const torch::Tensor& z, const EnergyGrad& at_z, const torch::Tensor& y,
                           const EnergyGrad& at_y, const torch::Tensor& log_ratio, at::Generator& gen) {
  // A NaN ratio (an overflowing proposal) rejects.
  const torch::Tensor accept = at::rand({z.size(0)}, gen, at_z.f.options()).log() < log_ratio;
  const torch::Tensor rows = per_chain(accept, z);
  return {torch::where(rows, y, z),
          {torch::where(accept, at_y.f, at_z.f), torch::where(per_chain(accept, at_z.grad), at_y.grad, at_z.grad)},
          accept};
}

torch::Tensor normal_like(const torch::Tensor& like, at::Generator& gen) {
  return at::normal(0.0, 1.0, like.sizes(), gen, like.options());
}

}  // namespace stanley
