#pragma once
// A sampler is a transition kernel run by one driver (samplers/sampler.h), as in BlackJAX (a step
// function of a typed state, returning the next state and a typed info) and TFP's TransitionKernel
// (Metropolis–Hastings wraps any kernel that reports its log proposal correction; HMC is MH over
// leapfrog). The kernel says one step; the driver owns the K-step loop, the draws, frozen parameters,
// tracing, acceptance averaging, step adaptation and CUDA-graph replay.

#include <torch/torch.h>

#include <memory>
#include <optional>

#include "models/energy.h"

namespace stanley {

// The chains between two steps: positions, and f and ∇f there once computed (a step that evaluated
// them at its result, as an MH test must, hands them on; otherwise the driver evaluates them).
struct ChainState {
  torch::Tensor z;
  EnergyGrad at;  // undefined until evaluated
};

// One step's random draws, made by the driver for all K steps at once, each kind on its own stream.
struct StepDraws {
  torch::Tensor normal;   // standard normal like z (kernels with noise)
  torch::Tensor uniform;  // [batch] on [0, 1) (kernels with an MH test)
};

// What a step reports besides its result; the driver writes the defined fields to the trace.
struct StepInfo {
  torch::Tensor log_correction;    // [batch] log q(z|y) − log q(y|z) of a proposal (leapfrog: kinetic energy given up)
  torch::Tensor accepted;          // [batch] bool: the MH test's outcome
  torch::Tensor log_accept_ratio;  // [batch]: the MH test's log ratio (−ΔH for HMC)
  bool hamiltonian = false;        // the ratio is −ΔH of a leapfrog trajectory (traced as abs_delta_h)
  torch::Tensor gamma;             // STANLEY's per-coordinate step γ
  double gamma_max = 1.0;          // γ where nothing is clipped
  torch::Tensor threshold;         // STANLEY's quantile threshold th (clip_fraction)
  torch::Tensor preconditioner;    // pSGLD's G
};

struct Step {
  ChainState next;
  StepInfo info;
};

// One transition z → z' ~ N(mean, diag std²): a Gaussian kernel of z alone, where the step is one.
// The couplings and the MH correction of Gaussian proposals use it.
struct GaussianKernel {
  torch::Tensor mean;
  torch::Tensor std;             // broadcastable to mean; undefined for a deterministic step (gd)
  bool state_dependent = false;  // std varies with z (rejection coupling) rather than constant (reflection)
};

class TransitionKernel;
using KernelPtr = std::unique_ptr<TransitionKernel>;

class TransitionKernel {
 public:
  virtual ~TransitionKernel() = default;
  virtual KernelPtr clone() const = 0;

  // T of the target π_T ∝ exp(f/T).
  virtual double temperature() const = 0;
  // The Langevin-equivalent step s (HMC: its leapfrog h is ε√s).
  virtual double step_size() const = 0;
  virtual void set_step_size(double s) = 0;
  // Whether s changes the kernel (STANLEY's eq. 4 has no s: only with gamma_times_s).
  virtual bool uses_step_size() const { return true; }
  // Gradient evaluations per transition (HMC: its leapfrog count) and per call beside the steps
  // (STANLEY eq. 4: ∇f at the previous iteration's samples).
  virtual double gradients_per_step() const { return 1.0; }
  virtual double gradients_per_call() const { return 0.0; }
  // What the driver draws for each step.
  virtual bool draws_normal() const { return temperature() > 0; }
  virtual bool draws_uniform() const { return false; }
  // Every transition leaves π_T exactly invariant (an MH test): TFP's is_calibrated.
  virtual bool calibrated() const { return false; }

  // Once per call, with the chains' start evaluated (STANLEY fixes γ here).
  virtual void begin(EnergyModel& /*energy*/, const ChainState& /*start*/) {}
  // One transition from s (s.at evaluated).
  virtual Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws) = 0;
  // Once per call, with the final chains.
  virtual void end(const ChainState& /*last*/) {}

  // Whether propose() exists: a step that also reports its log proposal correction and f, ∇f at its
  // result, so that MetropolisHastings can correct it.
  virtual bool proposes() const { return false; }
  virtual Step propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws);
  // Whether the transition is a Gaussian kernel of z alone, and that kernel at z (∇f(z) given).
  virtual bool is_gaussian() const { return false; }
  virtual std::optional<GaussianKernel> gaussian(const torch::Tensor& /*z*/, const torch::Tensor& /*grad*/) const {
    return std::nullopt;
  }

  // What the kernel carries from one call to the next (STANLEY's previous samples); saved in checkpoints.
  virtual torch::Tensor previous_samples() const { return {}; }
  virtual void set_previous_samples(const torch::Tensor& /*z*/) {}
};

}  // namespace stanley
