#pragma once
// Step-size adaptation to a target acceptance rate by Nesterov dual averaging, with Stan's defaults
// (Hoffman & Gelman 2014, Algorithm 5; Stan reference manual): δ = 0.8, γ = 0.05, t₀ = 10, κ = 0.75,
// μ = log(10·ε₀). For standalone sampling with MH samplers; EBM training leaves it off.

#include <cmath>

namespace stanley {

class DualAveraging {
 public:
  explicit DualAveraging(double initial_step, double target = 0.8, double gamma = 0.05, double t0 = 10.0,
                         double kappa = 0.75)
      : mu_(std::log(10.0 * initial_step)), target_(target), gamma_(gamma), t0_(t0), kappa_(kappa),
        log_step_(std::log(initial_step)) {}

  // Feeds the acceptance rate of the last transition; returns the step size to use next.
  double update(double accept_rate) {
    ++t_;
    const double eta = 1.0 / (t_ + t0_);
    h_bar_ = (1.0 - eta) * h_bar_ + eta * (target_ - accept_rate);
    log_step_ = mu_ - std::sqrt(t_) / gamma_ * h_bar_;
    const double w = std::pow(t_, -kappa_);
    log_step_bar_ = w * log_step_ + (1.0 - w) * log_step_bar_;
    return std::exp(log_step_);
  }
  // The averaged step size: the one to keep once adaptation ends.
  double final_step() const { return std::exp(log_step_bar_); }

 private:
  double mu_, target_, gamma_, t0_, kappa_;
  double t_ = 0, h_bar_ = 0, log_step_, log_step_bar_ = 0;
};

}  // namespace stanley
