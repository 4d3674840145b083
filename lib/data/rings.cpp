#include "data/rings.h"

#include <cmath>

#include "random/draws.h"

namespace stanley {

torch::Tensor RingsDataset::batch(std::int64_t m, at::Generator& gen, const torch::Device& device) {
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  torch::Tensor ring = draw::integers(0, static_cast<std::int64_t>(radii_.size()), {m}, gen, torch::kCPU);
  torch::Tensor radius = torch::tensor(radii_, opts).index_select(0, ring);
  torch::Tensor r = radius + sd_ * draw::normal({m}, gen, opts);
  torch::Tensor theta = draw::uniform({m}, gen, opts) * (2 * M_PI);
  return torch::stack({r * torch::cos(theta), r * torch::sin(theta)}, 1).to(device);
}

torch::Tensor RingsDataset::density(const torch::Tensor& points) const {
  torch::Tensor p = points.to(torch::kFloat64);
  torch::Tensor rho = p.norm(2, 1).clamp_min(1e-12);
  torch::Tensor out = torch::zeros_like(rho);
  const double w = 1.0 / static_cast<double>(radii_.size());
  const double norm = 1.0 / (sd_ * std::sqrt(2 * M_PI));
  for (double radius : radii_) {
    out += w * norm * (torch::exp(-0.5 * ((rho - radius) / sd_).pow(2)) + torch::exp(-0.5 * ((rho + radius) / sd_).pow(2)));
  }
  return out / (2 * M_PI * rho);
}

DatasetPtr make_rings(const Config& cfg) {
  const double scale = cfg.get<double>("radius");
  std::vector<double> radii;
  for (int i = 1; i <= cfg.get<int>("n_rings"); ++i) radii.push_back(scale * i);
  return std::make_shared<RingsDataset>(radii, cfg.get<double>("sd"));
}

}  // namespace stanley
