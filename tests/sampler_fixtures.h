#pragma once
// Energies with closed-form targets and a sampler built from a YAML section, shared by the sampler tests.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "models/energy.h"
#include "samplers/sampler_registry.h"

namespace stanley::testing {

// f(x) = −½ Σ_i a_i x_i²: a diagonal Gaussian's log-density, ∇f = −a ⊙ x. `a` is a parameter so that
// freezing can be checked.
class QuadraticEnergy : public EnergyModel {
 public:
  explicit QuadraticEnergy(std::vector<double> a) { a_ = register_parameter("a", torch::tensor(a, torch::kFloat64)); }
  torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * (a_ * x * x).flatten(1).sum(1); }
  torch::Tensor a_;
};

// f(x) = −½ xᵀ Σ⁻¹ x: a correlated Gaussian.
class GaussianEnergy : public EnergyModel {
 public:
  explicit GaussianEnergy(torch::Tensor cov) : precision_(torch::inverse(cov)) {}
  torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * (x.matmul(precision_) * x).sum(1); }
  torch::Tensor precision_;
};

// The driver over a kernel built from these arguments.
template <class Kernel, class... Args>
SamplerPtr driver(Args&&... args) {
  return std::make_unique<Sampler>(std::make_unique<Kernel>(std::forward<Args>(args)...));
}

// A sampler from a `sampler` section written as YAML, e.g. "{name: mala, step_size: 0.3, noise: 1.0}".
inline SamplerPtr sampler_from(const std::string& yaml) { return make_sampler(Config(YAML::Load(yaml), "sampler")); }

}  // namespace stanley::testing
