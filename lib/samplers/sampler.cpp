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
