#pragma once
// `stanley stats`: builds (or finds) the cached reference statistics of real images for the
// extractors a config names, so runs and CI start from them.

#include <filesystem>
#include <string>
#include <vector>

#include "run/experiment.h"

namespace stanley {

// overrides as for `stanley run`; without experiment=..., data=<name> picks the image experiment of
// the same name (data=cifar10 -> experiment=cifar10). Prints one line per extractor.
void run_stats(const std::filesystem::path& config_dir, std::vector<std::string> overrides,
               const ExperimentRegistry& experiments);

}  // namespace stanley
