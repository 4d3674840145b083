#include "samplers/tamed_langevin.h"

#include <cmath>

namespace stanley {

TamedLangevinSampler::TamedLangevinSampler(double step_size, double noise)
    : ExplicitStepSampler(std::sqrt(step_size) * noise), s_(step_size) {}

SamplerPtr make_tamed_langevin(const Config& cfg) {
  return std::make_unique<TamedLangevinSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
