#include "models/energy.h"

namespace stanley {

EnergyGrad energy_and_grad(EnergyModel& model, const torch::Tensor& z) {
  if (auto eg = model.analytic_energy_and_grad(z)) return std::move(*eg);
  return energy_and_grad_autograd(model, z);
}

EnergyGrad energy_and_grad_autograd(EnergyModel& model, const torch::Tensor& z) {
  torch::Tensor zg = z.detach().requires_grad_(true);
  torch::Tensor f = model.forward(zg);
  torch::Tensor grad = torch::autograd::grad({f.sum()}, {zg}, /*grad_outputs=*/{}, /*retain_graph=*/false)[0];
  return {f.detach(), grad.detach()};
}

FrozenParameters::FrozenParameters(torch::nn::Module& module) {
  for (auto& p : module.parameters()) {
    saved_.emplace_back(p, p.requires_grad());
    p.requires_grad_(false);
  }
}

FrozenParameters::~FrozenParameters() {
  for (auto& [p, flag] : saved_) p.requires_grad_(flag);
}

EnergyPtr make_energy(const Config& model_cfg, const std::vector<std::int64_t>& sample_shape) {
  const auto& entry = energy_registry().get(model_cfg.get<std::string>("name"));
  return entry.factory(model_cfg, sample_shape);
}

}  // namespace stanley
