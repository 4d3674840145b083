#pragma once
// One `seed` seeds every random stream; each stream gets its own generator derived from it, so
// changing how much one stream draws (say, evaluating more often) leaves the others alone.

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace stanley {

// splitmix64 of seed mixed with a hash of the stream's name.
std::uint64_t derive_seed(std::uint64_t seed, const std::string& stream);
// A generator of `device`'s type seeded with `seed` (cloned from the device's default generator, so
// the same code serves CPU and CUDA).
at::Generator make_generator(const torch::Device& device, std::uint64_t seed);

struct RunGenerators {
  at::Generator data;     // data batches (CPU)
  at::Generator sampler;  // chain initialisation and MCMC noise during training (device)
  at::Generator eval;     // evaluation chains (device)
  RunGenerators(std::uint64_t seed, const torch::Device& device);
};

}  // namespace stanley
