#pragma once
#include "models/energy.h"
#include "models/onednn_conv_gradient.h"

namespace stanley {

// ebm-anatomy's VanillaNet (Nijkamp et al. 2020): a 3x3 convolution to n_f channels, then 4x4
// stride-2 convolutions doubling the channels until the map is at most 4x4, then one convolution
// covering the whole map to a scalar; LeakyReLU(0.05) between. 28 px: 28→14→7→4; 32: →4; 64: →4.
class VanillaNetImpl : public EnergyModel {
 public:
  VanillaNetImpl(const std::vector<std::int64_t>& sample_shape, std::int64_t n_f, double negative_slope);
  torch::Tensor forward(const torch::Tensor& x) override;
  // The convolutions in order (their own parameter tensors) and the LeakyReLU's slope between them:
  // what a direct oneDNN gradient path (models/onednn_conv_gradient.h) needs.
  std::vector<ConvLayer> conv_layers() const;
  double negative_slope() const { return negative_slope_; }
  const std::vector<std::int64_t>& sample_shape() const { return sample_shape_; }

 private:
  torch::nn::Sequential net_{nullptr};
  double negative_slope_;
  std::vector<std::int64_t> sample_shape_;
};

EnergyPtr make_vanilla_net(const Config& cfg, const std::vector<std::int64_t>& sample_shape);

}  // namespace stanley
