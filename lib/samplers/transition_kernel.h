#pragma once
// A sampler is a transition kernel run by one driver (samplers/sampler.h), as in BlackJAX: a step function
// of a state, returning the next state and an info, with the step size a parameter of each call and every
// tensor that lives longer than one step kept in the state, never in the kernel. As in TFP's
// TransitionKernel, Metropolis–Hastings wraps any kernel that can propose (reports its log proposal
// correction); HMC is MH over leapfrog. The kernel says one step; the driver owns the K-step loop, the
// draws, the state carried from one call to the next, frozen parameters, tracing, acceptance averaging,
// step adaptation and CUDA-graph replay.

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>

#include "models/energy.h"

namespace stanley {

class ChainTrace;

// A kernel's own tensors by name: in a ChainState during a call (a momentum, STANLEY's γ for the call,
// pSGLD's second moment), and between calls as what the driver carries and checkpoints (STANLEY's
// previous samples). Tensors with the chains' leading dimension are per chain; others (a 0-dim threshold)
// are the call's. A kernel meant as an MH proposal makes its per-chain tensors in init (MH keeps a
// rejected chain's own, so each must exist before the step).
using KernelState = std::map<std::string, torch::Tensor>;

// The chains between two steps: positions, f and ∇f there once computed (a step that evaluated them at its
// result, as an MH proposal must, hands them on; otherwise the driver evaluates them), the kernel's tensors.
struct ChainState {
  torch::Tensor z;
  EnergyGrad at;  // undefined until evaluated
  KernelState aux;
};

// One step's random draws, made by the driver for all K steps at once, each kind on its own stream.
struct StepDraws {
  torch::Tensor normal;   // standard normal like z (kernels with noise)
  torch::Tensor uniform;  // [batch] on [0, 1) (kernels with an MH test)
};

// What a step reports besides its result: each kernel its own type, which writes itself to the trace.
class StepInfo {
 public:
  virtual ~StepInfo() = default;
  virtual void record(ChainTrace& trace) const = 0;
};
using InfoPtr = std::shared_ptr<const StepInfo>;

struct Step {
  ChainState next;
  InfoPtr info;            // null: nothing to report
  torch::Tensor accepted;  // [batch] bool: an MH test's outcome (undefined without one)
};

// What a kernel is, fixed when it is built.
struct KernelTraits {
  double temperature = 1.0;  // T of the target π_T ∝ exp(f/T); 0: no noise (the driver draws normals when > 0)
  double step_size = 0.0;    // the Langevin-equivalent s it was built with (the driver passes the current one)
  bool uses_step_size = true;  // whether s changes it (STANLEY's eq. 4 has no s: only with gamma_times_s)
  // Gradient evaluations per transition (HMC: its leapfrog count) and per call beside the steps (STANLEY
  // eq. 4: ∇f at the previous iteration's samples).
  double gradients_per_step = 1.0, gradients_per_call = 0.0;
  bool draws_uniform = false;  // one uniform per chain and step (an MH test)
  bool exact = false;          // every transition leaves π_T exactly invariant (TFP's is_calibrated)

  // An unadjusted kernel of one gradient per step: the rest as above.
  static KernelTraits of(double temperature, double step_size) {
    KernelTraits t;
    t.temperature = temperature;
    t.step_size = step_size;
    return t;
  }
};

// One transition z → z' ~ N(mean, diag std²): a Gaussian kernel of z alone, where the step is one.
// The couplings and the MH correction of Gaussian proposals use it.
struct GaussianKernel {
  torch::Tensor mean;
  torch::Tensor std;             // broadcastable to mean; undefined for a deterministic step (gd)
  bool state_dependent = false;  // std varies with z (rejection coupling) rather than constant (reflection)
};

// A step as a Metropolis–Hastings proposal y: f, ∇f at y evaluated, and log q(z|y) − log q(y|z) (leapfrog:
// the kinetic energy given up, `hamiltonian`, so that the test's ratio is −ΔH).
struct Proposal {
  ChainState next;
  torch::Tensor log_correction;  // [batch]
  InfoPtr info;
  bool hamiltonian = false;
};

// The capability of being corrected by MH: a step that also reports its log proposal correction.
class Proposing {
 public:
  virtual ~Proposing() = default;
  virtual Proposal propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const = 0;
};

// The capability of a transition that is a Gaussian kernel of z alone: its kernel at z, ∇f(z) given.
class GaussianForm {
 public:
  virtual ~GaussianForm() = default;
  virtual GaussianKernel at(const torch::Tensor& z, const torch::Tensor& grad, double step_size) const = 0;
};

class TransitionKernel;
using KernelPtr = std::unique_ptr<TransitionKernel>;

// A kernel holds only its settings: every call is a function of its arguments, so one kernel serves any
// number of samplers and copies (evaluation forks), and a checkpoint of the driver's state is complete.
class TransitionKernel {
 public:
  virtual ~TransitionKernel() = default;
  virtual KernelPtr clone() const = 0;
  virtual KernelTraits traits() const = 0;
  // Once per call, inside the driver's frozen parameters, with the chains' start evaluated and what the
  // last call carried: the kernel's tensors for this call (STANLEY fixes γ here; a momentum is set).
  virtual KernelState init(EnergyModel& /*energy*/, const ChainState& /*start*/, const KernelState& /*carried*/,
                           double /*step_size*/) const {
    return {};
  }
  // One transition from s (s.at evaluated).
  virtual Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const = 0;
  // Once per call, with the final chains: what the next call receives as `carried` (and checkpoints hold).
  virtual KernelState carry(const ChainState& /*last*/) const { return {}; }
  // The capabilities, where the kernel has them (null otherwise).
  virtual const Proposing* proposing() const { return nullptr; }
  virtual const GaussianForm* gaussian() const { return nullptr; }
};

}  // namespace stanley
