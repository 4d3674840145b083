#pragma once
// The sampler seam.
//
// One target for every sampler (README "Samplers", docs/samplers.md):
//     π_T(z) ∝ exp(f(z) / T),   T = ε²,   ε = sampler.noise.
// The unadjusted step z + (s/2)∇f + √s·ε·ξ equals z + (sT/2)∇(f/T) + √(sT)·ξ: Langevin with step sT on
// log π_T, so its stationary law is π_T up to the O(s) discretisation bias. Metropolis–Hastings
// samplers (mala, stanley_mh, hmc) test on f/T and leave π_T exactly invariant. gd has no noise: T = 0,
// it climbs to a mode. Comparisons are therefore made at one ε for all samplers.

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/config.h"
#include "io/registry.h"
#include "models/energy.h"

namespace stanley {

// Per-step statistics of one call to sample(): name -> one value per MCMC step. Samplers add 0-dim
// tensors on the chain's device and never read them, so tracing puts no host synchronisation inside
// the sampling loop (on a GPU each read is one); per_step() copies them all to the host at once.
class ChainTrace {
 public:
  // Optional: called with the states after every step (long-chain diagnostics record draws here).
  std::function<void(const torch::Tensor&)> observe;

  // How a statistic is summarised over the K steps of a call (the chain_<name> scalar of a log iteration).
  enum class Summary { kMean, kMin };
  void add(const std::string& name, const torch::Tensor& value, Summary summary = Summary::kMean) {
    pending_[name].push_back(value.detach());
    if (summary != Summary::kMean) summaries_[name] = summary;
  }
  Summary summary(const std::string& name) const {
    auto it = summaries_.find(name);
    return it == summaries_.end() ? Summary::kMean : it->second;
  }
  // The values as doubles (one device-to-host copy for everything added since the last call).
  std::map<std::string, std::vector<double>>& per_step();
  // Values added and not yet copied to the host (tests: nothing is read inside the loop).
  std::size_t pending() const;

 private:
  std::map<std::string, std::vector<torch::Tensor>> pending_;
  std::map<std::string, std::vector<double>> values_;
  std::map<std::string, Summary> summaries_;
};

// One transition z → z' ~ N(mean, diag std²). The one owner of each sampler's step formula: the sampler's
// loop, its Metropolis–Hastings adjustment and the couplings all use it.
struct GaussianKernel {
  torch::Tensor mean;
  torch::Tensor std;             // broadcastable to mean; undefined for a deterministic step (gd)
  bool state_dependent = false;  // std varies with z (rejection coupling) rather than constant (reflection)
};

// The streams one sample() call draws from: the steps' standard normals and the Metropolis–Hastings
// uniforms, each on its own stream so that samplers sharing a seed share the draws they have in common.
struct ChainStreams {
  at::Generator noise;
  at::Generator accept;
};

class Sampler;
using SamplerPtr = std::unique_ptr<Sampler>;

class Sampler {
 public:
  virtual ~Sampler() = default;
  // Runs n_steps transitions from z0 (not modified). The model's parameters are frozen meanwhile.
  virtual torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                               const ChainStreams& streams, ChainTrace* trace) = 0;
  // The same with one generator for every draw.
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) {
    return sample(energy, z0, n_steps, ChainStreams{gen, gen}, trace);
  }
  // A copy with the same settings and carried state; sampling with it leaves this one untouched
  // (evaluation chains must not become STANLEY's "previous samples" or move an adapted step).
  virtual SamplerPtr fork() const = 0;

  // T of the target π_T ∝ exp(f/T).
  virtual double temperature() const = 0;
  // True when every transition leaves π_T exactly invariant (a Metropolis–Hastings test): TFP's
  // is_calibrated. Unadjusted samplers carry a discretisation bias.
  virtual bool exact() const { return false; }
  // The transition at z as a Gaussian kernel of z alone (∇f(z) given), where it is one: unadjusted
  // Markov samplers. Couplings and the MH adjustment use it.
  virtual std::optional<GaussianKernel> kernel(const torch::Tensor& /*z*/, const torch::Tensor& /*grad*/) const {
    return std::nullopt;
  }
  // Whether kernel() exists and has noise, so that two chains can be coupled to meet.
  virtual bool couplable() const { return false; }

  // Gradient evaluations per transition, for ESS per gradient (HMC: its leapfrog count).
  virtual double gradients_per_step() const { return 1.0; }
  // Gradient evaluations per chain once per sample() call, beside the steps (STANLEY eq. 4: ∇f at the
  // previous iteration's samples).
  virtual double gradients_per_call() const { return 0.0; }
  // The Langevin-equivalent step s (HMC: its leapfrog h is ε√s). MH samplers may adapt it.
  virtual double step_size() const = 0;
  virtual bool adaptable() const { return false; }
  virtual void set_step_size(double) {}
  // Mean acceptance of the last sample() call as a 0-dim tensor on the chains' device; undefined for
  // samplers without an MH test. Reading it is the caller's one host sync.
  virtual torch::Tensor last_accept_rate() const { return {}; }

  // State carried from one sample() call to the next (STANLEY's previous samples, an adapted step);
  // saved in checkpoints so that a resumed run continues exactly.
  virtual std::map<std::string, torch::Tensor> state() const { return {}; }
  virtual void load_state(const std::map<std::string, torch::Tensor>& /*state*/) {}
};

// Samplers whose transition is one Gaussian kernel step z' = mean(z) + std(z)·ξ (Langevin, STANLEY,
// tamed Langevin, gd with no noise): one loop, each sampler says only its kernel.
class GaussianStepSampler : public Sampler {
 public:
  using Sampler::sample;
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace) override;
  // The kernel the loop uses; may depend on per-call state (STANLEY's γ fixed for an iteration).
  virtual GaussianKernel step_kernel(const torch::Tensor& z, const torch::Tensor& grad) const = 0;
  std::optional<GaussianKernel> kernel(const torch::Tensor& z, const torch::Tensor& grad) const override;
  bool couplable() const override { return markov() && temperature() > 0; }
  // Whether step_size() changes the kernel (STANLEY's eq. 4 has no s: only with gamma_times_s).
  virtual bool uses_step_size() const { return true; }
  // Sampler-specific per-step statistics (called only when tracing).
  virtual void record_extra(ChainTrace* /*trace*/, const torch::Tensor& /*grad*/) const {}

 protected:
  // False when step_kernel depends on more than z (STANLEY's γ from another state).
  virtual bool markov() const { return true; }
  // Called once per sample() with the start and ∇f there, and with the final states.
  virtual void begin(EnergyModel& /*energy*/, const torch::Tensor& /*z0*/, const torch::Tensor& /*grad0*/) {}
  virtual void end(const torch::Tensor& /*z*/) {}
};

// What the registry holds per sampler: how to build it from its config section, and what a long-chain
// measurement (`stanley diagnose`) changes in that config so that the chain is one Markov kernel.
struct SamplerRecipe {
  std::function<SamplerPtr(const Config&)> make;
  std::string long_chain_overrides = "{}";  // YAML mapping merged into the sampler section
};
Registry<SamplerRecipe>& sampler_registry();
// Builds the sampler named by `name` in the `sampler` config section; wraps it in step adaptation when
// the section says `adapt_step: true`.
SamplerPtr make_sampler(const Config& sampler_cfg);

// Statistics every sampler records per step: mean f(z_k), mean ‖∇f(z_k)‖, mean ‖z_k − z_{k−1}‖;
// also hands z_next to trace->observe. Every sampler calls it once per step.
void record_common_stats(ChainTrace* trace, const EnergyGrad& eg, const torch::Tensor& z_prev,
                         const torch::Tensor& z_next);

// Per-sample Euclidean norm: [batch, ...] -> [batch].
torch::Tensor per_sample_norm(const torch::Tensor& t);

// A per-chain [batch] mask viewed to broadcast against `like` ([batch, ...]).
torch::Tensor per_chain(const torch::Tensor& mask, const torch::Tensor& like);

// log N(x; mean, diag std²) per chain, constants dropped, log-determinant kept.
torch::Tensor log_gaussian(const torch::Tensor& x, const GaussianKernel& k);

// A draw from the kernel with the given standard normal noise.
torch::Tensor kernel_draw(const GaussianKernel& k, const torch::Tensor& noise);

// Standard normals for n_steps steps of chains shaped like z, in one draw ([n_steps, z...]; one kernel
// launch instead of K on a GPU).
torch::Tensor draw_step_noise(std::int64_t n_steps, const torch::Tensor& z, at::Generator& gen);

// The Metropolis–Hastings choice per chain: y where log u < log_ratio, else z; f and ∇f follow.
struct MhChoice {
  torch::Tensor next;
  EnergyGrad at_next;
  torch::Tensor accepted;  // [batch] bool
};
MhChoice metropolis_choice(const torch::Tensor& z, const EnergyGrad& at_z, const torch::Tensor& y,
                           const EnergyGrad& at_y, const torch::Tensor& log_ratio, const torch::Tensor& u);


// Checks shared by sampler factories: step_size > 0 and noise ≥ 0 (noise > 0 where `need_noise`).
void check_step_and_noise(const Config& cfg, bool need_noise);

}  // namespace stanley
