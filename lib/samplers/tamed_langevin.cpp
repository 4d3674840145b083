#include "samplers/tamed_langevin.h"

#include <cmath>

namespace stanley {

torch::Tensor TamedLangevinSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                           at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const EnergyGrad eg = energy_and_grad(energy, z);
    torch::Tensor next = z + drift(eg.grad) + (std::sqrt(s_) * eps_) * normal_like(z, gen);
    record_common_stats(trace, eg, z, next);
    z = next;
  }
  return z;
}

SamplerPtr make_tamed_langevin(const Config& cfg) {
  return std::make_unique<TamedLangevinSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
