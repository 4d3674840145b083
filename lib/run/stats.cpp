#include "run/stats.h"

#include <fmt/format.h>

#include "config/compose.h"
#include "run/experiment.h"
#include "run/fid_setup.h"
#include "run/run_loading.h"

namespace stanley {

void run_stats(const std::filesystem::path& config_dir, std::vector<std::string> overrides,
               const ExperimentRegistry& experiments) {
  bool has_experiment = false;
  std::string data_name;
  for (const auto& o : overrides) {
    if (o.rfind("experiment=", 0) == 0) has_experiment = true;
    if (o.rfind("data=", 0) == 0) data_name = o.substr(5);
  }
  if (!has_experiment) {
    if (data_name.empty() || !experiments.contains(data_name))
      throw UserError("stats needs experiment=<image experiment> or data=<fmnist|cifar10|flowers|celeba>");
    overrides.insert(overrides.begin(), "experiment=" + data_name);
  }
  const Config cfg(compose_config(config_dir, overrides).root);
  const torch::Device device = apply_runtime(cfg);
  auto data = std::dynamic_pointer_cast<ImageDataset>(make_dataset(cfg.sub("data")));
  if (!data) throw UserError(fmt::format("data={} is not an image dataset", cfg.get<std::string>("data.name")));
  const FidSetup fid = setup_fid(cfg, *data, device, [](const std::string& line) { fmt::print("{}\n", line); });
  if (fid.extractors.empty()) throw UserError("no reference statistics built: eval.extractors names none that is available");
}

}  // namespace stanley
