#include "training/optimizer.h"

#include <fmt/format.h>

namespace stanley {
namespace {

OptimizerPtr make_adam(const Config& cfg, const std::vector<torch::Tensor>& params) {
  const auto betas = cfg.get<std::vector<double>>("betas");  // two, as configs/keys.yaml declares
  return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(cfg.get<double>("lr"))
                                                          .betas({betas[0], betas[1]})
                                                          .weight_decay(cfg.get<double>("weight_decay", 0.0)));
}

OptimizerPtr make_sgd(const Config& cfg, const std::vector<torch::Tensor>& params) {
  return std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(cfg.get<double>("lr"))
                                                         .momentum(cfg.get<double>("momentum", 0.0))
                                                         .weight_decay(cfg.get<double>("weight_decay", 0.0)));
}

}  // namespace

Registry<OptimizerFactory>& optimizer_registry() {
  static Registry<OptimizerFactory> table = [] {
    Registry<OptimizerFactory> r("optimizer");
    r.add("adam", "Adam (lr, betas, weight_decay)", make_adam);
    r.add("sgd", "SGD (lr, momentum, weight_decay)", make_sgd);
    return r;
  }();
  return table;
}

OptimizerPtr make_optimizer(const Config& cfg, const std::vector<torch::Tensor>& params) {
  return optimizer_registry().get(cfg.get<std::string>("name")).factory(cfg, params);
}

}  // namespace stanley
