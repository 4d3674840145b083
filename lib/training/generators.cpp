#include "training/generators.h"

namespace stanley {

RunGenerators::RunGenerators(std::uint64_t seed, const torch::Device& device)
    : data(make_generator(torch::kCPU, derive_seed(seed, "data"))),
      sampler(make_generator(device, derive_seed(seed, "sampler"))),
      eval(make_generator(device, derive_seed(seed, "eval"))) {}

}  // namespace stanley
