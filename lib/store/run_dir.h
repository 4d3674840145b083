#pragma once
// A run's directory: results/<experiment>/<YYYY-MM-DD>/<HH-MM-SS>[_N]/ (or run.dir), holding
// config.yaml (resolved), overrides.yaml, metrics.h5, log.txt, samples/ and checkpoints/.

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "store/atomic_file.h"

namespace stanley {

class RunDir {
 public:
  // Makes a fresh directory. Two runs started in the same second get distinct directories: the
  // time-stamped name is claimed with an atomic mkdir and suffixed _1, _2, ... when taken.
  // An explicit directory must be new or empty. Errors are UserErrors; nothing is left half-made.
  static RunDir create(const std::filesystem::path& results_root, const std::string& experiment,
                       const std::optional<std::filesystem::path>& explicit_dir);
  // An existing run (resume, diagnose, rerun).
  static RunDir open(const std::filesystem::path& dir);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path config_file() const { return path_ / "config.yaml"; }
  std::filesystem::path overrides_file() const { return path_ / "overrides.yaml"; }
  std::filesystem::path metrics_file() const { return path_ / "metrics.h5"; }
  std::filesystem::path log_file() const { return path_ / "log.txt"; }
  std::filesystem::path samples_dir() const { return path_ / "samples"; }
  std::filesystem::path checkpoints_dir() const { return path_ / "checkpoints"; }

  void write_config(const std::string& resolved_yaml, const std::vector<std::string>& overrides) const;
  std::vector<std::string> read_overrides() const;
  // Appends a time-stamped line to log.txt.
  void log(const std::string& line) const;

 private:
  explicit RunDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

}  // namespace stanley
