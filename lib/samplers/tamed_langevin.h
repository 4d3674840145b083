#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Coordinate-wise tamed unadjusted Langevin (Brosse, Durmus, Moulines & Sabanis 2017, "TULAc"), in
// this suite's convention (f = −U, step s ↔ their 2γ):
//   z ← z + (s/2)·g / (1 + (s/2)·|g|) + √s·ε·ξ,   g = ∇f(z), per coordinate.
// The taming bounds the drift by 1 per coordinate, like STANLEY's clipping, but smoothly.
class TamedLangevinSampler : public ExplicitStepSampler {
 public:
  TamedLangevinSampler(double step_size, double noise);
  torch::Tensor drift(const torch::Tensor& grad) const override {
    return (0.5 * s_) * grad / (1.0 + (0.5 * s_) * grad.abs());
  }

 private:
  double s_;
};

SamplerPtr make_tamed_langevin(const Config& cfg);

}  // namespace stanley
