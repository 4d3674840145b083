#pragma once
// Where `stanley diagnose` writes: RUN_DIR/diagnostics.h5 under /diagnostics/<sampler>/ (the schema
// analysis/plot_diagnostics.py reads) and one console row per sampler.

#include <filesystem>
#include <optional>
#include <string>

#include "diagnose/diagnose_options.h"
#include "metrics/chain_study.h"
#include "metrics/coupling.h"
#include "store/h5_file.h"

namespace stanley {

class DiagnoseReport {
 public:
  // Creates (replaces) the file with the run's config and the options as attributes; prints the header.
  DiagnoseReport(const std::filesystem::path& path, const std::string& run_config_yaml, std::int64_t iteration,
                 const DiagnoseOptions& options);
  // One sampler's results; flushed, so a diagnose stopped part-way keeps the samplers finished.
  void add(const std::string& sampler, const ChainStudy& chains, const std::optional<CouplingResult>& coupling);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  H5File h5_;
};

}  // namespace stanley
