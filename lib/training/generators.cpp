#include "training/generators.h"

#include <fmt/format.h>

namespace stanley {

RunGenerators::RunGenerators(std::uint64_t seed, const torch::Device& device)
    : data(make_generator(torch::kCPU, derive_seed(seed, "data"))),
      starts(make_generator(device, derive_seed(seed, "chain_starts"))),
      chains{make_generator(device, derive_seed(seed, "chain_noise")), make_generator(device, derive_seed(seed, "mh_accept"))},
      seed_(seed),
      device_(device) {}

EvalStreams RunGenerators::evaluation(std::int64_t iteration, const std::string& purpose) const {
  auto stream = [&](const char* name) {
    return make_generator(device_, derive_seed(seed_, fmt::format("{}/{}/{}", purpose, name, iteration)));
  };
  return {stream("chain_starts"), {stream("chain_noise"), stream("mh_accept")}, stream("scoring")};
}

}  // namespace stanley
