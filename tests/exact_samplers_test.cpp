// Exact (Metropolis-adjusted) samplers against targets with known moments, within Monte Carlo error
// taken from the measured ESS; unadjusted relatives against hand-computed steps.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "metrics/chain_diagnostics.h"
#include "sampler_fixtures.h"
#include "samplers/hmc.h"
#include "samplers/langevin.h"
#include "samplers/metropolis_hastings.h"
#include "samplers/psgld.h"
#include "samplers/stanley.h"
#include "samplers/step_adaptation.h"
#include "samplers/tamed_langevin.h"
#include "training/generators.h"

using namespace stanley;
using stanley::testing::GaussianEnergy;

namespace {

// ½N(−2, 1) + ½N(2, 1): mean 0, E x² = 5, E x⁴ = 3 + 6·4 + 16 = 43.
class TwoModeEnergy : public EnergyModel {
 public:
  torch::Tensor forward(const torch::Tensor& x) override {
    torch::Tensor v = x.select(1, 0);
    return torch::logsumexp(torch::stack({-0.5 * (v - 2).pow(2), -0.5 * (v + 2).pow(2)}), 0);
  }
};

// Runs `steps` transitions one at a time after `burn`; returns per-chain trajectories of each
// statistic φ_j(z) (one Draws per statistic).
std::vector<Draws> trajectories(Sampler& sampler, EnergyModel& f, torch::Tensor z, int burn, int steps,
                                const std::vector<std::function<torch::Tensor(const torch::Tensor&)>>& stats,
                                std::uint64_t seed) {
  at::Generator gen = make_generator(torch::kCPU, seed);
  z = sampler.sample(f, z, burn, gen, nullptr);
  const auto chains = z.size(0);
  std::vector<Draws> out(stats.size(), Draws(chains, std::vector<double>(steps)));
  for (int t = 0; t < steps; ++t) {
    z = sampler.sample(f, z, 1, gen, nullptr);
    for (std::size_t j = 0; j < stats.size(); ++j) {
      torch::Tensor v = stats[j](z).contiguous();
      for (std::int64_t c = 0; c < chains; ++c) out[j][c][t] = v[c].item<double>();
    }
  }
  return out;
}

double mean_of(const Draws& d) {
  double s = 0;
  std::size_t n = 0;
  for (const auto& c : d)
    for (double v : c) s += v, ++n;
  return s / n;
}

// |estimate − truth| within 4.5 Monte Carlo standard errors (from the ESS), and the ESS is real.
void expect_within_mcse(const Draws& d, double truth, const std::string& what) {
  const double mcse = mcse_mean(d);
  EXPECT_NEAR(mean_of(d), truth, 4.5 * mcse) << what << " (mcse " << mcse << ", ess " << ess_mean(d) << ")";
  EXPECT_GT(ess_mean(d), 100.0) << what;
  EXPECT_LT(rhat_rank(d), 1.05) << what;
}

void check_correlated_gaussian(Sampler& sampler, const std::string& name) {
  torch::Tensor cov = torch::tensor({{1.0, 0.3}, {0.3, 0.25}}, torch::kFloat64);
  GaussianEnergy f(cov);
  torch::Tensor z0 = 2.0 * torch::randn({32, 2}, torch::dtype(torch::kFloat64));
  const auto d = trajectories(sampler, f, z0, 300, 1500,
                              {[](const torch::Tensor& z) { return z.select(1, 0); },
                               [](const torch::Tensor& z) { return z.select(1, 1); },
                               [](const torch::Tensor& z) { return z.select(1, 0).pow(2); },
                               [](const torch::Tensor& z) { return z.select(1, 1).pow(2); },
                               [](const torch::Tensor& z) { return z.select(1, 0) * z.select(1, 1); }},
                              17);
  expect_within_mcse(d[0], 0.0, name + " mean x");
  expect_within_mcse(d[1], 0.0, name + " mean y");
  expect_within_mcse(d[2], 1.0, name + " var x");
  expect_within_mcse(d[3], 0.25, name + " var y");
  expect_within_mcse(d[4], 0.3, name + " cov xy");
}

void check_two_modes(Sampler& sampler, const std::string& name) {
  TwoModeEnergy f;
  torch::Tensor z0 = 3.0 * torch::randn({32, 1}, torch::dtype(torch::kFloat64));
  const auto d = trajectories(sampler, f, z0, 300, 3000,
                              {[](const torch::Tensor& z) { return z.select(1, 0); },
                               [](const torch::Tensor& z) { return z.select(1, 0).pow(2); }},
                              23);
  expect_within_mcse(d[0], 0.0, name + " mixture mean");
  expect_within_mcse(d[1], 5.0, name + " mixture E x^2");
}

// STANLEY's kernel with γ = s·th/max(th, |∇f(z)|) from the state, as an MH proposal.
StanleyKernel::Options stanley_every_step(double s, double th) {
  StanleyKernel::Options o;
  o.step_size = s;
  o.th = th;
  o.gamma_at = StanleyKernel::GammaAt::kEveryStep;
  o.gamma_times_s = true;
  return o;
}
SamplerPtr stanley_mh(double s, double th) {
  return std::make_unique<Sampler>(std::make_unique<MetropolisHastings>(std::make_unique<StanleyKernel>(stanley_every_step(s, th))));
}
SamplerPtr mala(double s) {
  return std::make_unique<Sampler>(std::make_unique<MetropolisHastings>(std::make_unique<LangevinKernel>(s, 1.0)));
}
SamplerPtr hmc(double s, std::int64_t n_leapfrog) {
  return std::make_unique<Sampler>(std::make_unique<MetropolisHastings>(std::make_unique<LeapfrogKernel>(s, 1.0, n_leapfrog)));
}

TEST(ExactSamplers, MalaCorrelatedGaussian) {
  check_correlated_gaussian(*mala(0.3), "mala");
}
TEST(ExactSamplers, HmcCorrelatedGaussian) {
  check_correlated_gaussian(*hmc(0.04, 5), "hmc");  // leapfrog h = ε√s = 0.2
}
TEST(ExactSamplers, StanleyMhCorrelatedGaussian) {
  check_correlated_gaussian(*stanley_mh(0.4, 1.0), "stanley_mh");  // |∇f| often exceeds th: γ varies, q is asymmetric
}
TEST(ExactSamplers, MalaTwoModes) {
  check_two_modes(*mala(1.0), "mala");
}
TEST(ExactSamplers, HmcTwoModes) {
  check_two_modes(*hmc(0.16, 5), "hmc");  // h = 0.4
}
TEST(ExactSamplers, StanleyMhTwoModes) {
  check_two_modes(*stanley_mh(1.0, 1.0), "stanley_mh");
}

// HMC with one leapfrog step of h = ε√s proposes exactly the Langevin step of step s: the same
// proposal, so the same chain as MALA from the same noise... up to the MH test, which both make on
// π_T. Checked on one proposal: q₁ = q + h·p + (h²/2T)∇f = q + (s/2)∇f + √s·ε·p.
TEST(Hmc, OneLeapfrogStepIsTheLangevinProposal) {
  stanley::testing::QuadraticEnergy f({2.0});
  const double s = 0.3, eps = 0.5;
  LeapfrogKernel hmc(s, eps, 1);
  EXPECT_NEAR(hmc.leapfrog_step(s), eps * std::sqrt(s), 1e-15);
  const double q = 0.8, p = -1.1, h = hmc.leapfrog_step(s), t = eps * eps, grad = -2.0 * q;
  const double leapfrog = q + h * (p + 0.5 * h * grad / t);
  EXPECT_NEAR(leapfrog, q + 0.5 * s * grad + std::sqrt(s) * eps * p, 1e-14);
}

// 1-D, f = −x²/2, s = 0.5, th = 0.5, ε = 1, z = 2, y = 1.5:
//   γ(z) = 0.25/2 = 1/8, γ(y) = 0.25/1.5 = 1/6
//   log q(y|z) = −(1.5 − 2 + (1/16)·2)²/(2/8) − ½ log(1/8)
//   log q(z|y) = −(2 − 1.5 + (1/12)·1.5)²/(2/6) − ½ log(1/6)
TEST(StanleyMh, AcceptanceRatioMatchesHandComputation) {
  class Quadratic : public EnergyModel {
   public:
    torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * x.pow(2).sum(1); }
  } f;
  const StanleyKernel k(stanley_every_step(0.5, 0.5));
  torch::Tensor z = torch::tensor({{2.0}}, torch::kFloat64), y = torch::tensor({{1.5}}, torch::kFloat64);
  const ChainState from{z, energy_and_grad(f, z), {}}, to{y, energy_and_grad(f, y), {}};
  const double log_q_yz = -std::pow(1.5 - 2 + 2.0 / 16, 2) / (2.0 / 8) - 0.5 * std::log(1.0 / 8);
  const double log_q_zy = -std::pow(2 - 1.5 + 1.5 / 12, 2) / (2.0 / 6) - 0.5 * std::log(1.0 / 6);
  const double expected = (-0.5 * 1.5 * 1.5 + 0.5 * 4) + log_q_zy - log_q_yz;
  EXPECT_NEAR(metropolis_log_ratio(from, to, k.traits().temperature, k.log_correction(from, to, 0.5)).item<double>(), expected, 1e-13);
}

TEST(Tamed, DriftIsTheTamedGradient) {
  TamedLangevinKernel s(0.2, 1.0);
  torch::Tensor g = torch::tensor({{0.5, -30.0}}, torch::kFloat64);
  torch::Tensor d = s.at(torch::zeros_like(g), g, 0.2).mean[0];
  EXPECT_NEAR(d[0].item<double>(), 0.1 * 0.5 / (1 + 0.1 * 0.5), 1e-15);
  EXPECT_NEAR(d[1].item<double>(), 0.1 * -30.0 / (1 + 0.1 * 30.0), 1e-15);
  EXPECT_LT(std::abs(d[1].item<double>()), 1.0);  // bounded by 1 whatever the gradient
}

TEST(Psgld, FirstNoiselessStepIsSignLike) {
  // V₀ = g², so G = 1/(λ + |g|) and the first drift is (s/2)·g/(λ + |g|).
  class Linear : public EnergyModel {
   public:
    torch::Tensor forward(const torch::Tensor& x) override { return (x * torch::tensor({3.0, -0.02}, torch::kFloat64)).sum(1); }
  } f;
  Sampler s(std::make_unique<PsgldKernel>(0.2, 0.0, 0.99, 1e-5));
  at::Generator gen = make_generator(torch::kCPU, 0);
  torch::Tensor z = s.sample(f, torch::zeros({1, 2}, torch::kFloat64), 1, gen, nullptr);
  EXPECT_NEAR(z[0][0].item<double>(), 0.1 * 3.0 / (1e-5 + 3.0), 1e-15);
  EXPECT_NEAR(z[0][1].item<double>(), 0.1 * -0.02 / (1e-5 + 0.02), 1e-15);
}

}  // namespace

namespace {

// Dual averaging drives MALA's acceptance to the target from a step far too large.
TEST(DualAveraging, ReachesTargetAcceptance) {
  torch::Tensor cov = torch::tensor({{1.0, 0.3}, {0.3, 0.25}}, torch::kFloat64);
  GaussianEnergy f(cov);
  SamplerPtr sampler = mala(5.0);
  ASSERT_TRUE(sampler->adaptable());
  sampler->set_adaptation(std::make_unique<DualAveraging>(sampler->step_size(), 0.65));
  at::Generator gen = make_generator(torch::kCPU, 31);
  torch::Tensor z = torch::zeros({64, 2}, torch::kFloat64);
  for (int t = 0; t < 500; ++t) z = sampler->sample(f, z, 1, gen, nullptr);  // the driver adapts after each call
  const double adapted = sampler->adaptation()->final_step(sampler->step_size());
  sampler->set_step_size(adapted);
  sampler->set_adaptation(nullptr);
  ChainTrace trace;
  sampler->sample(f, z, 400, gen, &trace);
  double accept = 0;
  for (double a : trace.per_step()["accept_rate"]) accept += a / 400;
  EXPECT_NEAR(accept, 0.65, 0.05);
  EXPECT_LT(adapted, 1.0);
}

}  // namespace
