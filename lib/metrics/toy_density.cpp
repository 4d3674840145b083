#include "metrics/toy_density.h"

#include <fmt/format.h>

#include "config/errors.h"

namespace stanley {

torch::Tensor Grid2D::centres() const {
  const double h = cell();
  torch::Tensor axis = lo + h * (torch::arange(n, torch::kFloat64) + 0.5);
  auto mesh = torch::meshgrid({axis, axis}, "ij");  // mesh[0]: y (slow), mesh[1]: x (fast)
  return torch::stack({mesh[1].reshape(-1), mesh[0].reshape(-1)}, 1);
}

Divergences compare_distributions(const torch::Tensor& p_in, const torch::Tensor& q_in, double floor) {
  torch::Tensor p = p_in.to(torch::kFloat64).reshape(-1);
  torch::Tensor q = q_in.to(torch::kFloat64).reshape(-1);
  torch::Tensor support = p > 0;
  torch::Tensor ps = p.masked_select(support);
  torch::Tensor qs = q.masked_select(support).clamp_min(floor);
  const double kl = (ps * (ps.log() - qs.log())).sum().item<double>();
  const double outside = std::max(0.0, 1.0 - q.sum().item<double>());
  const double tv = 0.5 * ((p - q).abs().sum().item<double>() + outside);
  return {kl, tv};
}

torch::Tensor cell_probabilities(const std::function<torch::Tensor(const torch::Tensor&)>& density, const Grid2D& grid) {
  return density(grid.centres()).to(torch::kFloat64) * (grid.cell() * grid.cell());
}

torch::Tensor model_cell_probabilities(EnergyModel& model, const Grid2D& grid, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  torch::Tensor f = model.forward(grid.centres().to(torch::kFloat32).to(device)).to(torch::kCPU, torch::kFloat64);
  return torch::softmax(f, 0);
}

torch::Tensor sample_histogram(const torch::Tensor& samples, const Grid2D& grid, std::int64_t bins) {
  torch::Tensor s = samples.detach().to(torch::kCPU, torch::kFloat64).reshape({-1, 2});
  const double h = (grid.hi - grid.lo) / static_cast<double>(bins);
  torch::Tensor idx = ((s - grid.lo) / h).floor().to(torch::kLong);
  torch::Tensor inside = ((idx >= 0) & (idx < bins)).all(1);
  idx = idx.index({inside});
  torch::Tensor flat = idx.select(1, 1) * bins + idx.select(1, 0);
  torch::Tensor counts = torch::bincount(flat, /*weights=*/{}, bins * bins).to(torch::kFloat64);
  return counts / static_cast<double>(s.size(0));
}

torch::Tensor pool_cells(const torch::Tensor& probs, std::int64_t n, std::int64_t k) {
  if (n % k != 0) throw UserError(fmt::format("histogram bins must divide the grid size {} evenly", n));
  const std::int64_t m = n / k;
  return probs.reshape({m, k, m, k}).sum({1, 3}).reshape(-1);
}

}  // namespace stanley
