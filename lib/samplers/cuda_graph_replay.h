#pragma once
// sampler.cuda_graph=true: the K steps of an EBM iteration captured once as a CUDA graph and replayed
// every iteration (one launch instead of K × (forward + backward + update) kernel launches; the driver's
// loop has no host synchronisation, so it is capturable). It wraps the driver, whatever the kernel.
// What replay needs, and how it is given:
//   - static shapes and K: the graph is recaptured when the batch shape, K or the net changes;
//   - weights updated in place (the optimizer does), so a replay sees the current f;
//   - state carried between iterations (STANLEY's previous samples) kept in the captured buffers: an
//     eager call (a traced log iteration) copies its state back into them;
//   - random numbers: a captured graph may draw only from the device's default CUDA generator, so replay
//     seeds that one from the run's noise stream once and checkpoints its state; the step normals and MH
//     uniforms share it (under cuda_graph, MH samplers are paired with the others by starts and data only);
//   - no host reads inside sample(): step adaptation (adapt_step) is refused with it.
// Built only against a CUDA libtorch (STANLEY_WITH_CUDA); elsewhere the key is refused with one line.

#include <torch/torch.h>

#include <memory>

#include "config/config.h"
#include "samplers/sampler.h"

namespace stanley {

class CudaGraphReplay {
 public:
  CudaGraphReplay();  // refuses (UserError) on a build without CUDA
  ~CudaGraphReplay();
  // One call of `sampler`'s loop, replayed from a captured graph once warm.
  torch::Tensor sample(Sampler& sampler, EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                       const ChainStreams& streams, ChainTrace* trace);
  // The replay generator's state (undefined before the first call), and its restoration from a checkpoint.
  torch::Tensor rng_state() const;
  void restore(const torch::Tensor& rng_state);

 private:
  struct Capture;
  std::unique_ptr<Capture> capture_;
};

// Refuses sampler.cuda_graph=true on a build without CUDA or a device that is not a GPU (bad input,
// checked at setup before anything is written).
void check_cuda_graph_setting(const Config& sampler_cfg, const torch::Device& device);

}  // namespace stanley
