#pragma once
// The one owner of random draws. Rule: every draw is made on its generator's own device (in the
// target dtype) and then moved to the target device. Any generator may then fill any tensor: on one
// device nothing moves and the numbers are those of a direct draw; a CUDA generator that fills a CPU
// tensor (KID's subsets, once a crash at every image run's first evaluation on a GPU) draws on the GPU
// and copies. Nothing outside lib/random/ hands a generator to a torch random function or makes one:
// CTest `random_owner` scans the sources for it.

#include <torch/torch.h>

#include <cstdint>

namespace stanley::draw {

// Standard normal N(0, 1) of `sizes` with `target`'s dtype (float32 if unset) on `target`'s device.
torch::Tensor normal(at::IntArrayRef sizes, at::Generator& gen, const torch::TensorOptions& target);
// Standard normal like `like` (its sizes, dtype and device).
torch::Tensor normal_like(const torch::Tensor& like, at::Generator& gen);
// Uniform on [0, 1).
torch::Tensor uniform(at::IntArrayRef sizes, at::Generator& gen, const torch::TensorOptions& target);
// Integers uniform on [low, high), int64.
torch::Tensor integers(std::int64_t low, std::int64_t high, at::IntArrayRef sizes, at::Generator& gen,
                       const torch::Device& target);
// A uniformly random permutation of 0..n-1, int64.
torch::Tensor permutation(std::int64_t n, at::Generator& gen, const torch::Device& target);
// One non-negative 62-bit integer from `gen` (a seed for another generator), read back to the host.
std::uint64_t seed_from(at::Generator& gen);

}  // namespace stanley::draw
