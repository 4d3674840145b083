#pragma once
// The rings toy of Nijkamp et al. (2020), reused by the STANLEY paper (Fig. 1): four concentric
// rings of radius 1, 2, 3, 4 (times `radius`), equal mass, uniform angle, radial noise N(0, sd²).

#include "data/dataset.h"

namespace stanley {

class RingsDataset : public Dataset {
 public:
  RingsDataset(std::vector<double> radii, double sd) : radii_(std::move(radii)), sd_(sd) {}
  torch::Tensor batch(std::int64_t m, at::Generator& gen, const torch::Device& device) override;
  std::vector<std::int64_t> sample_shape() const override { return {2}; }

  // Exact density of the sampling process at points [n, 2] (float64). A point is r·(cos θ, sin θ) with
  // r = R + sd·n, so a negative r lands at angle θ+π: the density folds both signs of r in,
  //   p(x) = Σ_i w_i [φ(|x|; R_i, sd) + φ(−|x|; R_i, sd)] / (2π|x|).
  torch::Tensor density(const torch::Tensor& points) const;
  const std::vector<double>& radii() const { return radii_; }

 private:
  std::vector<double> radii_;
  double sd_;
};

DatasetPtr make_rings(const Config& cfg);

}  // namespace stanley
