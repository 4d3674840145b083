#pragma once
// Inpainting quality on the masked region only: MSE and PSNR with pixels in [-1, 1] (peak-to-peak 2).

#include <torch/torch.h>

namespace stanley {

// mask: 1 where observed (not scored), 0 where filled in; broadcastable to the images.
double masked_mse(const torch::Tensor& completed, const torch::Tensor& truth, const torch::Tensor& mask);
// 10 log10(2² / MSE): the PSNR of the same images mapped to [0, 1].
double psnr_from_mse(double mse);

}  // namespace stanley
