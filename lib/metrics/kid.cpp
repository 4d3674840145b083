#include "metrics/kid.h"

#include <fmt/format.h>

#include <cmath>

#include "config/errors.h"
#include "random/draws.h"

namespace stanley {

double mmd2_polynomial_unbiased(const torch::Tensor& x_in, const torch::Tensor& y_in) {
  const torch::Tensor x = x_in.to(torch::kFloat64), y = y_in.to(torch::kFloat64);
  const double d = static_cast<double>(x.size(1));
  const double m = static_cast<double>(x.size(0)), n = static_cast<double>(y.size(0));
  if (m < 2 || n < 2) throw UserError("KID needs at least 2 samples per set");
  auto kernel = [d](const torch::Tensor& a, const torch::Tensor& b) { return (a.mm(b.t()) / d + 1.0).pow(3); };
  const torch::Tensor kxx = kernel(x, x), kyy = kernel(y, y), kxy = kernel(x, y);
  const double sxx = (kxx.sum() - kxx.diagonal().sum()).item<double>() / (m * (m - 1));
  const double syy = (kyy.sum() - kyy.diagonal().sum()).item<double>() / (n * (n - 1));
  return sxx + syy - 2.0 * kxy.mean().item<double>();
}

KidResult kernel_inception_distance(const torch::Tensor& x, const torch::Tensor& y, at::Generator& gen,
                                    std::int64_t n_subsets, std::int64_t subset_size) {
  const std::int64_t m = std::min({subset_size, x.size(0), y.size(0)});
  std::vector<double> values;
  for (std::int64_t i = 0; i < n_subsets; ++i) {
    const torch::Tensor ix = draw::permutation(x.size(0), gen, x.device()).narrow(0, 0, m);
    const torch::Tensor iy = draw::permutation(y.size(0), gen, y.device()).narrow(0, 0, m);
    values.push_back(mmd2_polynomial_unbiased(x.index_select(0, ix), y.index_select(0, iy)));
  }
  KidResult r;
  for (double v : values) r.mean += v;
  r.mean /= static_cast<double>(values.size());
  for (double v : values) r.std += (v - r.mean) * (v - r.mean);
  r.std = values.size() > 1 ? std::sqrt(r.std / static_cast<double>(values.size() - 1)) : 0.0;
  return r;
}

}  // namespace stanley
