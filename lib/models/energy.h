#pragma once
// The energy-model seam. Sign convention of the paper: f_θ(x) is the log-density up to a constant,
// p_θ(x) ∝ exp f_θ(x); samplers ascend f, training raises f on data and lowers it on negatives.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

#include "io/config.h"
#include "io/registry.h"

namespace stanley {

class EnergyModel : public torch::nn::Module {
 public:
  // x: [batch, ...sample_shape] -> f(x): [batch].
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
};
using EnergyPtr = std::shared_ptr<EnergyModel>;

// Factory: model config section and the shape of one sample (e.g. {2} or {1, 28, 28}).
using EnergyFactory = std::function<EnergyPtr(const Config&, const std::vector<std::int64_t>&)>;
Registry<EnergyFactory>& energy_registry();
// Builds the model named by cfg `name` (the `model` section).
EnergyPtr make_energy(const Config& model_cfg, const std::vector<std::int64_t>& sample_shape);

// f(z) and ∇_z f(z) with the model's parameters frozen: no parameter gradients, no graph kept.
struct EnergyGrad {
  torch::Tensor f;     // [batch]
  torch::Tensor grad;  // like z
};
EnergyGrad energy_and_grad(EnergyModel& model, const torch::Tensor& z);

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
