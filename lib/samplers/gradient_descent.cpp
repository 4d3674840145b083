#include "samplers/gradient_descent.h"

namespace stanley {

SamplerPtr make_gradient_descent(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<GradientDescentSampler>(cfg.get<double>("step_size"));
}

}  // namespace stanley
