#include "samplers/kernel_settings.h"

namespace stanley {

void check_step_and_noise(const Config& cfg, bool need_noise) {
  cfg.require(cfg.get<double>("step_size") > 0, "step_size", "> 0");
  if (!cfg.has("noise")) return;
  const double eps = cfg.get<double>("noise");
  if (need_noise) cfg.require(eps > 0, "noise", "> 0 for " + cfg.get<std::string>("name") + " (its test is on exp(f/ε²))");
  cfg.require(eps > 0 && eps <= 100, "noise", "a number in (0, 100]");  // as configs/keys.yaml (gd ignores it)
}

}  // namespace stanley
