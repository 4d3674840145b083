#pragma once
// One `seed` seeds every random stream; each stream gets its own generator derived from it, so
// changing how much one stream draws (say, evaluating more often) leaves the others alone. Every
// generator of the suite is made here (draws: random/draws.h).

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>

namespace stanley {

// splitmix64 of seed mixed with a hash of the stream's name.
std::uint64_t derive_seed(std::uint64_t seed, const std::string& stream);
// A generator for `device` seeded with `seed` (cloned from the device's default generator, so the
// same code serves CPU and CUDA).
at::Generator make_generator(const torch::Device& device, std::uint64_t seed);
// The device's default generator itself (a CUDA graph capture may draw from no other).
at::Generator default_generator(const torch::Device& device);
// Runs `body` with the global CPU generator seeded with `seed`, then restores its state: code that
// draws from the global stream (libtorch's layer initialisers) gets numbers of `seed` alone.
void with_global_cpu_seed(std::uint64_t seed, const std::function<void()>& body);

}  // namespace stanley
