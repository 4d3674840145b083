#include "samplers/mala.h"

namespace stanley {

SamplerPtr make_mala(const Config& cfg) {
  return std::make_unique<MalaSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"));
}

}  // namespace stanley
