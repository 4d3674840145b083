#include "samplers/langevin.h"

#include <cmath>

#include "samplers/metropolis_adjusted.h"

namespace stanley {

GaussianKernel LangevinSampler::step_kernel(const torch::Tensor& z, const torch::Tensor& grad) const {
  return {torch::add(z, grad, 0.5 * s_), torch::full({}, std::sqrt(s_) * eps_, z.options()), false};  // z + (s/2)∇f, one kernel
}

SamplerPtr make_langevin(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<LangevinSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

SamplerPtr make_mala(const Config& cfg) {
  check_step_and_noise(cfg, true);
  return std::make_unique<MetropolisAdjusted>(
      std::make_unique<LangevinSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise")));
}

}  // namespace stanley
