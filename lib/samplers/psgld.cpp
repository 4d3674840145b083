#include "samplers/psgld.h"

#include "random/draws.h"

namespace stanley {

torch::Tensor PsgldSampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                   const ChainStreams& streams, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  torch::Tensor v;
  at::Generator gen = streams.noise;
  const torch::Tensor noise = n_steps > 0 ? draw_step_noise(n_steps, z, gen) : torch::Tensor();
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const EnergyGrad eg = energy_and_grad(energy, z);
    const torch::Tensor g2 = eg.grad * eg.grad;
    v = k == 0 ? g2 : alpha_ * v + (1.0 - alpha_) * g2;
    const torch::Tensor precond = 1.0 / (lambda_ + v.sqrt());
    torch::Tensor next = z + (0.5 * s_) * precond * eg.grad + eps_ * (s_ * precond).sqrt() * noise[k];
    if (trace) {
      record_common_stats(trace, eg, z, next);
      trace->add("precond_mean", precond.mean());
    }
    z = next;
  }
  return z;
}

SamplerPtr make_psgld(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<PsgldSampler>(cfg.get<double>("step_size"), cfg.get<double>("noise"),
                                        cfg.get<double>("alpha"), cfg.get<double>("lambda"));
}

}  // namespace stanley
