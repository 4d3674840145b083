// Couplings: exact marginals and maximal meeting probabilities, and measured convergence rates
// against the closed form |1 − s/(2σ²)| for Langevin on a Gaussian target.
#include <gtest/gtest.h>

#include <cmath>

#include "metrics/coupling.h"
#include "sampler_fixtures.h"
#include "training/generators.h"

using namespace stanley;
using stanley::testing::sampler_from;

namespace {

// f = −x²/(2σ²) in d dimensions.
class Gaussian : public EnergyModel {
 public:
  explicit Gaussian(double var) : var_(var) {}
  torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * x.pow(2).flatten(1).sum(1) / var_; }
  double var_;
};

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(Coupling, ReflectionCouplingIsMaximalWithExactMarginals) {
  Gaussian f(1.0);
  auto sampler = sampler_from("{name: langevin, step_size: 0.5, noise: 1.0}");
  ASSERT_FALSE(sampler->gaussian_kernel(torch::zeros({1, 1}), torch::zeros({1, 1}))->state_dependent);
  at::Generator gen = make_generator(torch::kCPU, 1);
  const std::int64_t n = 200000;
  torch::Tensor x = torch::full({n, 1}, 1.0, torch::kFloat64), y = torch::full({n, 1}, -0.5, torch::kFloat64);
  auto [xn, yn] = coupled_step(f, *sampler, x, y, gen);
  const double mx = 1.0 * 0.75, my = -0.5 * 0.75, sd = std::sqrt(0.5);
  EXPECT_NEAR(yn.mean().item<double>(), my, 4 * sd / std::sqrt(n));
  EXPECT_NEAR(yn.var().item<double>(), 0.5, 4 * 0.5 * std::sqrt(2.0 / n));
  EXPECT_NEAR(xn.mean().item<double>(), mx, 4 * sd / std::sqrt(n));
  // Maximal: P(meet) = 1 − TV = 2Φ(−|Δμ|/(2σ)).
  const double p_meet = 2 * normal_cdf(-std::abs(mx - my) / (2 * sd));
  const double met = (xn == yn).to(torch::kFloat64).mean().item<double>();
  EXPECT_NEAR(met, p_meet, 4 * std::sqrt(p_meet * (1 - p_meet) / n));
}

TEST(Coupling, RejectionCouplingIsMaximalWithExactMarginals) {
  Gaussian f(1.0);
  // th = 0.5, s = 0.4: |∇f| = 1 at x = −1 and 0.25 at y = 0.25, so γ differs: 0.2 vs 0.4.
  auto sampler = sampler_from(
      "{name: stanley, step_size: 0.4, noise: 1.0, th: 0.5, gamma_at: every_step, gamma_times_s: true, scale: elementwise}");
  ASSERT_TRUE(sampler->couplable());
  at::Generator gen = make_generator(torch::kCPU, 2);
  const std::int64_t n = 200000;
  torch::Tensor x = torch::full({n, 1}, -1.0, torch::kFloat64), y = torch::full({n, 1}, 0.25, torch::kFloat64);
  auto [xn, yn] = coupled_step(f, *sampler, x, y, gen);
  const double mx = -1.0 + 0.5 * 0.2 * 1.0, sx = std::sqrt(0.2);
  const double my = 0.25 + 0.5 * 0.4 * -0.25, sy = std::sqrt(0.4);
  EXPECT_NEAR(yn.mean().item<double>(), my, 4 * sy / std::sqrt(n));
  EXPECT_NEAR(yn.var().item<double>(), sy * sy, 4 * sy * sy * std::sqrt(2.0 / n));
  EXPECT_NEAR(xn.var().item<double>(), sx * sx, 4 * sx * sx * std::sqrt(2.0 / n));
  // 1 − TV = ∫ min(p, q), by quadrature.
  double overlap = 0;
  const double h = 1e-4;
  for (double t = -8; t < 8; t += h) {
    const double p = std::exp(-0.5 * std::pow((t - mx) / sx, 2)) / (sx * std::sqrt(2 * M_PI));
    const double q = std::exp(-0.5 * std::pow((t - my) / sy, 2)) / (sy * std::sqrt(2 * M_PI));
    overlap += std::min(p, q) * h;
  }
  const double met = (xn == yn).to(torch::kFloat64).mean().item<double>();
  EXPECT_NEAR(met, overlap, 4 * std::sqrt(overlap * (1 - overlap) / n));
}

// Langevin on N(0, σ²): z' = a z + noise with a = 1 − s/(2σ²) = 0.75 for σ² = 1, s = 0.5.
TEST(Coupling, SynchronousContractionIsTheAr1Factor) {
  Gaussian f(1.0);
  auto sampler = sampler_from("{name: langevin, step_size: 0.5, noise: 1.0}");
  at::Generator gen = make_generator(torch::kCPU, 3);
  torch::Tensor x = torch::randn({64, 1}, torch::kFloat64) + 3, y = torch::randn({64, 1}, torch::kFloat64) - 3;
  const ContractionResult r = synchronous_contraction(f, *sampler, x, y, 40, gen);
  EXPECT_NEAR(r.rate, 0.75, 1e-9);
}

TEST(Coupling, LagCouplingRateMatchesClosedForm) {
  Gaussian f(1.0);
  auto sampler = sampler_from("{name: langevin, step_size: 0.5, noise: 1.0}");
  at::Generator gen = make_generator(torch::kCPU, 4);
  CouplingOptions o;
  o.pairs = 4000;
  o.lag = 1;
  o.horizon = 60;
  torch::Tensor x0 = 4.0 + at::normal(0.0, 1.0, {o.pairs, 1}, gen, torch::kFloat64);
  torch::Tensor y0 = 4.0 + at::normal(0.0, 1.0, {o.pairs, 1}, gen, torch::kFloat64);
  const CouplingResult r = llag_coupling(f, *sampler, x0, y0, o, gen);
  EXPECT_EQ(r.unmet, 0);
  EXPECT_GE(r.rate.points, 5);
  EXPECT_NEAR(r.rate.rho, 0.75, 0.05) << "interval [" << r.rate.lo << ", " << r.rate.hi << "]";
  EXPECT_LT(r.rate.lo, r.rate.rho);
  EXPECT_GT(r.rate.hi, r.rate.rho);
  // The bound decreases in k and starts at or above the true TV (which is near 1 from a start at 4σ).
  for (std::size_t k = 1; k < r.tv_bound.size(); ++k) EXPECT_LE(r.tv_bound[k], r.tv_bound[k - 1]);
  EXPECT_GT(r.tv_bound[0], 0.9);
}

TEST(Coupling, TvBoundFromMeetingTimes) {
  // τ = 5 with lag 2: max(0, ⌈(5 − 2 − k)/2⌉) = 2, 1, 1, 0 for k = 0..3.
  const auto tv = tv_upper_bound({5, 5}, 2, 3);
  EXPECT_EQ(tv, (std::vector<double>{2, 1, 1, 0}));
}

TEST(Coupling, OnlyMarkovGaussianKernelsWithNoiseCouple) {
  EXPECT_FALSE(sampler_from("{name: mala, step_size: 0.1, noise: 1.0}")->couplable());
  EXPECT_FALSE(sampler_from("{name: gd, step_size: 0.1}")->couplable());
  // STANLEY's γ fixed from another state is no kernel of the current state alone.
  EXPECT_FALSE(sampler_from("{name: stanley, step_size: 0.1, noise: 1.0, th: 1, gamma_at: previous_samples, "
                            "gamma_times_s: false, scale: elementwise}")->couplable());
  EXPECT_TRUE(sampler_from("{name: tamed, step_size: 0.1, noise: 1.0}")->couplable());
}

}  // namespace
