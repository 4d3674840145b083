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

torch::Tensor normal_like(const torch::Tensor& like, at::Generator& gen) {
  return at::normal(0.0, 1.0, like.sizes(), gen, like.options());
}

}  // namespace stanley
