// Kinetic (underdamped) Langevin, BAOAB splitting (Leimkuhler & Matthews 2013), on π_T ∝ exp(f/T), T = ε²,
// unit mass, with a velocity v the chain state carries across the K steps:
//   B  v ← v + (h/2)·∇f(z)/T        A  z ← z + (h/2)·v
//   O  v ← c·v + √(1 − c²)·ξ, c = exp(−friction·h)
//   A  z ← z + (h/2)·v               B  v ← v + (h/2)·∇f(z')/T
// h = ε√s, the unit HMC uses: one leapfrog step of h from a fresh N(0, I) velocity is the Langevin step of s
// (z + (s/2)∇f + √s·ε·ξ); with a velocity carried (c > 0) a step moves further. The closing B of one
// step and the opening B of the next use the same ∇f(z'), which the driver evaluates before the next step:
// the state keeps v before that closing kick and each step applies both at once, so a step costs one
// gradient, as Langevin's. Each call starts at rest (v = 0): the first O gives v its noise, and the chains
// start from noise anyway. On a Gaussian target BAOAB's positions have the exact stationary law for every
// h in its stability range and every friction (the conformance test holds it to that).
#include <cmath>

#include "samplers/chain_ops.h"
#include "samplers/chain_trace.h"
#include "samplers/transition_kernel.h"

namespace stanley {
namespace {

constexpr const char* kVelocity = "kinetic_velocity";  // v before the step's closing half kick

// Traced: mean ‖v‖ per step, v before the step's closing half kick (the velocity the state keeps).
struct KineticInfo : StepInfo {
  torch::Tensor velocity;
  void record(ChainTrace& trace) const override { trace.add("velocity_norm", per_sample_norm(velocity).mean()); }
};

class KineticLangevinKernel : public TransitionKernel {
 public:
  KineticLangevinKernel(double step_size, double noise, double friction) : s_(step_size), eps_(noise), friction_(friction) {}
  KernelPtr clone() const override { return std::make_unique<KineticLangevinKernel>(*this); }
  KernelTraits traits() const override { return KernelTraits::of(eps_ * eps_, s_); }

  // At rest: v = 0, stored as v − (h/2)·∇f(z₀)/T so that the first step's double kick is a half kick.
  KernelState init(EnergyModel& /*energy*/, const ChainState& start, const KernelState& /*carried*/,
                   double step_size) const override {
    return {{kVelocity, (-0.5 * h(step_size) / (eps_ * eps_)) * start.at.grad}};
  }

  Step step(EnergyModel& /*energy*/, const ChainState& s, const StepDraws& draws, double step_size) const override {
    const double dt = h(step_size), c = std::exp(-friction_ * dt);
    torch::Tensor v = s.aux.at(kVelocity) + (dt / (eps_ * eps_)) * s.at.grad;  // B (closing, last step) + B (opening)
    torch::Tensor z = s.z + (0.5 * dt) * v;                                        // A
    v = c * v + std::sqrt(1.0 - c * c) * draws.normal;                             // O
    z = z + (0.5 * dt) * v;                                                        // A
    auto info = std::make_shared<KineticInfo>();
    info->velocity = v;
    Step out{{z, {}, s.aux}, std::move(info), {}};
    out.next.aux[kVelocity] = v;
    return out;
  }

 private:
  double h(double step_size) const { return eps_ * std::sqrt(step_size); }
  double s_, eps_, friction_;
};

}  // namespace

KernelPtr make_kinetic_langevin(const Config& cfg) {
  return std::make_unique<KineticLangevinKernel>(cfg.get<double>("step_size"), cfg.get<double>("noise"),
                                                 cfg.get<double>("friction"));
}

}  // namespace stanley
