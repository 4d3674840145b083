#include "samplers/inpainting.h"

#include <fmt/format.h>

#include "random/draws.h"

namespace stanley {

torch::Tensor make_mask(const std::string& kind, double fraction, std::int64_t n, std::int64_t h, std::int64_t w,
                        at::Generator& gen) {
  torch::Tensor mask = torch::ones({n, 1, h, w});
  if (kind == "box") {
    const auto side_h = static_cast<std::int64_t>(fraction * static_cast<double>(h));
    const auto side_w = static_cast<std::int64_t>(fraction * static_cast<double>(w));
    mask.narrow(2, (h - side_h) / 2, side_h).narrow(3, (w - side_w) / 2, side_w).zero_();
  } else if (kind == "half") {
    mask.narrow(2, h / 2, h - h / 2).zero_();
  } else if (kind == "random") {
    mask = draw::uniform({n, 1, h, w}, gen, torch::kFloat32).ge(fraction).to(torch::kFloat32);
  } else {
    throw UserError(fmt::format("inpaint.mask: '{}' is not one of box, half, random", kind));
  }
  return mask;
}

ClampedEnergyImpl::ClampedEnergyImpl(EnergyPtr base, torch::Tensor observed, torch::Tensor mask)
    : base_(std::move(base)), observed_(std::move(observed)), mask_(std::move(mask)) {
  register_module("base", base_);
}

torch::Tensor ClampedEnergyImpl::compose(const torch::Tensor& z) const { return mask_ * observed_ + (1.0 - mask_) * z; }

torch::Tensor ClampedEnergyImpl::forward(const torch::Tensor& z) { return base_->forward(compose(z)); }

torch::Tensor inpaint(Sampler& sampler, const EnergyPtr& model, const torch::Tensor& observed, const torch::Tensor& mask,
                      const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams) {
  auto clamped = std::make_shared<ClampedEnergyImpl>(model, observed, mask.to(observed.device()));
  torch::Tensor z = sampler.sample(*clamped, z0, n_steps, streams, nullptr);
  return clamped->compose(z).detach();
}

}  // namespace stanley
