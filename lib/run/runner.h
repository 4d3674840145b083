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
// Continues the run in `dir` from its latest readable checkpoint, its config.yaml validated against
// `config_dir`/keys.yaml. A finished run is never touched; a run that logged metrics but has no
// readable checkpoint is started over only when `from_scratch` says so (else a UserError, nothing changed).
struct ResumeOptions {
  bool from_scratch = false;  // `resume --from-scratch`: no readable checkpoint -> start over, truncating metrics
};
std::filesystem::path resume_run(const std::filesystem::path& dir, const std::filesystem::path& config_dir,
                                 const ExperimentRegistry& experiments, const ResumeOptions& options = {});

}  // namespace stanley
