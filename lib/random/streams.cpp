#include "random/streams.h"

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

at::Generator default_generator(const torch::Device& device) { return at::globalContext().defaultGenerator(device); }

at::Generator make_generator(const torch::Device& device, std::uint64_t seed) {
  at::Generator base = default_generator(device);
  at::Generator gen;
  {
    std::lock_guard<std::mutex> lock(base.mutex());
    gen = base.clone();
  }
  gen.set_current_seed(seed);
  return gen;
}

void with_global_cpu_seed(std::uint64_t seed, const std::function<void()>& body) {
  at::Generator global = default_generator(torch::kCPU);
  const torch::Tensor saved = global.get_state();
  global.set_current_seed(seed);
  try {
    body();
  } catch (...) {
    global.set_state(saved);
    throw;
  }
  global.set_state(saved);
}

}  // namespace stanley
