#pragma once
#include "samplers/sampler.h"

namespace stanley {

// STANLEY (Karimi, Xie & Li, 2023), Algorithm 1 lines 3-4:
//   γ = s·th / max(th, |∇f(z)|)          (per coordinate)
//   z ← z + (γ/2)⊙∇f(z) + √γ⊙ε·ξ
// Where |∇f| exceeds th the drift becomes (s·th/2)·sign(∇f) and the noise shrinks with it.
class StanleySampler : public Sampler {
 public:
  enum class StepsizeMode { kPerIteration, kPerStep };
  enum class Scale { kElementwise, kL2 };

  struct Options {
    double step_size = 0.14;
    double noise = 1.0;
    double th = 0.01;
    StepsizeMode stepsize = StepsizeMode::kPerIteration;
    Scale scale = Scale::kElementwise;
  };

  explicit StanleySampler(Options o) : o_(o) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;

  // γ from a gradient: elementwise, or from each sample's ‖∇f‖ (the isotropic ablation).
  torch::Tensor step_sizes(const torch::Tensor& grad) const;
  // One transition with a given γ (exposed for tests against hand-computed steps).
  torch::Tensor step(const torch::Tensor& z, const torch::Tensor& grad, const torch::Tensor& gamma,
                     const torch::Tensor& noise) const;

 private:
  Options o_;
};

// Per-step γ statistics: mean, min, and the fraction of coordinates clipped below the step s.
void record_gamma_stats(ChainTrace* trace, const torch::Tensor& gamma, double step_size);

SamplerPtr make_stanley(const Config& cfg);

}  // namespace stanley
