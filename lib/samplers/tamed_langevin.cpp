#include "samplers/tamed_langevin.h"

#include <cmath>

namespace stanley {

GaussianKernel TamedLangevinSampler::step_kernel(const torch::Tensor& z, const torch::Tensor& grad) const {
  const torch::Tensor drift = (0.5 * s_) * grad / (1.0 + (0.5 * s_) * grad.abs());
  return {z + drift, torch::full({}, std::sqrt(s_) * eps_, z.options()), false};
}

SamplerPtr make_tamed_langevin(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<TamedLangevinSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
