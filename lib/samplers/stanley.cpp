#include "samplers/stanley.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "samplers/chain_ops.h"
#include "samplers/chain_trace.h"
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

namespace {
// The names of the call's tensors in the chain state: γ, ε√γ and the quantile threshold (clip_fraction).
constexpr const char* kGamma = "stanley_gamma";
constexpr const char* kNoiseSd = "stanley_noise_sd";
constexpr const char* kThreshold = "stanley_th";

// What a STANLEY step reports: its γ, the γ where nothing is clipped, the call's quantile threshold.
struct StanleyInfo : StepInfo {
  torch::Tensor gamma, threshold;
  double gamma_max = 1.0;
  void record(ChainTrace& trace) const override {
    trace.add("gamma_mean", gamma.mean());
    trace.add("gamma_min", gamma.min(), ChainTrace::Summary::kMin);
    trace.add("clip_frac", (gamma < gamma_max).to(torch::kFloat).mean());
    if (threshold.defined()) trace.add("th", threshold);
  }
};

torch::Tensor find(const KernelState& state, const char* name) {
  const auto it = state.find(name);
  return it == state.end() ? torch::Tensor() : it->second;
}
}  // namespace

KernelTraits StanleyKernel::traits() const {
  KernelTraits t = KernelTraits::of(o_.noise * o_.noise, o_.step_size);
  t.uses_step_size = o_.gamma_times_s;
  t.gradients_per_call = o_.gamma_at == GammaAt::kPreviousSamples ? 1.0 : 0.0;
  return t;
}

// th / max(th, |g|) is exactly 1 where unclipped, so γ = gamma_max there and clip_frac counts only clipping.
torch::Tensor StanleyKernel::gamma_for(const torch::Tensor& magnitude, const torch::Tensor& th, double step_size) const {
  if (!th.defined()) return gamma_max(step_size) * (o_.th / torch::clamp_min(magnitude, o_.th));
  return gamma_max(step_size) * (th / torch::maximum(magnitude, th));
}

torch::Tensor StanleyKernel::gamma(const torch::Tensor& grad, double step_size) const {
  const torch::Tensor m = magnitude(grad);
  return gamma_for(m, o_.clip_fraction > 0 ? threshold(m) : torch::Tensor(), step_size);
}

GaussianKernel StanleyKernel::kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& aux,
                                        double step_size, InfoPtr* info) const {
  auto report = [&](const torch::Tensor& g) {
    if (!info) return;
    auto i = std::make_shared<StanleyInfo>();
    i->gamma = g;
    i->threshold = find(aux, kThreshold);
    i->gamma_max = gamma_max(step_size);
    *info = std::move(i);
  };
  if (o_.gamma_at != GammaAt::kEveryStep) {
    const torch::Tensor& g = aux.at(kGamma);
    report(g);
    return {torch::addcmul(z, g, grad, 0.5), aux.at(kNoiseSd), true};
  }
  const torch::Tensor g = gamma(grad, step_size);
  report(g);
  return {torch::addcmul(z, g, grad, 0.5), o_.noise * g.sqrt(), true};
}

KernelState StanleyKernel::init(EnergyModel& energy, const ChainState& start, const KernelState& carried,
                                double step_size) const {
  if (o_.gamma_at == GammaAt::kEveryStep) return {};
  const torch::Tensor& z0 = start.z;
  torch::Tensor source = o_.gamma_at == GammaAt::kPreviousSamples ? find(carried, kPreviousSamples) : torch::Tensor();
  torch::Tensor grad = start.at.grad;  // the first iteration has no previous samples: γ from the chains' own start
  if (source.defined()) {
    // Eq. (4): ∇f_θt at chain m's sample of iteration t−1. Evaluation draws more chains than training
    // keeps: chain j takes chain (j mod M)'s γ.
    if (source.size(0) != z0.size(0))
      source = source.index_select(0, torch::arange(z0.size(0), source.options().dtype(torch::kLong)) % source.size(0));
    grad = energy_and_grad(energy, source).grad;
  }
  const torch::Tensor m = magnitude(grad);
  KernelState state;
  const torch::Tensor th = o_.clip_fraction > 0 ? threshold(m) : torch::Tensor();
  if (th.defined()) state[kThreshold] = th;
  const torch::Tensor g = gamma_for(m, th, step_size);
  state[kGamma] = g;
  state[kNoiseSd] = o_.noise * g.sqrt();
  return state;
}

KernelState StanleyKernel::carry(const ChainState& last) const {
  if (o_.gamma_at != GammaAt::kPreviousSamples) return {};
  return {{kPreviousSamples, last.z.detach()}};
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
  o.clip_fraction = cfg.get<double>("clip_fraction", 0.0);
  if (o.clip_fraction > 0 && o.gamma_at == StanleyKernel::GammaAt::kEveryStep)
    throw UserError(fmt::format("{} > 0 needs gamma_at other than every_step: a batch quantile would couple the chains "
                                "of a Markov kernel", cfg.full_key("clip_fraction")));
  return o;
}

KernelPtr make_stanley(const Config& cfg) {
  return std::make_unique<StanleyKernel>(stanley_options(cfg));
}

KernelPtr make_stanley_mh(const Config& cfg) {
  StanleyKernel::Options o = stanley_options(cfg);
  if (o.gamma_at != StanleyKernel::GammaAt::kEveryStep)
    throw UserError(fmt::format("{} must be every_step for stanley_mh: its test needs γ as a function of the state",
                                cfg.full_key("gamma_at")));
  return std::make_unique<MetropolisHastings>(std::make_unique<StanleyKernel>(o));
}

}  // namespace stanley
