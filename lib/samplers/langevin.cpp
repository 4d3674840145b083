#include "samplers/langevin.h"

#include <cmath>

namespace stanley {

LangevinSampler::LangevinSampler(double step_size, double noise)
    : ExplicitStepSampler(std::sqrt(step_size) * noise), s_(step_size) {}

SamplerPtr make_langevin(const Config& cfg) {
  return std::make_unique<LangevinSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
