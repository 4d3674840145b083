#include "samplers/psgld.h"

#include "samplers/chain_trace.h"

namespace stanley {

namespace {
constexpr const char* kSecondMoment = "psgld_v";

// What a pSGLD step reports: its preconditioner G.
struct PsgldInfo : StepInfo {
  torch::Tensor preconditioner;
  void record(ChainTrace& trace) const override { trace.add("precond_mean", preconditioner.mean()); }
};
}  // namespace

Step PsgldKernel::step(EnergyModel& /*energy*/, const ChainState& s, const StepDraws& draws, double step_size) const {
  const torch::Tensor& g = s.at.grad;
  const torch::Tensor g2 = g * g;
  const auto previous = s.aux.find(kSecondMoment);
  const torch::Tensor v = previous != s.aux.end() ? alpha_ * previous->second + (1.0 - alpha_) * g2 : g2;
  auto info = std::make_shared<PsgldInfo>();
  info->preconditioner = 1.0 / (lambda_ + v.sqrt());
  Step out;
  out.next.z = s.z + (0.5 * step_size) * info->preconditioner * g;
  if (draws.normal.defined()) out.next.z = out.next.z + eps_ * (step_size * info->preconditioner).sqrt() * draws.normal;
  out.next.aux = s.aux;
  out.next.aux[kSecondMoment] = v;
  out.info = std::move(info);
  return out;
}

KernelPtr make_psgld(const Config& cfg) {
  return std::make_unique<PsgldKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"), cfg.get<double>("alpha"),
                                       cfg.get<double>("lambda"));
}

}  // namespace stanley
