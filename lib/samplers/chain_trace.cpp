#include "samplers/chain_trace.h"

namespace stanley {

std::map<std::string, std::vector<double>>& ChainTrace::per_step() {
  if (pending_.empty()) return values_;
  std::vector<torch::Tensor> all;
  for (const auto& [name, values] : pending_)
    for (const auto& v : values) all.push_back(v.to(torch::kFloat64).reshape({}));
  const torch::Tensor host = torch::stack(all).cpu();  // the one synchronisation
  const double* data = host.data_ptr<double>();
  for (const auto& [name, values] : pending_) {
    auto& out = values_[name];
    out.insert(out.end(), data, data + values.size());
    data += values.size();
  }
  pending_.clear();
  return values_;
}

std::size_t ChainTrace::pending() const {
  std::size_t n = 0;
  for (const auto& [name, values] : pending_) n += values.size();
  return n;
}

}  // namespace stanley
