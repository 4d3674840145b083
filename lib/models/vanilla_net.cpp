#include "models/vanilla_net.h"

namespace stanley {

VanillaNetImpl::VanillaNetImpl(const std::vector<std::int64_t>& sample_shape, std::int64_t n_f, double negative_slope)
    : negative_slope_(negative_slope), sample_shape_(sample_shape) {
  if (sample_shape.size() != 3 || sample_shape[1] != sample_shape[2])
    throw UserError("model=vanilla_net needs square image data [C, H, H]");
  auto act = [&] { return torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(negative_slope)); };
  net_ = torch::nn::Sequential();
  net_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(sample_shape[0], n_f, 3).padding(1)));
  net_->push_back(act());
  std::int64_t side = sample_shape[1], channels = n_f;
  while (side > 4) {
    // 4x4, stride 2, padding 1 halves even sides; odd sides (7) round up with padding 2.
    const std::int64_t pad = side % 2 == 0 ? 1 : 2;
    net_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, 2 * channels, 4).stride(2).padding(pad)));
    net_->push_back(act());
    side = (side + 2 * pad - 4) / 2 + 1;
    channels *= 2;
  }
  net_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, 1, side)));
  register_module("net", net_);
}

torch::Tensor VanillaNetImpl::forward(const torch::Tensor& x) { return net_->forward(x).flatten(); }

std::vector<ConvLayer> VanillaNetImpl::conv_layers() const {
  std::vector<ConvLayer> layers;
  for (const auto& module : net_->children()) {
    if (const auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      const auto& o = conv->options;
      const auto pad = c10::get<torch::ExpandingArray<2>>(o.padding());
      layers.push_back({conv->weight, conv->bias, (*o.stride())[0], (*pad)[0]});
    }
  }
  return layers;
}

EnergyPtr make_vanilla_net(const Config& cfg, const std::vector<std::int64_t>& sample_shape) {
  return std::make_shared<VanillaNetImpl>(sample_shape, cfg.get<long>("n_f"), cfg.get<double>("negative_slope"));
}

}  // namespace stanley
