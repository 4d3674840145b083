#pragma once
// The activation a conv energy net names in its config (model.activation), by name.

#include <torch/torch.h>

#include <functional>

#include "config/registry.h"

namespace stanley {

using ActivationFactory = std::function<torch::nn::AnyModule(double negative_slope)>;

inline Registry<ActivationFactory>& activation_registry() {
  static Registry<ActivationFactory> table = [] {
    Registry<ActivationFactory> r("activation");
    r.add("relu", "ReLU", [](double) { return torch::nn::AnyModule(torch::nn::ReLU()); });
    r.add("leaky_relu", "LeakyReLU(negative_slope)", [](double slope) {
      return torch::nn::AnyModule(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(slope)));
    });
    r.add("silu", "SiLU (smooth: bounded Hessian, as the paper's assumptions ask)",
          [](double) { return torch::nn::AnyModule(torch::nn::SiLU()); });
    return r;
  }();
  return table;
}

inline torch::nn::AnyModule make_activation(const std::string& name, double negative_slope) {
  return activation_registry().get(name).factory(negative_slope);
}

}  // namespace stanley
