#include "samplers/tamed_langevin.h"

#include <cmath>

#include "samplers/kernel_settings.h"

namespace stanley {

GaussianKernel TamedLangevinKernel::kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* /*info*/) const {
  const torch::Tensor drift = (0.5 * s_) * grad / (1.0 + (0.5 * s_) * grad.abs());
  return {z + drift, torch::full({}, std::sqrt(s_) * eps_, z.options()), false};
}

KernelPtr make_tamed_langevin(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<TamedLangevinKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
