#pragma once
// Per-step statistics of one call to Sampler::sample(): name -> one value per MCMC step. The driver adds
// 0-dim tensors on the chains' device and never reads them, so tracing puts no host synchronisation
// inside the sampling loop (on a GPU each read is one); per_step() copies them all to the host at once.

#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace stanley {

class ChainTrace {
 public:
  // Optional: called with the states after every step (long-chain diagnostics record draws here).
  std::function<void(const torch::Tensor&)> observe;

  // How a statistic is summarised over the K steps of a call (the chain_<name> scalar of a log iteration).
  enum class Summary { kMean, kMin };
  void add(const std::string& name, const torch::Tensor& value, Summary summary = Summary::kMean) {
    pending_[name].push_back(value.detach());
    if (summary != Summary::kMean) summaries_[name] = summary;
  }
  Summary summary(const std::string& name) const {
    auto it = summaries_.find(name);
    return it == summaries_.end() ? Summary::kMean : it->second;
  }
  // The values as doubles (one device-to-host copy for everything added since the last call).
  std::map<std::string, std::vector<double>>& per_step();
  // Values added and not yet copied to the host (tests: nothing is read inside the loop).
  std::size_t pending() const;

 private:
  std::map<std::string, std::vector<torch::Tensor>> pending_;
  std::map<std::string, std::vector<double>> values_;
  std::map<std::string, Summary> summaries_;
};

}  // namespace stanley
