#pragma once
// Sample quality without a normalising constant or reference density.
//   ksd_imq:          kernel Stein discrepancy² (U-statistic) with the IMQ kernel (c² + ‖x−y‖²)^β,
//                     β = −½ (Gorham & Mackey 2017); needs only the score ∇f at the samples.
//   mmd_rbf:          unbiased MMD² with a Gaussian kernel, bandwidth by the median heuristic on the
//                     pooled samples (Gretton et al. 2012).
//   energy_distance:  2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ (Székely & Rizzo), U-statistics within samples.
// Samples are [n, ...], flattened to vectors; computed in float64.

#include <torch/torch.h>

namespace stanley {

double ksd_imq(const torch::Tensor& x, const torch::Tensor& score, double c = 1.0, double beta = -0.5);
double mmd_rbf(const torch::Tensor& x, const torch::Tensor& y);
double energy_distance(const torch::Tensor& x, const torch::Tensor& y);

}  // namespace stanley
