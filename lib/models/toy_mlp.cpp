#include "models/toy_mlp.h"

namespace stanley {

ToyMlpImpl::ToyMlpImpl(std::int64_t in_dim, const std::vector<std::int64_t>& hidden, double negative_slope)
    : negative_slope_(negative_slope) {
  net_ = torch::nn::Sequential();
  std::int64_t width = in_dim;
  for (std::int64_t h : hidden) {
    layers_.emplace_back(width, h);
    net_->push_back(layers_.back());
    net_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(negative_slope)));
    width = h;
  }
  layers_.emplace_back(width, 1);
  net_->push_back(layers_.back());
  register_module("net", net_);
}

std::optional<EnergyGrad> ToyMlpImpl::analytic_energy_and_grad(const torch::Tensor& z) {
  if (!use_analytic_grad) return std::nullopt;
  for (const auto& p : parameters())
    if (p.requires_grad()) return std::nullopt;  // training's forward needs the graph
  torch::NoGradGuard no_grad;
  const std::size_t hidden = layers_.size() - 1;
  std::vector<torch::Tensor> pre(hidden);  // pre-activations, for the slope mask
  torch::Tensor h = z.flatten(1);
  for (std::size_t i = 0; i < hidden; ++i) {
    pre[i] = torch::addmm(layers_[i]->bias, h, layers_[i]->weight.t());
    h = torch::leaky_relu(pre[i], negative_slope_);
  }
  const auto& head = layers_.back();
  torch::Tensor f = torch::addmm(head->bias, h, head->weight.t()).squeeze(1);
  // ∂f/∂h_last is the head's weight row for every sample; back through each layer: mask, then Wᵀ.
  torch::Tensor g = head->weight.expand({z.size(0), head->weight.size(1)});
  for (std::size_t i = hidden; i-- > 0;) {
    g = torch::leaky_relu_backward(g, pre[i], negative_slope_, /*self_is_result=*/false);
    g = torch::mm(g, layers_[i]->weight);
  }
  return EnergyGrad{f, g.view(z.sizes())};
}

torch::Tensor ToyMlpImpl::forward(const torch::Tensor& x) { return net_->forward(x.flatten(1)).squeeze(1); }

EnergyPtr make_toy_mlp(const Config& cfg, const std::vector<std::int64_t>& sample_shape) {
  std::int64_t in_dim = 1;
  for (auto d : sample_shape) in_dim *= d;
  const auto hidden = cfg.get<std::vector<long>>("hidden");
  auto model = std::make_shared<ToyMlpImpl>(in_dim, std::vector<std::int64_t>(hidden.begin(), hidden.end()),
                                            cfg.get<double>("negative_slope"));
  model->use_analytic_grad = cfg.get<bool>("analytic_grad");
  return model;
}

}  // namespace stanley
