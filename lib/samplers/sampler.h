#pragma once
// The sampler seam: energy, initial states, number of steps, generator -> final states, plus
// per-step chain statistics when a trace is asked for (at log intervals only: each statistic
// costs a device sync).

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/config.h"
#include "io/registry.h"
#include "models/energy.h"

namespace stanley {

// Per-step statistics of one call to sample(): name -> one value per MCMC step.
struct ChainTrace {
  std::map<std::string, std::vector<double>> per_step;
  // Optional: called with the states after every step (long-chain diagnostics record draws here).
  std::function<void(const torch::Tensor&)> observe;
  void add(const std::string& name, double value) { per_step[name].push_back(value); }
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  // Runs n_steps transitions from z0 (not modified). The model's parameters are frozen meanwhile.
  virtual torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                               at::Generator& gen, ChainTrace* trace) = 0;
  // Gradient evaluations per transition, for ESS per gradient (HMC: its leapfrog count).
  virtual double gradients_per_step() const { return 1.0; }
  // MH samplers expose their step size for adaptation (dual averaging); others return false.
  virtual bool adaptable() const { return false; }
  virtual double step_size() const { return 0.0; }
  virtual void set_step_size(double) {}
};
using SamplerPtr = std::unique_ptr<Sampler>;

// Samplers of the form z ← z + drift(∇f(z)) + σ·ξ with a constant σ (Langevin, tamed Langevin, and
// gradient ascent with σ = 0): one loop, each sampler says only its drift.
class ExplicitStepSampler : public Sampler {
 public:
  explicit ExplicitStepSampler(double noise_sd) : noise_sd_(noise_sd) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;
  virtual torch::Tensor drift(const torch::Tensor& grad) const = 0;

 private:
  double noise_sd_;
};

using SamplerFactory = std::function<SamplerPtr(const Config&)>;
Registry<SamplerFactory>& sampler_registry();
// Builds the sampler named by `name` in the `sampler` config section.
SamplerPtr make_sampler(const Config& sampler_cfg);

// Statistics every sampler records per step: mean f(z_k), mean ‖∇f(z_k)‖, mean ‖z_k − z_{k−1}‖;
// also hands z_next to trace->observe. Every sampler calls it once per step.
void record_common_stats(ChainTrace* trace, const EnergyGrad& eg, const torch::Tensor& z_prev,
                         const torch::Tensor& z_next);

// Per-sample Euclidean norm: [batch, ...] -> [batch].
torch::Tensor per_sample_norm(const torch::Tensor& t);

// Metropolis–Hastings samplers whose proposal is a diagonal Gaussian N(m(z), diag v(z)) built from
// ∇f(z) (MALA, STANLEY-MH): one loop and one acceptance ratio, each sampler says only m and v.
class GaussianMhSampler : public Sampler {
 public:
  struct Proposal {
    torch::Tensor mean, var;  // var broadcastable to mean
  };
  virtual Proposal proposal(const torch::Tensor& z, const torch::Tensor& grad) const = 0;

  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;
  bool adaptable() const override { return true; }
  // log q(to | from) up to a constant, per chain, given ∇f(from); log-determinant included.
  torch::Tensor log_proposal(const torch::Tensor& to, const torch::Tensor& from, const torch::Tensor& grad_from) const;
  // log of the MH acceptance ratio f(y) − f(z) + log q(z|y) − log q(y|z), per chain.
  torch::Tensor log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z, const EnergyGrad& at_y,
                                 const torch::Tensor& y) const;

 protected:
  // Sampler-specific per-step statistics (called only when tracing).
  virtual void record_extra(ChainTrace* /*trace*/, const torch::Tensor& /*grad*/) const {}
};

// A per-chain [batch] mask viewed to broadcast against `like` ([batch, ...]).
torch::Tensor per_chain(const torch::Tensor& mask, const torch::Tensor& like);

// The Metropolis–Hastings choice per chain: y where log U < log_ratio, else z; f and ∇f follow.
struct MhChoice {
  torch::Tensor next;
  EnergyGrad at_next;
  torch::Tensor accepted;  // [batch] bool
};
MhChoice metropolis_choice(const torch::Tensor& z, const EnergyGrad& at_z, const torch::Tensor& y,
                           const EnergyGrad& at_y, const torch::Tensor& log_ratio, at::Generator& gen);

// Standard normal noise like `like`, drawn from `gen` on like's device.
torch::Tensor normal_like(const torch::Tensor& like, at::Generator& gen);

}  // namespace stanley
