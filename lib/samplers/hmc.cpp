#include "samplers/hmc.h"

#include <cmath>

#include "samplers/kernel_settings.h"
#include "samplers/metropolis_hastings.h"

namespace stanley {

double LeapfrogKernel::leapfrog_step() const { return eps_ * std::sqrt(s_); }

Step LeapfrogKernel::propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws) {
  const double inv_t = 1.0 / temperature(), h = leapfrog_step();
  auto kinetic = [](const torch::Tensor& p) { return 0.5 * p.flatten(1).pow(2).sum(1); };
  torch::Tensor p = draws.normal;
  const torch::Tensor kinetic0 = kinetic(p);
  Step out{s, {}};
  p = p + (0.5 * h * inv_t) * s.at.grad;  // leapfrog on ∇ log π_T = ∇f/T: half momentum step, then full steps
  for (std::int64_t i = 0; i < l_; ++i) {
    out.next.z = out.next.z + h * p;
    out.next.at = energy_and_grad(energy, out.next.z);
    p = p + ((i + 1 == l_ ? 0.5 : 1.0) * h * inv_t) * out.next.at.grad;
  }
  out.info.log_correction = kinetic0 - kinetic(p);
  out.info.hamiltonian = true;
  return out;
}

KernelPtr make_hmc(const Config& cfg) {
  check_step_and_noise(cfg, true);
  const long l = cfg.get<long>("n_leapfrog");
  cfg.require(l >= 1, "n_leapfrog", ">= 1");
  return std::make_unique<MetropolisHastings>(
      std::make_unique<LeapfrogKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"), l));
}

}  // namespace stanley
