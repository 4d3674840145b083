#include "training/optimizer.h"

#include <fmt/format.h>

namespace stanley {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const Config& cfg, const std::vector<torch::Tensor>& params) {
  const auto name = cfg.get<std::string>("name");
  const double lr = cfg.get<double>("lr");
  const double weight_decay = cfg.get<double>("weight_decay", 0.0);
  if (name == "adam") {
    const auto betas = cfg.get<std::vector<double>>("betas");
    if (betas.size() != 2) throw UserError(fmt::format("{} must have two values", cfg.full_key("betas")));
    return std::make_unique<torch::optim::Adam>(
        params, torch::optim::AdamOptions(lr).betas({betas[0], betas[1]}).weight_decay(weight_decay));
  }
  if (name == "sgd") {
    return std::make_unique<torch::optim::SGD>(
        params, torch::optim::SGDOptions(lr).momentum(cfg.get<double>("momentum", 0.0)).weight_decay(weight_decay));
  }
  throw UserError(fmt::format("{}: unknown optimizer '{}'; known: adam, sgd", cfg.full_key("name"), name));
}

}  // namespace stanley
