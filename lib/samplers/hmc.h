#pragma once
#include "config/config.h"
#include "samplers/transition_kernel.h"

namespace stanley {

// The leapfrog proposal of Hamiltonian Monte Carlo on π_T ∝ exp(f/T), T = ε², unit mass: momentum
// p ~ N(0, I) (the step's normal draw), L leapfrog steps of size h on H(q, p) = −f(q)/T + ½‖p‖².
// Its log correction is the kinetic energy given up, so MH over it (the registry's `hmc`) accepts with
// exp(−ΔH). The step key is the Langevin-equivalent s shared by every sampler, with h = ε·√s: one
// leapfrog step (L = 1) then proposes exactly the Langevin step z + (s/2)∇f + √s·ε·ξ, i.e. HMC with
// L = 1 is MALA. One transition costs L gradient evaluations.
class LeapfrogKernel : public TransitionKernel {
 public:
  LeapfrogKernel(double step_size, double noise, std::int64_t n_leapfrog) : s_(step_size), eps_(noise), l_(n_leapfrog) {}
  KernelPtr clone() const override { return std::make_unique<LeapfrogKernel>(*this); }
  double temperature() const override { return eps_ * eps_; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }
  double gradients_per_step() const override { return static_cast<double>(l_); }
  // Alone the trajectory is no sampler (it leaves no law invariant): it is a proposal.
  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws) override { return propose(energy, s, draws); }
  bool proposes() const override { return true; }
  Step propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws) override;
  // The leapfrog step h = ε√s.
  double leapfrog_step() const;

 private:
  double s_, eps_;
  std::int64_t l_;
};

// hmc: MH over the leapfrog proposal (`n_leapfrog` steps).
KernelPtr make_hmc(const Config& cfg);

}  // namespace stanley
