#include "samplers/langevin.h"

#include <cmath>

#include "samplers/metropolis_hastings.h"

namespace stanley {

GaussianKernel LangevinKernel::kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& /*aux*/,
                                         double s, InfoPtr* /*info*/) const {
  return {torch::add(z, grad, 0.5 * s), torch::full({}, std::sqrt(s) * eps_, z.options()), false};  // z + (s/2)∇f, one kernel
}

KernelPtr make_langevin(const Config& cfg) {
  return std::make_unique<LangevinKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

KernelPtr make_mala(const Config& cfg) {
  return std::make_unique<MetropolisHastings>(make_langevin(cfg));
}

}  // namespace stanley
