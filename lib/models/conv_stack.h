#pragma once
#include "models/energy.h"

namespace stanley {

// The paper's image energy net: 3x3 stride-1 convolutions with ReLU (5 by default), then one
// linear layer from the flattened feature map to f(x). No downsampling, as in the paper.
class ConvStackImpl : public EnergyModel {
 public:
  ConvStackImpl(const std::vector<std::int64_t>& sample_shape, const std::vector<std::int64_t>& channels,
                const std::string& activation, double negative_slope);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  torch::nn::Sequential features_{nullptr};
  torch::nn::Linear head_{nullptr};
};

EnergyPtr make_conv_stack(const Config& cfg, const std::vector<std::int64_t>& sample_shape);

}  // namespace stanley
