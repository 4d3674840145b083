#pragma once
// Starting and resuming runs: the sequence every experiment shares (runtime settings, setup before
// any write, run directory, metrics file with its provenance attributes, random streams).

#include <filesystem>

#include "config/compose.h"
#include "config/config.h"
#include "run/experiment.h"

namespace stanley {

// A new run from a composed config; returns its directory.
std::filesystem::path start_run(const ComposedConfig& composed, const ExperimentRegistry& experiments);
// Continues the run in `dir` from its latest checkpoint (from scratch when it has none).
std::filesystem::path resume_run(const std::filesystem::path& dir, const ExperimentRegistry& experiments);

}  // namespace stanley
