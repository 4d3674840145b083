#include "samplers/hmc.h"

#include <cmath>

#include "random/draws.h"

namespace stanley {

double HmcSampler::leapfrog_step() const { return eps_ * std::sqrt(s_); }

torch::Tensor HmcSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                 const ChainStreams& streams, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  const double inv_t = 1.0 / temperature(), h = leapfrog_step();
  torch::Tensor q = z0.detach();
  EnergyGrad at_q = energy_and_grad(energy, q);
  torch::Tensor accepted = torch::zeros({}, q.options());
  auto kinetic = [](const torch::Tensor& p) { return 0.5 * p.flatten(1).pow(2).sum(1); };
  at::Generator noise_gen = streams.noise, accept_gen = streams.accept;
  const torch::Tensor momenta = n_steps > 0 ? draw_step_noise(n_steps, q, noise_gen) : torch::Tensor();
  const torch::Tensor u = n_steps > 0 ? draw::uniform({n_steps, q.size(0)}, accept_gen, at_q.f.options()) : torch::Tensor();
  for (std::int64_t k = 0; k < n_steps; ++k) {
    torch::Tensor p = momenta[k];
    const torch::Tensor kinetic0 = kinetic(p);
    torch::Tensor qn = q;
    EnergyGrad at_n = at_q;
    p = p + (0.5 * h * inv_t) * at_n.grad;  // leapfrog on ∇ log π_T = ∇f/T: half momentum step, then full steps
    for (std::int64_t i = 0; i < l_; ++i) {
      qn = qn + h * p;
      at_n = energy_and_grad(energy, qn);
      p = p + ((i + 1 == l_ ? 0.5 : 1.0) * h * inv_t) * at_n.grad;
    }
    // log acceptance = −ΔH = (f(q') − f(q))/T + log correction, the correction being the kinetic energy given up.
    const torch::Tensor log_ratio = (at_n.f - at_q.f) / temperature() + (kinetic0 - kinetic(p));
    MhChoice c = metropolis_choice(q, at_q, qn, at_n, log_ratio, u[k]);
    const torch::Tensor rate = c.accepted.to(q.scalar_type()).mean();
    accepted = accepted + rate;
    if (trace) {
      record_common_stats(trace, at_q, q, c.next);
      trace->add("accept_rate", rate);
      trace->add("abs_delta_h", log_ratio.abs().mean());
    }
    at_q = c.at_next;
    q = c.next;
  }
  last_accept_ = n_steps > 0 ? accepted / static_cast<double>(n_steps) : torch::Tensor();
  return q;
}

SamplerPtr make_hmc(const Config& cfg) {
  check_step_and_noise(cfg, true);
  const long l = cfg.get<long>("n_leapfrog");
  cfg.require(l >= 1, "n_leapfrog", ">= 1");
  return std::make_unique<HmcSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"), l);
}

}  // namespace stanley
