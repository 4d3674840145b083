#include "samplers/hmc.h"

#include <cmath>

#include "samplers/metropolis_hastings.h"

namespace stanley {

KernelTraits LeapfrogKernel::traits() const {
  KernelTraits t = KernelTraits::of(eps_ * eps_, s_);
  t.gradients_per_step = static_cast<double>(l_);
  return t;
}

double LeapfrogKernel::leapfrog_step(double step_size) const { return eps_ * std::sqrt(step_size); }

Step LeapfrogKernel::step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const {
  Proposal p = propose(energy, s, draws, step_size);
  return {std::move(p.next), std::move(p.info), {}};
}

Proposal LeapfrogKernel::propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const {
  const double inv_t = 1.0 / (eps_ * eps_), h = leapfrog_step(step_size);
  auto kinetic = [](const torch::Tensor& p) { return 0.5 * p.flatten(1).pow(2).sum(1); };
  torch::Tensor p = draws.normal;
  const torch::Tensor kinetic0 = kinetic(p);
  Proposal out{s, {}, {}, true};
  p = p + (0.5 * h * inv_t) * s.at.grad;  // leapfrog on ∇ log π_T = ∇f/T: half momentum step, then full steps
  for (std::int64_t i = 0; i < l_; ++i) {
    out.next.z = out.next.z + h * p;
    out.next.at = energy_and_grad(energy, out.next.z);
    p = p + ((i + 1 == l_ ? 0.5 : 1.0) * h * inv_t) * out.next.at.grad;
  }
  out.log_correction = kinetic0 - kinetic(p);
  return out;
}

KernelPtr make_hmc(const Config& cfg) {
  const long l = cfg.get<long>("n_leapfrog");
  return std::make_unique<MetropolisHastings>(
      std::make_unique<LeapfrogKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"), l));
}

}  // namespace stanley
