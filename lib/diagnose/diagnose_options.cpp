#include "diagnose/diagnose_options.h"

#include "config/compose.h"

namespace fs = std::filesystem;

namespace stanley {

DiagnoseOptions diagnose_options(const fs::path& config_dir, const fs::path& run_dir,
                                 const std::vector<std::string>& args) {
  const Config cfg = compose_group(config_dir, "diagnose", "default", args);
  DiagnoseOptions o;
  o.run_dir = run_dir;
  o.config_dir = config_dir;
  if (cfg.has("checkpoint")) o.checkpoint = cfg.get<std::int64_t>("checkpoint");
  o.samplers = cfg.node()["samplers"].IsSequence() ? cfg.get<std::vector<std::string>>("samplers")
                                                   : std::vector<std::string>{cfg.get<std::string>("samplers")};
  o.chains = cfg.get<std::int64_t>("chains");
  o.steps = cfg.get<std::int64_t>("steps");
  o.pairs = cfg.get<std::int64_t>("pairs");
  o.lag = cfg.get<std::int64_t>("lag");
  o.superchain = cfg.get<std::int64_t>("superchain");
  o.seed = cfg.get<std::uint64_t>("seed");
  o.adapt = cfg.get<bool>("adapt");
  if (cfg.has("target_accept")) o.target_accept = cfg.get<double>("target_accept");
  cfg.require(o.chains % o.superchain == 0, "superchain", "a divisor of chains");  // the one rule across keys
  return o;
}

}  // namespace stanley
