#pragma once
#include "models/energy.h"

namespace stanley {

// The paper's toy energy net: 5 linear layers 2→32→64→64→64→1 with LeakyReLU(0.05).
class ToyMlpImpl : public EnergyModel {
 public:
  ToyMlpImpl(std::int64_t in_dim, const std::vector<std::int64_t>& hidden, double negative_slope);
  torch::Tensor forward(const torch::Tensor& x) override;
  // Forward with addmm and backward by hand (transposed weights, LeakyReLU's slope mask): no graph.
  // Used whenever no parameter needs a gradient (sampling, where the parameters are frozen).
  std::optional<EnergyGrad> analytic_energy_and_grad(const torch::Tensor& z) override;
  bool use_analytic_grad = true;  // false: autograd (benchmarks, tests)

 private:
  torch::nn::Sequential net_{nullptr};
  std::vector<torch::nn::Linear> layers_;
  double negative_slope_;
  std::vector<torch::Tensor> act_, grad_in_;  // per-layer buffers of the analytic path, reused across steps
};

EnergyPtr make_toy_mlp(const Config& cfg, const std::vector<std::int64_t>& sample_shape);

}  // namespace stanley
