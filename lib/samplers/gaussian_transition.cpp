#include "samplers/gaussian_transition.h"

#include "samplers/chain_ops.h"

namespace stanley {

Step GaussianTransition::step(EnergyModel& /*energy*/, const ChainState& s, const StepDraws& draws, double step_size) const {
  Step out;
  const GaussianKernel k = kernel_at(s.z, s.at.grad, s.aux, step_size, &out.info);
  out.next.z = draws.normal.defined() && k.std.defined() ? kernel_draw(k, draws.normal) : k.mean;
  out.next.aux = s.aux;
  return out;
}

Proposal GaussianTransition::propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws,
                                     double step_size) const {
  Proposal out;
  const GaussianKernel from_z = kernel_at(s.z, s.at.grad, s.aux, step_size, &out.info);
  out.next.z = kernel_draw(from_z, draws.normal);
  out.next.at = energy_and_grad(energy, out.next.z);
  out.next.aux = s.aux;
  out.log_correction = log_correction(s, from_z, out.next, step_size);
  return out;
}

torch::Tensor GaussianTransition::log_correction(const ChainState& from, const ChainState& to, double step_size) const {
  return log_correction(from, kernel_at(from.z, from.at.grad, from.aux, step_size, nullptr), to, step_size);
}

torch::Tensor GaussianTransition::log_correction(const ChainState& from, const GaussianKernel& from_kernel,
                                                 const ChainState& to, double step_size) const {
  const GaussianKernel from_y = kernel_at(to.z, to.at.grad, to.aux, step_size, nullptr);
  return log_gaussian(from.z, from_y) - log_gaussian(to.z, from_kernel);
}

}  // namespace stanley
