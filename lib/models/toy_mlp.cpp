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
  const std::int64_t batch = z.size(0);
  // Activations live in buffers reused across the K steps of a chain (same batch, dtype, device).
  if (act_.size() != hidden || act_[0].size(0) != batch || act_[0].scalar_type() != z.scalar_type() ||
      act_[0].device() != z.device()) {
    act_.clear();
    for (std::size_t i = 0; i < hidden; ++i) act_.push_back(torch::empty({batch, layers_[i]->weight.size(0)}, z.options()));
    grad_in_.clear();
    for (std::size_t i = 0; i < hidden; ++i) grad_in_.push_back(torch::empty_like(act_[i]));
  }
  torch::Tensor h = z.flatten(1);
  for (std::size_t i = 0; i < hidden; ++i) {
    torch::addmm_out(act_[i], layers_[i]->bias, h, layers_[i]->weight.t());
    torch::leaky_relu_(act_[i], negative_slope_);  // in place: the slope mask is read back from the sign
    h = act_[i];
  }
  const auto& head = layers_.back();
  torch::Tensor f = torch::addmm(head->bias, h, head->weight.t()).squeeze(1);
  // ∂f/∂h_last is the head's weight row for every sample; back through each layer: mask, then Wᵀ.
  torch::Tensor g = head->weight.expand({batch, head->weight.size(1)});
  for (std::size_t i = hidden; i-- > 0;) {
    torch::leaky_relu_backward_out(grad_in_[i], g, act_[i], negative_slope_, /*self_is_result=*/true);
    // Into the next layer's buffer, where the next mask is applied in place; the returned gradient
    // (i = 0) is a fresh tensor, since the chain keeps it past the next call.
    g = i > 0 ? torch::mm_out(grad_in_[i - 1], grad_in_[i], layers_[i]->weight) : torch::mm(grad_in_[0], layers_[0]->weight);
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
