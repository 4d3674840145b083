#include "training/generators.h"

#include <mutex>

namespace stanley {

std::uint64_t derive_seed(std::uint64_t seed, const std::string& stream) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : stream) h = (h ^ c) * 1099511628211ULL;
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (h | 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) & 0x7FFFFFFFFFFFFFFFULL;  // positive as int64, for Tensor storage
}

at::Generator make_generator(const torch::Device& device, std::uint64_t seed) {
  at::Generator base = at::globalContext().defaultGenerator(device);
  at::Generator gen;
  {
    std::lock_guard<std::mutex> lock(base.mutex());
    gen = base.clone();
  }
  gen.set_current_seed(seed);
  return gen;
}

RunGenerators::RunGenerators(std::uint64_t seed, const torch::Device& device)
    : data(make_generator(torch::kCPU, derive_seed(seed, "data"))),
      sampler(make_generator(device, derive_seed(seed, "sampler"))),
      eval(make_generator(device, derive_seed(seed, "eval"))) {}

}  // namespace stanley
