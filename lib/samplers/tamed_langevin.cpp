#include "samplers/tamed_langevin.h"

#include <cmath>


namespace stanley {

GaussianKernel TamedLangevinKernel::kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& /*aux*/,
                                              double s, InfoPtr* /*info*/) const {
  const torch::Tensor drift = (0.5 * s) * grad / (1.0 + (0.5 * s) * grad.abs());
  return {z + drift, torch::full({}, std::sqrt(s) * eps_, z.options()), false};
}

KernelPtr make_tamed_langevin(const Config& cfg) {
  return std::make_unique<TamedLangevinKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
