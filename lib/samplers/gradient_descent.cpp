#include "samplers/gradient_descent.h"

namespace stanley {

torch::Tensor GradientDescentSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                             at::Generator& /*gen*/, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const EnergyGrad eg = energy_and_grad(energy, z);
    torch::Tensor next = z + (0.5 * s_) * eg.grad;
    record_common_stats(trace, eg, z, next);
    z = next;
  }
  return z;
}

SamplerPtr make_gradient_descent(const Config& cfg) {
  return std::make_unique<GradientDescentSampler>(cfg.get<double>("step_size"));
}

}  // namespace stanley
