#include "store/metrics_log.h"

#include <fmt/format.h>

#include <algorithm>

namespace stanley {
namespace {

constexpr const char* kScalars = "/scalars";
constexpr const char* kChains = "/chains";
constexpr const char* kChainIteration = "/chains/iteration";

const char* snapshot_group(MetricsLog::Snapshot kind) {
  return kind == MetricsLog::Snapshot::kTraining ? "/samples" : "/eval_samples";
}

}  // namespace

MetricsLog::MetricsLog(const std::filesystem::path& path, Open open)
    : h5_(path, open == Open::kCreate ? H5File::Mode::kCreate : H5File::Mode::kReadWrite) {}

MetricsLog::~MetricsLog() {
  try {
    flush();
  } catch (...) {
    // Destructors must not throw; the last explicit flush() already reported any write error.
  }
}

void MetricsLog::scalar(const std::string& name, std::int64_t step, double value) {
  auto& p = pending_[name];
  p.steps.push_back(step);
  p.values.push_back(value);
}

void MetricsLog::chain_row(std::int64_t iteration, const std::vector<std::pair<std::string, std::vector<double>>>& stats) {
  h5_.append_int(kChainIteration, iteration);
  for (const auto& [name, values] : stats) h5_.append_row(fmt::format("{}/{}", kChains, name), values);
}

void MetricsLog::snapshot(Snapshot kind, std::int64_t iteration, const std::vector<hsize_t>& shape, const float* data) {
  h5_.write_array(fmt::format("{}/{}", snapshot_group(kind), iteration), shape, data);
}

void MetricsLog::flush() {
  for (auto& [name, p] : pending_) {
    if (p.steps.empty()) continue;
    const std::string base = fmt::format("{}/{}", kScalars, name);
    h5_.append_ints(base + "/step", p.steps);
    h5_.append_values(base + "/value", p.values);
    p.steps.clear();
    p.values.clear();
  }
  h5_.flush();
}

void MetricsLog::truncate_after(std::int64_t step) {
  flush();
  auto count_upto = [&](const std::vector<std::int64_t>& steps) {
    return static_cast<hsize_t>(std::count_if(steps.begin(), steps.end(), [&](std::int64_t s) { return s <= step; }));
  };
  for (const auto& name : h5_.list(kScalars)) {
    const std::string base = fmt::format("{}/{}", kScalars, name);
    const hsize_t keep = count_upto(h5_.read_ints(base + "/step"));
    h5_.resize_rows(base + "/step", keep);
    h5_.resize_rows(base + "/value", keep);
  }
  if (h5_.exists(kChainIteration)) {
    const hsize_t keep = count_upto(h5_.read_ints(kChainIteration));
    for (const auto& name : h5_.list(kChains)) h5_.resize_rows(fmt::format("{}/{}", kChains, name), keep);
  }
  for (const auto kind : {Snapshot::kTraining, Snapshot::kEval}) {
    const std::string group = snapshot_group(kind);
    for (const auto& name : h5_.list(group))
      if (std::stoll(name) > step) h5_.remove(group + "/" + name);
  }
  h5_.flush();
}

}  // namespace stanley
