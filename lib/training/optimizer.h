#pragma once
#include <torch/torch.h>

#include <memory>

#include "io/config.h"

namespace stanley {

// Adam or SGD from the `optim` config section (name, lr, and betas / momentum, weight_decay).
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const Config& optim_cfg,
                                                        const std::vector<torch::Tensor>& params);

}  // namespace stanley
