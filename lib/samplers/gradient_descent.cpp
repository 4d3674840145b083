#include "samplers/gradient_descent.h"

#include "samplers/kernel_settings.h"

namespace stanley {

KernelPtr make_gradient_descent(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<GradientDescentKernel>(cfg.get<double>("step_size"));
}

}  // namespace stanley
