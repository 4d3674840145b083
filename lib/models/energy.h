#pragma once
// The energy-model seam. Sign convention of the paper: f_θ(x) is the log-density up to a constant,
// p_θ(x) ∝ exp f_θ(x); samplers ascend f, training raises f on data and lowers it on negatives.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "config/config.h"
#include "config/registry.h"

namespace stanley {

// f(z) and ∇_z f(z) with the model's parameters frozen: no parameter gradients, no graph kept.
struct EnergyGrad {
  torch::Tensor f;     // [batch]
  torch::Tensor grad;  // like z
};

class EnergyModel : public torch::nn::Module {
 public:
  // x: [batch, ...sample_shape] -> f(x): [batch].
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  // f and ∇_z f written out by hand, for nets where autograd's bookkeeping costs more than the
  // arithmetic (small MLPs: the rings toy). energy_and_grad uses it when a model returns one.
  virtual std::optional<EnergyGrad> analytic_energy_and_grad(const torch::Tensor& /*z*/) { return std::nullopt; }
};
using EnergyPtr = std::shared_ptr<EnergyModel>;

// Factory: model config section and the shape of one sample (e.g. {2} or {1, 28, 28}).
using EnergyFactory = std::function<EnergyPtr(const Config&, const std::vector<std::int64_t>&)>;
Registry<EnergyFactory>& energy_registry();
// Builds the model named by cfg `name` (the `model` section).
EnergyPtr make_energy(const Config& model_cfg, const std::vector<std::int64_t>& sample_shape);

// The model's analytic path when it has one, autograd otherwise.
EnergyGrad energy_and_grad(EnergyModel& model, const torch::Tensor& z);
// Always through autograd (the reference the analytic paths are tested against).
EnergyGrad energy_and_grad_autograd(EnergyModel& model, const torch::Tensor& z);

// Sets requires_grad=false on every parameter for its lifetime, then restores it.
class FrozenParameters {
 public:
  explicit FrozenParameters(torch::nn::Module& module);
  ~FrozenParameters();
  FrozenParameters(const FrozenParameters&) = delete;
  FrozenParameters& operator=(const FrozenParameters&) = delete;

 private:
  std::vector<std::pair<torch::Tensor, bool>> saved_;
};

}  // namespace stanley
