#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Unadjusted Langevin: z ← z + (s/2)·∇f(z) + √s·ε·ξ, ξ ~ N(0, I).
class LangevinSampler : public Sampler {
 public:
  LangevinSampler(double step_size, double noise) : s_(step_size), eps_(noise) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;

 private:
  double s_, eps_;
};

SamplerPtr make_langevin(const Config& cfg);

}  // namespace stanley
