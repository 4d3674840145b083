#pragma once
// Everything a running experiment reaches: its resolved config, run directory, metrics file, device,
// random streams, and where to start (0, or the iteration of the checkpoint being resumed).

#include <torch/torch.h>

#include <filesystem>
#include <optional>

#include "config/config.h"
#include "store/metrics_log.h"
#include "store/run_dir.h"
#include "training/generators.h"

namespace stanley {

struct RunContext {
  Config cfg;
  RunDir dir;
  MetricsLog& metrics;
  torch::Device device;
  RunGenerators& gens;
  std::optional<std::filesystem::path> resume_checkpoint;
};

}  // namespace stanley
