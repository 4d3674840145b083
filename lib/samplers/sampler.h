#pragma once
// The sampler seam: one driver (this class) runs any transition kernel (samplers/transition_kernel.h).
//
// One target for every sampler (README "Samplers", docs/samplers.md):
//     π_T(z) ∝ exp(f(z) / T),   T = ε²,   ε = sampler.noise.
// The unadjusted step z + (s/2)∇f + √s·ε·ξ equals z + (sT/2)∇(f/T) + √(sT)·ξ: Langevin with step sT on
// log π_T, so its stationary law is π_T up to the O(s) discretisation bias. Metropolis–Hastings
// samplers (mala, stanley_mh, hmc) test on f/T and leave π_T exactly invariant. gd has no noise: T = 0,
// it climbs to a mode. Comparisons are therefore made at one ε for all samplers.

#include <torch/torch.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "models/energy.h"
#include "samplers/chain_trace.h"
#include "samplers/step_adaptation.h"
#include "samplers/transition_kernel.h"

namespace stanley {

// The streams one sample() call draws from: the steps' standard normals and the Metropolis–Hastings
// uniforms, each on its own stream so that samplers sharing a seed share the draws they have in common.
struct ChainStreams {
  at::Generator noise;
  at::Generator accept;
};

// What a sampler carries from one sample() call to the next, saved in checkpoints so that a resumed run
// continues exactly.
struct CarriedState {
  KernelState kernel;              // what the kernel carries (STANLEY eq. (4): the last call's final chains)
  std::optional<double> log_step;  // an adapted step
  torch::Tensor graph_rng;         // the CUDA-graph generator's state
  // As named tensors for a checkpoint, and back.
  std::map<std::string, torch::Tensor> to_tensors() const;
  static CarriedState from_tensors(const std::map<std::string, torch::Tensor>& tensors);
};

class CudaGraphReplay;
class Sampler;
using SamplerPtr = std::unique_ptr<Sampler>;

class Sampler {
 public:
  // The kernel with the step size it was built with.
  explicit Sampler(KernelPtr kernel);
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // Runs n_steps transitions from z0 (not modified). The model's parameters are frozen meanwhile. All
  // K steps' draws are made at once (one kernel launch each on a GPU): normals from streams.noise when
  // the kernel has noise, uniforms from streams.accept when it has an MH test.
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace);
  // The same with one generator for every draw.
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) {
    return sample(energy, z0, n_steps, ChainStreams{gen, gen}, trace);
  }
  // A copy with the same settings, step and carried state, run eagerly; sampling with it leaves this one
  // untouched (evaluation chains must not become STANLEY's "previous samples" or move an adapted step).
  SamplerPtr fork() const;

  double temperature() const { return traits_.temperature; }
  // True when every transition leaves π_T exactly invariant (an MH test). Unadjusted samplers carry a
  // discretisation bias.
  bool exact() const { return traits_.exact; }
  // The transition at z as a Gaussian kernel of z alone (∇f(z) given), where it is one.
  std::optional<GaussianKernel> gaussian_kernel(const torch::Tensor& z, const torch::Tensor& grad) const;
  // Whether gaussian_kernel() exists and has noise, so that two chains can be coupled to meet.
  bool couplable() const { return kernel_->gaussian() && temperature() > 0; }
  double gradients_per_step() const { return traits_.gradients_per_step; }
  double gradients_per_call() const { return traits_.gradients_per_call; }
  // The step s every call passes to the kernel (adapted, where adaptation is on).
  double step_size() const { return step_size_; }
  void set_step_size(double s) { step_size_ = s; }
  // Whether an MH test's acceptance can steer a step that matters.
  bool adaptable() const { return exact() && traits_.uses_step_size && !graph_; }
  // Adapts the step after each call from its mean acceptance (nullptr: stop adapting).
  void set_adaptation(std::unique_ptr<StepAdaptation> adaptation);
  StepAdaptation* adaptation() const { return adaptation_.get(); }
  // Replays calls from a captured CUDA graph (a CUDA build, chains on the GPU).
  void capture_cuda_graphs();
  // Mean acceptance of the last sample() call as a 0-dim tensor on the chains' device; undefined for
  // samplers without an MH test. Reading it is the caller's one host sync.
  torch::Tensor last_accept_rate() const { return last_accept_; }

  CarriedState carried() const;
  void restore(const CarriedState& state);

 private:
  friend class CudaGraphReplay;
  // The K-step loop itself.
  torch::Tensor run(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                    ChainTrace* trace);
  KernelPtr kernel_;
  KernelTraits traits_;
  double step_size_;
  KernelState carried_;  // what the kernel's last call handed on
  std::unique_ptr<StepAdaptation> adaptation_;
  std::unique_ptr<CudaGraphReplay> graph_;
  torch::Tensor last_accept_;
};

// Standard normals for n_steps steps of chains shaped like z, in one draw ([n_steps, z...]).
torch::Tensor draw_step_noise(std::int64_t n_steps, const torch::Tensor& z, at::Generator& gen);

}  // namespace stanley
