#pragma once
// The one owner of a run's metrics.h5 layout (README, "HDF5 schema"); it writes the layout and, for
// resume, truncates it:
//   /scalars/<name>/step   int64   [n]   extendable, chunked
//   /scalars/<name>/value  float64 [n]
//   /chains/iteration      int64   [n]   one row per chain-log interval
//   /chains/<stat>         float64 [n] or [n, K]   (K: steps of that interval's chains)
//   /samples/<iteration>       float32 [N, ...]   training negatives
//   /eval_samples/<iteration>  float32 [N, ...]   evaluation samples
//   root attributes: config, config_hash, git_sha, torch_version, seed, threads, status, ...
// Scalars are buffered and written in batches by flush(), which also flushes the file to disk so a
// run killed at any moment leaves a file that opens.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/h5_file.h"

namespace stanley {

class MetricsLog {
 public:
  enum class Open { kCreate, kContinue };  // kContinue: an existing file (resume)
  enum class Snapshot { kTraining, kEval };

  MetricsLog(const std::filesystem::path& path, Open open);
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  // Buffered; written at the next flush().
  void scalar(const std::string& name, std::int64_t step, double value);
  // One chain-log row: the iteration, then each named statistic (one value, or one per sampler step).
  void chain_row(std::int64_t iteration, const std::vector<std::pair<std::string, std::vector<double>>>& stats);
  // Samples at `iteration` (replaces an earlier snapshot of that iteration).
  void snapshot(Snapshot kind, std::int64_t iteration, const std::vector<hsize_t>& shape, const float* data);

  template <class T>
  void set_attr(const std::string& name, const T& value) { h5_.set_attr(name, value); }
  void flush();

  // Forgets everything logged after `step`: a run resumed from the checkpoint at `step` logs it again.
  void truncate_after(std::int64_t step);

  const H5File& file() const { return h5_; }

 private:
  H5File h5_;
  struct Pending {
    std::vector<std::int64_t> steps;
    std::vector<double> values;
  };
  std::map<std::string, Pending> pending_;
};

}  // namespace stanley
