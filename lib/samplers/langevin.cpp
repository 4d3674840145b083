#include "samplers/langevin.h"

#include <cmath>

#include "samplers/kernel_settings.h"
#include "samplers/metropolis_hastings.h"

namespace stanley {

GaussianKernel LangevinKernel::kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* /*info*/) const {
  return {torch::add(z, grad, 0.5 * s_), torch::full({}, std::sqrt(s_) * eps_, z.options()), false};  // z + (s/2)∇f, one kernel
}

KernelPtr make_langevin(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<LangevinKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

KernelPtr make_mala(const Config& cfg) {
  check_step_and_noise(cfg, true);
  return std::make_unique<MetropolisHastings>(make_langevin(cfg));
}

}  // namespace stanley
