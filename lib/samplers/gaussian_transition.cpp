#include "samplers/gaussian_transition.h"

#include "samplers/chain_ops.h"

namespace stanley {

Step GaussianTransition::step(EnergyModel& /*energy*/, const ChainState& s, const StepDraws& draws) {
  Step out;
  const GaussianKernel k = kernel_at(s.z, s.at.grad, &out.info);
  out.next.z = draws.normal.defined() && k.std.defined() ? kernel_draw(k, draws.normal) : k.mean;
  return out;
}

Step GaussianTransition::propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws) {
  Step out;
  const GaussianKernel from_z = kernel_at(s.z, s.at.grad, &out.info);
  out.next.z = kernel_draw(from_z, draws.normal);
  out.next.at = energy_and_grad(energy, out.next.z);
  out.info.log_correction = log_correction(s, from_z, out.next);
  return out;
}

torch::Tensor GaussianTransition::log_correction(const ChainState& from, const ChainState& to) const {
  return log_correction(from, kernel_at(from.z, from.at.grad, nullptr), to);
}

torch::Tensor GaussianTransition::log_correction(const ChainState& from, const GaussianKernel& from_kernel,
                                                 const ChainState& to) const {
  const GaussianKernel from_y = kernel_at(to.z, to.at.grad, nullptr);
  return log_gaussian(from.z, from_y) - log_gaussian(to.z, from_kernel);
}

std::optional<GaussianKernel> GaussianTransition::gaussian(const torch::Tensor& z, const torch::Tensor& grad) const {
  if (!markov()) return std::nullopt;
  return kernel_at(z, grad, nullptr);
}

}  // namespace stanley
