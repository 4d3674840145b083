#include "metrics/chain_study.h"

#include <algorithm>

#include "metrics/chain_diagnostics.h"
#include "metrics/sample_quality.h"
#include "samplers/step_adaptation.h"

namespace stanley {
namespace {

// per_step[t][c] over the first `end` steps -> draws[c][t] over their second half.
Draws second_half(const std::vector<std::vector<double>>& per_step, std::size_t end) {
  const std::size_t chains = per_step.empty() ? 0 : per_step[0].size();
  const std::size_t start = end / 2;
  Draws d(chains, std::vector<double>(end - start));
  for (std::size_t t = start; t < end; ++t)
    for (std::size_t c = 0; c < chains; ++c) d[c][t - start] = per_step[t][c];
  return d;
}

}  // namespace

ChainStudy study_chains(EnergyModel& model, Sampler& sampler, torch::Tensor z0, const torch::Tensor& data_batch,
                        const ChainStudyOptions& options, at::Generator& gen) {
  ChainStudy s;
  s.step_size = sampler.step_size();
  s.temperature = sampler.temperature();
  s.gradients_per_step = sampler.gradients_per_step();

  // Recording f(z) of every chain after every step needs the host each step: diagnostics, not training.
  std::vector<std::vector<double>> f_steps;
  ChainTrace trace;
  trace.observe = [&](const torch::Tensor& z) {
    torch::NoGradGuard no_grad;
    torch::Tensor f = model.forward(z).to(torch::kCPU, torch::kFloat64).contiguous();
    f_steps.emplace_back(f.data_ptr<double>(), f.data_ptr<double>() + f.numel());
  };
  const torch::Tensor z_final = sampler.sample(model, std::move(z0), options.steps, gen, &trace);
  s.trace = trace.per_step();

  // gd has T = 0 and no target density: no KSD.
  if (s.temperature > 0) s.ksd_imq = ksd_imq(z_final, energy_and_grad(model, z_final).grad / s.temperature);
  s.mmd_rbf_data = mmd_rbf(z_final, data_batch);
  s.energy_distance_data = energy_distance(z_final, data_batch);

  const Draws f_draws = second_half(f_steps, f_steps.size());
  s.ess_bulk = ess_bulk(f_draws);
  s.ess_tail = ess_tail(f_draws);
  s.rhat = rhat_rank(f_draws);
  s.rhat_nested = rhat_nested(f_draws, options.superchain);
  const double grads = static_cast<double>(f_draws.size()) * static_cast<double>(f_draws[0].size()) * s.gradients_per_step;
  s.ess_per_grad = s.ess_bulk / grads;

  for (int i = 1; i <= options.rhat_points; ++i) {
    const std::size_t end = std::max<std::size_t>(8, f_steps.size() * i / options.rhat_points);
    s.rhat_curve_steps.push_back(static_cast<std::int64_t>(end));
    s.rhat_curve.push_back(rhat_rank(second_half(f_steps, end)));
  }
  s.acf.assign(std::min<std::size_t>(options.acf_lags, f_draws[0].size()), 0.0);
  for (const auto& chain : f_draws) {
    const auto a = autocorrelation(chain);
    for (std::size_t k = 0; k < s.acf.size(); ++k) s.acf[k] += a[k] / f_draws.size();
  }
  if (s.trace.count("accept_rate")) {
    const auto& a = s.trace.at("accept_rate");
    s.accept_rate = 0;
    for (double v : a) s.accept_rate += v / a.size();
  }
  return s;
}

torch::Tensor adapt_step_size(EnergyModel& model, Sampler& sampler, torch::Tensor z, std::int64_t steps,
                              double target_accept, at::Generator& gen) {
  // One transition per call, so that the driver adapts after each (Stan's warm-up).
  sampler.set_adaptation(std::make_unique<DualAveraging>(sampler.step_size(), target_accept));
  for (std::int64_t t = 0; t < steps; ++t) z = sampler.sample(model, z, 1, gen, nullptr);
  sampler.set_step_size(sampler.adaptation()->final_step(sampler.step_size()));
  sampler.set_adaptation(nullptr);
  return z;
}

}  // namespace stanley
