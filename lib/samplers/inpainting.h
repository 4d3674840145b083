#pragma once
// Conditional sampling for inpainting (paper Fig. 6): observed pixels stay clamped, any sampler
// moves the missing ones. The sampler runs on the energy of the composed image
// x = m ⊙ x_obs + (1 − m) ⊙ z, so ∇_z f vanishes on observed pixels and MH ratios see the
// conditional density of the missing pixels only.

#include <torch/torch.h>

#include "models/energy.h"
#include "samplers/sampler.h"

namespace stanley {

// Masks with 1 = observed, 0 = to fill, shape [N, 1, H, W]: "box" (centred square of side
// `fraction`·H), "half" (bottom half missing), "random" (each pixel missing with prob `fraction`).
torch::Tensor make_mask(const std::string& kind, double fraction, std::int64_t n, std::int64_t h, std::int64_t w,
                        at::Generator& gen);

class ClampedEnergyImpl : public EnergyModel {
 public:
  ClampedEnergyImpl(EnergyPtr base, torch::Tensor observed, torch::Tensor mask);
  torch::Tensor forward(const torch::Tensor& z) override;
  torch::Tensor compose(const torch::Tensor& z) const;

 private:
  EnergyPtr base_;
  torch::Tensor observed_, mask_;
};

// Fills the masked pixels of `observed` by `n_steps` of `sampler` from `z0`; returns the composed images.
torch::Tensor inpaint(Sampler& sampler, const EnergyPtr& model, const torch::Tensor& observed, const torch::Tensor& mask,
                      const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams);

}  // namespace stanley
