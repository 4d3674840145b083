#include "samplers/psgld.h"

#include "samplers/kernel_settings.h"

namespace stanley {

Step PsgldKernel::step(EnergyModel& /*energy*/, const ChainState& s, const StepDraws& draws) {
  const torch::Tensor& g = s.at.grad;
  const torch::Tensor g2 = g * g;
  v_ = v_.defined() ? alpha_ * v_ + (1.0 - alpha_) * g2 : g2;
  Step out;
  out.info.preconditioner = 1.0 / (lambda_ + v_.sqrt());
  out.next.z = s.z + (0.5 * s_) * out.info.preconditioner * g;
  if (draws.normal.defined()) out.next.z = out.next.z + eps_ * (s_ * out.info.preconditioner).sqrt() * draws.normal;
  return out;
}

KernelPtr make_psgld(const Config& cfg) {
  check_step_and_noise(cfg, false);
  return std::make_unique<PsgldKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"), cfg.get<double>("alpha"),
                                       cfg.get<double>("lambda"));
}

}  // namespace stanley
