#pragma once
// Tensor operations on a batch of chains ([batch, ...]) shared by the kernels and the couplings.

#include <torch/torch.h>

#include "samplers/transition_kernel.h"

namespace stanley {

// Per-sample Euclidean norm: [batch, ...] -> [batch].
torch::Tensor per_sample_norm(const torch::Tensor& t);
// A per-chain [batch] mask or value viewed to broadcast against `like` ([batch, ...]).
torch::Tensor per_chain(const torch::Tensor& mask, const torch::Tensor& like);
// log N(x; mean, diag std²) per chain, constants dropped, log-determinant kept.
torch::Tensor log_gaussian(const torch::Tensor& x, const GaussianKernel& k);
// A draw from the kernel with the given standard normal noise (mean + std·noise, one fused kernel).
torch::Tensor kernel_draw(const GaussianKernel& k, const torch::Tensor& noise);

}  // namespace stanley
