#include "models/conv_stack.h"

#include "models/conv_activation.h"

namespace stanley {

ConvStackImpl::ConvStackImpl(const std::vector<std::int64_t>& sample_shape, const std::vector<std::int64_t>& channels,
                             const std::string& activation, double negative_slope) {
  if (sample_shape.size() != 3) throw UserError("model=conv_stack needs image data [C, H, W]");
  features_ = torch::nn::Sequential();
  std::int64_t in = sample_shape[0];
  for (std::int64_t c : channels) {
    features_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, c, 3).stride(1).padding(1)));
    features_->push_back(make_activation(activation, negative_slope));
    in = c;
  }
  head_ = torch::nn::Linear(in * sample_shape[1] * sample_shape[2], 1);
  register_module("features", features_);
  register_module("head", head_);
}

torch::Tensor ConvStackImpl::forward(const torch::Tensor& x) {
  return head_->forward(features_->forward(x).flatten(1)).squeeze(1);
}

EnergyPtr make_conv_stack(const Config& cfg, const std::vector<std::int64_t>& sample_shape) {
  const auto channels = cfg.get<std::vector<long>>("channels");
  return std::make_shared<ConvStackImpl>(sample_shape, std::vector<std::int64_t>(channels.begin(), channels.end()),
                                         cfg.get<std::string>("activation"), cfg.get<double>("negative_slope"));
}

}  // namespace stanley
