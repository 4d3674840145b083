#pragma once
// Gaussian statistics of features and the Fréchet distance between two of them (FID, Heusel et al.
// 2017), computed as pytorch-fid does but without a general matrix square root:
//   d² = ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr √(Σ1 Σ2),  tr √(Σ1 Σ2) = Σ √λ(Σ1^½ Σ2 Σ1^½),
// both square roots from symmetric eigendecompositions (Σ1^½ Σ2 Σ1^½ is similar to Σ1 Σ2).

#include <torch/torch.h>

namespace stanley {

struct FeatureStats {
  torch::Tensor mean;  // float64 [D]
  torch::Tensor cov;   // float64 [D, D], divided by N − 1 (numpy.cov's default, as pytorch-fid)
  std::int64_t n = 0;
};

// Sums in float64 over batches of features, so 50k samples lose no precision.
class FeatureStatsAccumulator {
 public:
  void add(const torch::Tensor& features);  // [B, D]
  FeatureStats finish() const;
  std::int64_t count() const { return n_; }

 private:
  torch::Tensor sum_, outer_;
  std::int64_t n_ = 0;
};

FeatureStats feature_stats(const torch::Tensor& features);
double frechet_distance(const FeatureStats& a, const FeatureStats& b);

}  // namespace stanley
