#pragma once
// Reading an existing run back: its resolved config, the device it names and its thread count. The one
// path shared by `resume`, `diagnose` and `stats`, so each refuses a bad device the same way.

#include <filesystem>

#include "config/config.h"
#include "store/run_dir.h"

namespace stanley {

// cpu, cuda or cuda:N; cuda on a libtorch without a visible CUDA device is a UserError.
torch::Device parse_device(const Config& cfg);

// Applies the config's runtime settings (intra-op threads) and returns its device.
torch::Device apply_runtime(const Config& cfg);

struct LoadedRun {
  RunDir dir;
  Config cfg;            // the run's resolved config.yaml
  torch::Device device;  // parsed and checked; threads applied
};

// Opens RUN_DIR and reads its config.yaml, validated against `config_dir`/keys.yaml as a composed config
// is (a hand-edited value out of its declared range is refused before anything runs); a YAML or
// validation error is a UserError naming the file.
LoadedRun load_run(const std::filesystem::path& path, const std::filesystem::path& config_dir);

}  // namespace stanley
