#pragma once
#include "samplers/sampler.h"

namespace stanley {

// Metropolis-adjusted Langevin: the Langevin proposal y ~ N(z + (s/2)∇f(z), s·ε²·I) accepted per chain
// with probability min(1, exp(f(y) − f(z)) · q(z | y) / q(y | z)). With ε = 1 it targets exp f exactly.
class MalaSampler : public Sampler {
 public:
  MalaSampler(double step_size, double noise) : s_(step_size), eps_(noise) {}
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, at::Generator& gen,
                       ChainTrace* trace) override;

  bool adaptable() const override { return true; }
  double step_size() const override { return s_; }
  void set_step_size(double s) override { s_ = s; }

  // log q(to | from) up to a constant, per chain, given ∇f(from).
  torch::Tensor log_proposal(const torch::Tensor& to, const torch::Tensor& from, const torch::Tensor& grad_from) const;
  // log of the MH acceptance ratio, per chain (before min with 0).
  torch::Tensor log_accept_ratio(const EnergyGrad& at_z, const torch::Tensor& z, const EnergyGrad& at_y,
                                 const torch::Tensor& y) const;

 private:
  double s_, eps_;
};

SamplerPtr make_mala(const Config& cfg);

}  // namespace stanley
