#include "metrics/feature_stats.h"

#include <fmt/format.h>

#include "config/errors.h"

namespace stanley {

void FeatureStatsAccumulator::add(const torch::Tensor& features) {
  torch::Tensor f = features.detach().to(torch::kCPU, torch::kFloat64);
  if (!sum_.defined()) {
    sum_ = torch::zeros({f.size(1)}, torch::kFloat64);
    outer_ = torch::zeros({f.size(1), f.size(1)}, torch::kFloat64);
  }
  sum_ += f.sum(0);
  outer_.addmm_(f.t(), f);
  n_ += f.size(0);
}

FeatureStats FeatureStatsAccumulator::finish() const {
  if (n_ < 2) throw UserError(fmt::format("feature statistics need at least 2 samples, got {}", n_));
  const double n = static_cast<double>(n_);
  torch::Tensor mean = sum_ / n;
  torch::Tensor cov = (outer_ - n * torch::outer(mean, mean)) / (n - 1.0);
  return {mean, 0.5 * (cov + cov.t()), n_};
}

FeatureStats feature_stats(const torch::Tensor& features) {
  FeatureStatsAccumulator acc;
  acc.add(features);
  return acc.finish();
}

namespace {
// Symmetric PSD square root: V diag(√max(λ, 0)) Vᵀ. Tiny negative eigenvalues are rounding.
torch::Tensor sqrt_psd(const torch::Tensor& s) {
  auto [lambda, v] = at::linalg_eigh(s, "L");
  return (v * lambda.clamp_min(0).sqrt().unsqueeze(0)).mm(v.t());
}
}  // namespace

double frechet_distance(const FeatureStats& a, const FeatureStats& b) {
  if (a.mean.numel() != b.mean.numel())
    throw UserError(fmt::format("feature sizes differ: {} vs {}", a.mean.numel(), b.mean.numel()));
  const torch::Tensor root_a = sqrt_psd(a.cov);
  torch::Tensor m = root_a.mm(b.cov).mm(root_a);
  m = 0.5 * (m + m.t());
  const double tr_sqrt = at::linalg_eigvalsh(m, "L").clamp_min(0).sqrt().sum().item<double>();
  const double diff = (a.mean - b.mean).pow(2).sum().item<double>();
  return diff + a.cov.trace().item<double>() + b.cov.trace().item<double>() - 2.0 * tr_sqrt;
}

}  // namespace stanley
