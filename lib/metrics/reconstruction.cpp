#include "metrics/reconstruction.h"

#include <cmath>

namespace stanley {

double masked_mse(const torch::Tensor& completed, const torch::Tensor& truth, const torch::Tensor& mask) {
  const torch::Tensor hole = (1.0 - mask.to(torch::kFloat64)).expand_as(truth);
  const torch::Tensor err = (completed.to(torch::kFloat64) - truth.to(torch::kFloat64)).pow(2) * hole;
  return err.sum().item<double>() / std::max(hole.sum().item<double>(), 1.0);
}

double psnr_from_mse(double mse) { return 10.0 * std::log10(4.0 / mse); }

}  // namespace stanley
