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
class LeapfrogKernel : public TransitionKernel, public Proposing {
 public:
  LeapfrogKernel(double step_size, double noise, std::int64_t n_leapfrog) : s_(step_size), eps_(noise), l_(n_leapfrog) {}
  KernelPtr clone() const override { return std::make_unique<LeapfrogKernel>(*this); }
  KernelTraits traits() const override;
  // Alone the trajectory is no sampler (it leaves no law invariant): it is a proposal.
  Step step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const override;
  Proposal propose(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const override;
  const Proposing* proposing() const override { return this; }
  // The leapfrog step h = ε√s.
  double leapfrog_step(double step_size) const;

 private:
  double s_, eps_;
  std::int64_t l_;
};

// hmc: MH over the leapfrog proposal (`n_leapfrog` steps).
KernelPtr make_hmc(const Config& cfg);

}  // namespace stanley
