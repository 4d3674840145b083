#include "samplers/metropolis_adjusted.h"

#include <fmt/format.h>

#include "random/draws.h"

namespace stanley {

MetropolisAdjusted::MetropolisAdjusted(SamplerPtr proposal) {
  auto* step = dynamic_cast<GaussianStepSampler*>(proposal.get());
  if (!step || !step->couplable())
    throw std::logic_error("MetropolisAdjusted needs a Gaussian Markov kernel with noise as its proposal");
  proposal.release();
  proposal_.reset(step);
}

SamplerPtr MetropolisAdjusted::fork() const { return std::make_unique<MetropolisAdjusted>(proposal_->fork()); }

torch::Tensor MetropolisAdjusted::log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z,
                                                   const EnergyGrad& at_y, const torch::Tensor& y) const {
  return log_accept_ratio(at_z, z, proposal_->step_kernel(z, at_z.grad), at_y, y);
}

torch::Tensor MetropolisAdjusted::log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z,
                                                   const GaussianKernel& from_z, const EnergyGrad& at_y,
                                                   const torch::Tensor& y) const {
  const GaussianKernel from_y = proposal_->step_kernel(y, at_y.grad);
  const torch::Tensor log_correction = log_gaussian(z, from_y) - log_gaussian(y, from_z);  // log q(z|y)/q(y|z)
  return (at_y.f - at_z.f) / temperature() + log_correction;
}

torch::Tensor MetropolisAdjusted::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                         const ChainStreams& streams, ChainTrace* trace) {
  FrozenParameters frozen(energy);
  torch::Tensor z = z0.detach();
  EnergyGrad at_z = energy_and_grad(energy, z);
  at::Generator noise_gen = streams.noise, accept_gen = streams.accept;
  const torch::Tensor noise = n_steps > 0 ? draw_step_noise(n_steps, z, noise_gen) : torch::Tensor();
  const torch::Tensor u = n_steps > 0 ? draw::uniform({n_steps, z.size(0)}, accept_gen, at_z.f.options()) : torch::Tensor();
  torch::Tensor accepted = torch::zeros({}, z.options());
  for (std::int64_t k = 0; k < n_steps; ++k) {
    const GaussianKernel from_z = proposal_->step_kernel(z, at_z.grad);
    const torch::Tensor y = kernel_draw(from_z, noise[k]);
    const EnergyGrad at_y = energy_and_grad(energy, y);
    MhChoice c = metropolis_choice(z, at_z, y, at_y, log_accept_ratio(at_z, z, from_z, at_y, y), u[k]);
    const torch::Tensor rate = c.accepted.to(z.scalar_type()).mean();
    accepted = accepted + rate;
    if (trace) {
      record_common_stats(trace, at_z, z, c.next);
      trace->add("accept_rate", rate);
      proposal_->record_extra(trace, at_z.grad);
    }
    at_z = c.at_next;
    z = c.next;
  }
  last_accept_ = n_steps > 0 ? accepted / static_cast<double>(n_steps) : torch::Tensor();
  return z;
}

}  // namespace stanley
