#include "samplers/stanley_mh.h"

namespace stanley {

SamplerPtr make_stanley_mh(const Config& cfg) {
  StanleySampler::Options o;
  o.step_size = cfg.get<double>("step_size");
  o.noise = cfg.get<double>("noise");
  o.th = cfg.get<double>("th");
  if (!(o.th > 0)) throw UserError(cfg.full_key("th") + " must be > 0");
  return std::make_unique<StanleyMhSampler>(o);
}

}  // namespace stanley
