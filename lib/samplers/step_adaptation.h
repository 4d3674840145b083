#pragma once
// Step-size adaptation of an MH sampler toward a target acceptance rate δ: the driver feeds it each
// call's mean acceptance and takes the step it returns. Two rules:
//  - ConstantGain (training, `sampler.adapt_step: true`): log s ← log s + rate·(ā − δ) after each call (EBM
//    iteration). A constant gain (Robbins–Monro) rather than a decaying one: the target f_θ keeps moving during
//    training, and a decaying gain would freeze the step while it does. The step is fixed within a call,
//    so each call's K transitions are one MH chain with one kernel.
//  - DualAveraging (standalone long chains, `stanley diagnose`): Nesterov dual averaging with Stan's
//    defaults (Hoffman & Gelman 2014, Algorithm 5): δ = 0.8, γ = 0.05, t₀ = 10, κ = 0.75, μ = log(10·s₀);
//    its averaged step is the one to keep once adaptation ends.

#include <cmath>
#include <memory>

namespace stanley {

class StepAdaptation {
 public:
  virtual ~StepAdaptation() = default;
  virtual std::unique_ptr<StepAdaptation> clone() const = 0;
  // The step to use next, given the current one and the last call's mean acceptance.
  virtual double update(double step, double accept_rate) = 0;
  // The step to keep once adaptation ends.
  virtual double final_step(double step) const { return step; }
};

class ConstantGain : public StepAdaptation {
 public:
  ConstantGain(double target, double rate) : target_(target), rate_(rate) {}
  std::unique_ptr<StepAdaptation> clone() const override { return std::make_unique<ConstantGain>(*this); }
  double update(double step, double accept_rate) override {
    return std::exp(std::log(step) + rate_ * (accept_rate - target_));
  }

 private:
  double target_, rate_;
};

class DualAveraging : public StepAdaptation {
 public:
  explicit DualAveraging(double initial_step, double target = 0.8, double gamma = 0.05, double t0 = 10.0,
                         double kappa = 0.75)
      : mu_(std::log(10.0 * initial_step)), target_(target), gamma_(gamma), t0_(t0), kappa_(kappa),
        log_step_(std::log(initial_step)) {}
  std::unique_ptr<StepAdaptation> clone() const override { return std::make_unique<DualAveraging>(*this); }
  double update(double /*step*/, double accept_rate) override {
    ++t_;
    const double eta = 1.0 / (t_ + t0_);
    h_bar_ = (1.0 - eta) * h_bar_ + eta * (target_ - accept_rate);
    log_step_ = mu_ - std::sqrt(t_) / gamma_ * h_bar_;
    const double w = std::pow(t_, -kappa_);
    log_step_bar_ = w * log_step_ + (1.0 - w) * log_step_bar_;
    return std::exp(log_step_);
  }
  double final_step(double /*step*/) const override { return std::exp(log_step_bar_); }

 private:
  double mu_, target_, gamma_, t0_, kappa_;
  double t_ = 0, h_bar_ = 0, log_step_, log_step_bar_ = 0;
};

}  // namespace stanley
