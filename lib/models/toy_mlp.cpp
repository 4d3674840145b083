#include "models/toy_mlp.h"

namespace stanley {

ToyMlpImpl::ToyMlpImpl(std::int64_t in_dim, const std::vector<std::int64_t>& hidden, double negative_slope) {
  net_ = torch::nn::Sequential();
  std::int64_t width = in_dim;
  for (std::int64_t h : hidden) {
    net_->push_back(torch::nn::Linear(width, h));
    net_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(negative_slope)));
    width = h;
  }
  net_->push_back(torch::nn::Linear(width, 1));
  register_module("net", net_);
}

torch::Tensor ToyMlpImpl::forward(const torch::Tensor& x) { return net_->forward(x.flatten(1)).squeeze(1); }

EnergyPtr make_toy_mlp(const Config& cfg, const std::vector<std::int64_t>& sample_shape) {
  std::int64_t in_dim = 1;
  for (auto d : sample_shape) in_dim *= d;
  const auto hidden = cfg.get<std::vector<long>>("hidden");
  return std::make_shared<ToyMlpImpl>(in_dim, std::vector<std::int64_t>(hidden.begin(), hidden.end()),
                                      cfg.get<double>("negative_slope"));
}

}  // namespace stanley
