#pragma once
// The optimizer of Algorithm 1's θ update, by name from the `optim` config section.

#include <torch/torch.h>

#include <functional>
#include <memory>

#include "config/config.h"
#include "config/registry.h"

namespace stanley {

using OptimizerPtr = std::unique_ptr<torch::optim::Optimizer>;
using OptimizerFactory = std::function<OptimizerPtr(const Config& optim_cfg, const std::vector<torch::Tensor>& params)>;

// adam (lr, betas, weight_decay) and sgd (lr, momentum, weight_decay). A new optimizer: one line there.
Registry<OptimizerFactory>& optimizer_registry();

OptimizerPtr make_optimizer(const Config& optim_cfg, const std::vector<torch::Tensor>& params);

}  // namespace stanley
