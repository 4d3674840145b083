#include "samplers/hmc.h"

namespace stanley {

torch::Tensor HmcSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                 at::Generator& gen, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor q = z0.detach();
  EnergyGrad at_q = energy_and_grad(energy, q);
  auto kinetic = [](const torch::Tensor& p) { return 0.5 * p.flatten(1).pow(2).sum(1); };
  for (std::int64_t k = 0; k < n_steps; ++k) {
    torch::Tensor p = normal_like(q, gen);
    const torch::Tensor h0 = -at_q.f + kinetic(p);
    torch::Tensor qn = q;
    EnergyGrad at_n = at_q;
    p = p + (0.5 * h_) * at_n.grad;  // leapfrog: half momentum step, alternating full steps
    for (std::int64_t i = 0; i < l_; ++i) {
      qn = qn + h_ * p;
      at_n = energy_and_grad(energy, qn);
      p = p + ((i + 1 == l_ ? 0.5 : 1.0) * h_) * at_n.grad;
    }
    const torch::Tensor delta_h = (-at_n.f + kinetic(p)) - h0;
    MhChoice c = metropolis_choice(q, at_q, qn, at_n, -delta_h, gen);
    if (trace) {
      record_common_stats(trace, at_q, q, c.next);
      trace->add("accept_rate", c.accepted.to(torch::kFloat).mean().item<double>());
      trace->add("abs_delta_h", delta_h.abs().mean().item<double>());
    }
    at_q = c.at_next;
    q = c.next;
  }
  return q;
}

SamplerPtr make_hmc(const Config& cfg) {
  return std::make_unique<HmcSampler>(cfg.get<double>("step_size"), cfg.get<long>("n_leapfrog"));
}

}  // namespace stanley
