#include "samplers/stanley.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "samplers/chain_ops.h"
#include "samplers/kernel_settings.h"
#include "samplers/metropolis_hastings.h"

namespace stanley {
torch::Tensor StanleyKernel::threshold(const torch::Tensor& magnitude) const {
  // The k-th smallest of n magnitudes with k = ceil((1 − q)·n): the n − k above it (≈ q·n) are clipped.
  const torch::Tensor flat = magnitude.flatten();
  const auto n = flat.numel();
  const auto k = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil((1.0 - o_.clip_fraction) * n)), 1, n);
  return std::get<0>(flat.kthvalue(k));
}

torch::Tensor StanleyKernel::magnitude(const torch::Tensor& grad) const {
  if (o_.scale == Scale::kL2) return per_chain(per_sample_norm(grad), grad).expand_as(grad);
  return grad.abs();
}

// th / max(th, |g|) is exactly 1 where unclipped, so γ = gamma_max() there and clip_frac counts only clipping.
torch::Tensor StanleyKernel::gamma_for(const torch::Tensor& magnitude, const torch::Tensor& th) const {
  if (!th.defined()) return gamma_max() * (o_.th / torch::clamp_min(magnitude, o_.th));
  return gamma_max() * (th / torch::maximum(magnitude, th));
}

torch::Tensor StanleyKernel::gamma(const torch::Tensor& grad) const {
  const torch::Tensor m = magnitude(grad);
  return gamma_for(m, o_.clip_fraction > 0 ? threshold(m) : torch::Tensor());
}

void StanleyKernel::fix_gamma(const torch::Tensor& grad) {
  const torch::Tensor m = magnitude(grad);
  th_ = o_.clip_fraction > 0 ? threshold(m) : torch::Tensor();
  gamma_ = gamma_for(m, th_);
  noise_sd_ = o_.noise * gamma_.sqrt();
}

GaussianKernel StanleyKernel::kernel_at(const torch::Tensor& z, const torch::Tensor& grad, StepInfo* info) const {
  if (info) {
    info->gamma_max = gamma_max();
    info->threshold = th_;
  }
  if (o_.gamma_at != GammaAt::kEveryStep) {
    if (info) info->gamma = gamma_;
    return {torch::addcmul(z, gamma_, grad, 0.5), noise_sd_, true};
  }
  const torch::Tensor g = gamma(grad);
  if (info) info->gamma = g;
  return {torch::addcmul(z, g, grad, 0.5), o_.noise * g.sqrt(), true};
}

void StanleyKernel::begin(EnergyModel& energy, const ChainState& start) {
  if (o_.gamma_at == GammaAt::kEveryStep) return;
  const torch::Tensor& z0 = start.z;
  if (o_.gamma_at == GammaAt::kChainStart || !previous_.defined()) {
    // The first iteration has no previous samples: γ from the chains' own start.
    fix_gamma(start.at.grad);
    return;
  }
  // Eq. (4): ∇f_θt at chain m's sample of iteration t−1. Evaluation draws more chains than training
  // keeps: chain j takes chain (j mod M)'s γ.
  torch::Tensor source = previous_;
  if (source.size(0) != z0.size(0)) {
    source = source.index_select(0, torch::arange(z0.size(0), source.options().dtype(torch::kLong)) % source.size(0));
  }
  fix_gamma(energy_and_grad(energy, source).grad);
}

void StanleyKernel::end(const ChainState& last) {
  if (o_.gamma_at == GammaAt::kPreviousSamples) previous_ = last.z.detach();
}

StanleyKernel::Options stanley_options(const Config& cfg) {
  StanleyKernel::Options o;
  o.step_size = cfg.get<double>("step_size");
  o.noise = cfg.get<double>("noise");
  o.th = cfg.get<double>("th");
  const auto at = cfg.get<std::string>("gamma_at");
  if (at == "previous_samples") o.gamma_at = StanleyKernel::GammaAt::kPreviousSamples;
  else if (at == "chain_start") o.gamma_at = StanleyKernel::GammaAt::kChainStart;
  else if (at == "every_step") o.gamma_at = StanleyKernel::GammaAt::kEveryStep;
  else throw UserError(fmt::format("{}: '{}' is not one of previous_samples, chain_start, every_step", cfg.full_key("gamma_at"), at));
  o.gamma_times_s = cfg.get<bool>("gamma_times_s");
  const auto scale = cfg.get<std::string>("scale");
  if (scale == "elementwise") o.scale = StanleyKernel::Scale::kElementwise;
  else if (scale == "l2") o.scale = StanleyKernel::Scale::kL2;
  else throw UserError(fmt::format("{}: '{}' is not one of elementwise, l2", cfg.full_key("scale"), scale));
  cfg.require(o.th > 0, "th", "> 0");
  o.clip_fraction = cfg.get<double>("clip_fraction", 0.0);
  cfg.require(o.clip_fraction >= 0 && o.clip_fraction < 1, "clip_fraction", "in [0, 1)");
  if (o.clip_fraction > 0 && o.gamma_at == StanleyKernel::GammaAt::kEveryStep)
    throw UserError(fmt::format("{} > 0 needs gamma_at other than every_step: a batch quantile would couple the chains "
                                "of a Markov kernel", cfg.full_key("clip_fraction")));
  return o;
}

KernelPtr make_stanley(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<StanleyKernel>(stanley_options(cfg));
}

KernelPtr make_stanley_mh(const Config& cfg) {
  check_step_and_noise(cfg, true);
  StanleyKernel::Options o = stanley_options(cfg);
  if (o.gamma_at != StanleyKernel::GammaAt::kEveryStep)
    throw UserError(fmt::format("{} must be every_step for stanley_mh: its test needs γ as a function of the state",
                                cfg.full_key("gamma_at")));
  return std::make_unique<MetropolisHastings>(std::make_unique<StanleyKernel>(o));
}

}  // namespace stanley
