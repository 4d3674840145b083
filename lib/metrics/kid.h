#pragma once
// Kernel Inception Distance (Bińkowski et al. 2018): the unbiased MMD² with the cubic polynomial
// kernel k(x, y) = (xᵀy / d + 1)³, averaged over random subsets (100 of 1,000 by default, drawn
// without replacement from each set, as torch-fidelity and clean-fid do).

#include <torch/torch.h>

namespace stanley {

struct KidResult {
  double mean = 0;
  double std = 0;
};

// Unbiased MMD² of two feature sets [m, D] and [n, D] (m, n >= 2).
double mmd2_polynomial_unbiased(const torch::Tensor& x, const torch::Tensor& y);
KidResult kernel_inception_distance(const torch::Tensor& x, const torch::Tensor& y, at::Generator& gen,
                                    std::int64_t n_subsets = 100, std::int64_t subset_size = 1000);

}  // namespace stanley
