#include "samplers/sampler.h"

#include <fmt/format.h>

#include "random/draws.h"
#include "samplers/adapted_step.h"
#include "samplers/cuda_graph_sampler.h"

namespace stanley {

SamplerPtr make_sampler(const Config& sampler_cfg) {
  SamplerPtr sampler = sampler_registry().get(sampler_cfg.get<std::string>("name")).factory.make(sampler_cfg);
  if (sampler_cfg.has("adapt_step") && sampler_cfg.get<bool>("adapt_step")) {
    if (!sampler->adaptable())
      throw UserError(fmt::format("{}=true: sampler '{}' has no Metropolis-Hastings test or no step size to adapt "
                                  "(stanley_mh adapts s only with gamma_times_s: true)",
                                  sampler_cfg.full_key("adapt_step"), sampler_cfg.get<std::string>("name")));
    const double target = sampler_cfg.get<double>("target_accept");
    const double rate = sampler_cfg.get<double>("adapt_rate");
    sampler_cfg.require(target > 0 && target < 1, "target_accept", "in (0, 1)");
    sampler_cfg.require(rate > 0, "adapt_rate", "> 0");
    sampler = std::make_unique<AdaptedStep>(std::move(sampler), target, rate);
  }
  if (sampler_cfg.has("cuda_graph") && sampler_cfg.get<bool>("cuda_graph")) {
    if (sampler->adaptable() && sampler_cfg.has("adapt_step") && sampler_cfg.get<bool>("adapt_step"))
      throw UserError(fmt::format("{}=true with adapt_step=true: the adapted step is a host value between calls, a "
                                  "captured graph would keep the first one", sampler_cfg.full_key("cuda_graph")));
    sampler = wrap_in_cuda_graph(std::move(sampler));
  }
  return sampler;
}

void check_step_and_noise(const Config& cfg, bool need_noise) {
  cfg.require(cfg.get<double>("step_size") > 0, "step_size", "> 0");
  if (!cfg.has("noise")) return;
  const double eps = cfg.get<double>("noise");
  if (need_noise) cfg.require(eps > 0, "noise", "> 0 for " + cfg.get<std::string>("name") + " (its test is on exp(f/ε²))");
  cfg.require(eps >= 0, "noise", ">= 0");
}

std::map<std::string, std::vector<double>>& ChainTrace::per_step() {
  if (pending_.empty()) return values_;
  std::vector<torch::Tensor> all;
  for (const auto& [name, values] : pending_)
    for (const auto& v : values) all.push_back(v.to(torch::kFloat64).reshape({}));
  const torch::Tensor host = torch::stack(all).cpu();  // the one synchronisation
  const double* data = host.data_ptr<double>();
  for (const auto& [name, values] : pending_) {
    auto& out = values_[name];
    out.insert(out.end(), data, data + values.size());
    data += values.size();
  }
  pending_.clear();
  return values_;
}

std::size_t ChainTrace::pending() const {
  std::size_t n = 0;
  for (const auto& [name, values] : pending_) n += values.size();
  return n;
}

torch::Tensor per_sample_norm(const torch::Tensor& t) { return t.flatten(1).norm(2, 1); }

void record_common_stats(ChainTrace* trace, const EnergyGrad& eg, const torch::Tensor& z_prev,
                         const torch::Tensor& z_next) {
  if (!trace) return;
  trace->add("f_mean", eg.f.mean());
  trace->add("grad_norm", per_sample_norm(eg.grad).mean());
  trace->add("step_norm", per_sample_norm(z_next - z_prev).mean());
  if (trace->observe) trace->observe(z_next);
}

std::optional<GaussianKernel> GaussianStepSampler::kernel(const torch::Tensor& z, const torch::Tensor& grad) const {
  if (!markov()) return std::nullopt;
  return step_kernel(z, grad);
}

torch::Tensor draw_step_noise(std::int64_t n_steps, const torch::Tensor& z, at::Generator& gen) {
  std::vector<std::int64_t> sizes{n_steps};
  sizes.insert(sizes.end(), z.sizes().begin(), z.sizes().end());
  return draw::normal(sizes, gen, z.options());
}

torch::Tensor GaussianStepSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                          const ChainStreams& streams, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  EnergyGrad eg = energy_and_grad(energy, z);
  begin(energy, z, eg.grad);
  // gd has no noise and leaves its stream unread.
  at::Generator gen = streams.noise;
  const torch::Tensor noise = n_steps > 0 && temperature() > 0 ? draw_step_noise(n_steps, z, gen) : torch::Tensor();
  for (std::int64_t k = 0; k < n_steps; ++k) {
    if (k > 0) eg = energy_and_grad(energy, z);
    const GaussianKernel kn = step_kernel(z, eg.grad);
    torch::Tensor next = noise.defined() && kn.std.defined() ? kernel_draw(kn, noise[k]) : kn.mean;
    if (trace) {
      record_common_stats(trace, eg, z, next);
      record_extra(trace, eg.grad);
    }
    z = next;
  }
  end(z);
  return z;
}

torch::Tensor log_gaussian(const torch::Tensor& x, const GaussianKernel& k) {
  const torch::Tensor sd = k.std.expand_as(x);
  return -(0.5 * ((x - k.mean) / sd).pow(2) + sd.log()).flatten(1).sum(1);
}

// mean + std·noise as one fused kernel.
torch::Tensor kernel_draw(const GaussianKernel& k, const torch::Tensor& noise) { return torch::addcmul(k.mean, k.std, noise); }

torch::Tensor per_chain(const torch::Tensor& mask, const torch::Tensor& like) {
  std::vector<std::int64_t> view(like.dim(), 1);
  view[0] = like.size(0);
  return mask.view(view);
}

MhChoice metropolis_choice(const torch::Tensor& z, const EnergyGrad& at_z, const torch::Tensor& y,
                           const EnergyGrad& at_y, const torch::Tensor& log_ratio, const torch::Tensor& u) {
  // A NaN ratio (an overflowing proposal) rejects.
  const torch::Tensor accept = u.log() < log_ratio;
  const torch::Tensor rows = per_chain(accept, z);
  return {torch::where(rows, y, z),
          {torch::where(accept, at_y.f, at_z.f), torch::where(per_chain(accept, at_z.grad), at_y.grad, at_z.grad)},
          accept};
}

}  // namespace stanley
