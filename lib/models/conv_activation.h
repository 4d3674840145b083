#pragma once
// The activation a conv energy net names in its config: relu | leaky_relu | silu.

#include <fmt/format.h>
#include <torch/torch.h>

#include "io/errors.h"

namespace stanley {

inline torch::nn::AnyModule make_activation(const std::string& name, double negative_slope) {
  if (name == "relu") return torch::nn::AnyModule(torch::nn::ReLU());
  if (name == "leaky_relu")
    return torch::nn::AnyModule(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(negative_slope)));
  if (name == "silu") return torch::nn::AnyModule(torch::nn::SiLU());
  throw UserError(fmt::format("model.activation: '{}' is not one of relu, leaky_relu, silu", name));
}

}  // namespace stanley
