#pragma once
#include "models/energy.h"

namespace stanley {

// The paper's toy energy net: 5 linear layers 2→32→64→64→64→1 with LeakyReLU(0.05).
class ToyMlpImpl : public EnergyModel {
 public:
  ToyMlpImpl(std::int64_t in_dim, const std::vector<std::int64_t>& hidden, double negative_slope);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  torch::nn::Sequential net_{nullptr};
};

EnergyPtr make_toy_mlp(const Config& cfg, const std::vector<std::int64_t>& sample_shape);

}  // namespace stanley
