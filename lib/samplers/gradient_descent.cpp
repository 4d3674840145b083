#include "samplers/gradient_descent.h"


namespace stanley {

KernelPtr make_gradient_descent(const Config& cfg) {
  return std::make_unique<GradientDescentKernel>(cfg.get<double>("step_size"));
}

}  // namespace stanley
