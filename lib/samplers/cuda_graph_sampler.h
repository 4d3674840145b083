#pragma once
// sampler.cuda_graph=true: the K steps of an EBM iteration captured once as a CUDA graph and replayed
// every iteration (one launch instead of K × (forward + backward + update) kernel launches; the loop
// has no host synchronisation, so it is capturable). What replay needs, and how it is given:
//   - static shapes and K: the graph is recaptured when the batch shape, K or the net changes;
//   - weights updated in place (the optimizer does), so a replay sees the current f;
//   - sampler state carried between iterations (STANLEY's previous samples) kept in the captured
//     buffers: an eager call (a traced log iteration) copies its state back into them;
//   - random numbers: a captured graph may draw only from the device's default CUDA generator, so the
//     wrapper seeds that one from the run's sampler stream once and checkpoints its state;
//   - no host reads inside sample(): step adaptation (adapt_step) is refused with it.
// Built only against a CUDA libtorch (STANLEY_WITH_CUDA); elsewhere the key is refused with one line.

#include <torch/torch.h>

#include "io/config.h"
#include "samplers/sampler.h"

namespace stanley {

// Refuses sampler.cuda_graph=true on a build without CUDA or a device that is not a GPU (bad input,
// checked at setup before anything is written).
void check_cuda_graph_setting(const Config& sampler_cfg, const torch::Device& device);
// The sampler wrapped so that its K steps run as one captured graph (CUDA builds only).
SamplerPtr wrap_in_cuda_graph(SamplerPtr inner);

}  // namespace stanley
