#pragma once
// The run's three streams, each derived from `seed` (random/streams.h).

#include "random/streams.h"

namespace stanley {

struct RunGenerators {
  at::Generator data;     // data batches (CPU)
  at::Generator sampler;  // chain initialisation and MCMC noise during training (device)
  at::Generator eval;     // evaluation chains (device)
  RunGenerators(std::uint64_t seed, const torch::Device& device);
};

}  // namespace stanley
