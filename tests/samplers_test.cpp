// Samplers against closed forms: STANLEY's step by hand on a quadratic f, and Langevin's exact
// stationary variance for the discretised chain on a Gaussian target.
#include <gtest/gtest.h>

#include <cmath>

#include "samplers/chain_init.h"
#include "samplers/gradient_descent.h"
#include "samplers/langevin.h"
#include "samplers/mala.h"
#include "samplers/stanley.h"
#include "training/generators.h"

using namespace stanley;

namespace {

// f(x) = −½ Σ_i a_i x_i²: a diagonal Gaussian's log-density, ∇f = −a ⊙ x. Has one parameter so
// that freezing can be checked.
class QuadraticEnergy : public EnergyModel {
 public:
  explicit QuadraticEnergy(std::vector<double> a) {
    a_ = register_parameter("a", torch::tensor(a, torch::kFloat64));
  }
  torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * (a_ * x * x).sum(1); }
  torch::Tensor a_;
};

StanleySampler::Options stanley_options(double s, double noise, double th, StanleySampler::StepsizeMode mode) {
  StanleySampler::Options o;
  o.step_size = s;
  o.noise = noise;
  o.th = th;
  o.stepsize = mode;
  return o;
}

// Hand computation of one STANLEY step for one coordinate.
double hand_gamma(double s, double th, double g) { return s * th / std::max(th, std::abs(g)); }

TEST(Stanley, StepMatchesHandComputationBothSidesOfThreshold) {
  // a = (1, 100), z = (0.005, 0.5): gradients −0.005 (below th = 0.01) and −50 (above).
  QuadraticEnergy f({1.0, 100.0});
  const double s = 0.2, th = 0.01, eps = 0.7;
  StanleySampler sampler(stanley_options(s, eps, th, StanleySampler::StepsizeMode::kPerStep));
  torch::Tensor z = torch::tensor({{0.005, 0.5}}, torch::kFloat64);
  torch::Tensor xi = torch::tensor({{0.3, -1.2}}, torch::kFloat64);
  const EnergyGrad eg = energy_and_grad(f, z);
  ASSERT_NEAR(eg.grad[0][0].item<double>(), -0.005, 1e-12);
  ASSERT_NEAR(eg.grad[0][1].item<double>(), -50.0, 1e-12);
  torch::Tensor gamma = sampler.step_sizes(eg.grad);
  const double g0 = hand_gamma(s, th, -0.005), g1 = hand_gamma(s, th, -50.0);
  EXPECT_NEAR(gamma[0][0].item<double>(), s, 1e-15);  // below th: the plain Langevin step
  EXPECT_NEAR(gamma[0][0].item<double>(), g0, 1e-15);
  EXPECT_NEAR(gamma[0][1].item<double>(), g1, 1e-15);
  torch::Tensor next = sampler.step(z, eg.grad, gamma, xi);
  EXPECT_NEAR(next[0][0].item<double>(), 0.005 + 0.5 * g0 * -0.005 + eps * std::sqrt(g0) * 0.3, 1e-14);
  // Steep coordinate: drift (s·th/2)·sign(∇f), noise shrunk to √(s·th/|∇f|).
  EXPECT_NEAR(next[0][1].item<double>(), 0.5 - 0.5 * s * th + eps * std::sqrt(s * th / 50.0) * -1.2, 1e-14);
}

// Two noiseless steps: per_iteration keeps γ from the start, per_step recomputes it.
TEST(Stanley, StepsizeModesDifferExactlyAsSpecified) {
  QuadraticEnergy f({4.0});
  const double s = 0.1, th = 1.0, z0 = 2.0;  // ∇f(z0) = −8: clipped
  auto run = [&](StanleySampler::StepsizeMode mode) {
    StanleySampler sampler(stanley_options(s, 0.0, th, mode));
    at::Generator gen = make_generator(torch::kCPU, 1);
    return sampler.sample(f, torch::tensor({{z0}}, torch::kFloat64), 2, gen, nullptr).item<double>();
  };
  const double gamma0 = hand_gamma(s, th, -4.0 * z0);
  const double z1 = z0 + 0.5 * gamma0 * (-4.0 * z0);
  const double per_iteration = z1 + 0.5 * gamma0 * (-4.0 * z1);
  const double gamma1 = hand_gamma(s, th, -4.0 * z1);
  const double per_step = z1 + 0.5 * gamma1 * (-4.0 * z1);
  EXPECT_NEAR(run(StanleySampler::StepsizeMode::kPerIteration), per_iteration, 1e-12);
  EXPECT_NEAR(run(StanleySampler::StepsizeMode::kPerStep), per_step, 1e-12);
  EXPECT_GT(std::abs(per_iteration - per_step), 1e-3);  // the two modes are distinguishable here
}

TEST(Stanley, L2ScaleUsesOneGammaPerSample) {
  StanleySampler::Options o = stanley_options(0.5, 1.0, 1.0, StanleySampler::StepsizeMode::kPerIteration);
  o.scale = StanleySampler::Scale::kL2;
  StanleySampler sampler(o);
  torch::Tensor g = torch::tensor({{3.0, 4.0}, {0.1, 0.2}}, torch::kFloat64);
  torch::Tensor gamma = sampler.step_sizes(g);
  EXPECT_NEAR(gamma[0][0].item<double>(), 0.5 * 1.0 / 5.0, 1e-15);  // ‖g‖ = 5
  EXPECT_NEAR(gamma[0][1].item<double>(), 0.5 * 1.0 / 5.0, 1e-15);
  EXPECT_NEAR(gamma[1][0].item<double>(), 0.5, 1e-15);  // ‖g‖ < th: unclipped
}

TEST(Stanley, TraceRecordsGammaStatistics) {
  QuadraticEnergy f({1.0, 100.0});
  StanleySampler sampler(stanley_options(0.1, 1.0, 0.01, StanleySampler::StepsizeMode::kPerIteration));
  at::Generator gen = make_generator(torch::kCPU, 3);
  ChainTrace trace;
  sampler.sample(f, torch::ones({8, 2}, torch::kFloat64), 5, gen, &trace);
  for (const char* key : {"f_mean", "grad_norm", "step_norm", "gamma_mean", "gamma_min", "clip_frac"}) {
    ASSERT_EQ(trace.per_step[key].size(), 5u) << key;
  }
  EXPECT_DOUBLE_EQ(trace.per_step["clip_frac"][0], 1.0);  // every |∇f| ≥ 1 > th at the start
  EXPECT_NEAR(trace.per_step["gamma_min"][0], 0.1 * 0.01 / 100.0, 1e-12);
}

// The chain z' = a·z + √s·ε·ξ with a = 1 − s/(2σ²) is AR(1): its stationary variance is
// s·ε² / (1 − a²) = σ²·ε² / (1 − s/(4σ²)), not σ² (the discretisation bias of ULA).
TEST(Langevin, StationaryVarianceMatchesDiscretisedChain) {
  const double sigma2 = 1.0, s = 0.5;
  QuadraticEnergy f({1.0 / sigma2});
  LangevinSampler sampler(s, 1.0);
  at::Generator gen = make_generator(torch::kCPU, 11);
  const std::int64_t chains = 40000;
  torch::Tensor z = sampler.sample(f, torch::zeros({chains, 1}, torch::kFloat64), 80, gen, nullptr);
  const double expected = sigma2 / (1.0 - s / (4.0 * sigma2));  // 1.142857
  const double var = z.var().item<double>();
  const double se = expected * std::sqrt(2.0 / chains);         // sampling sd of a variance estimate
  EXPECT_NEAR(var, expected, 4 * se);
  EXPECT_GT(std::abs(var - sigma2), 4 * se);  // and distinguishable from the target's own σ²
  EXPECT_NEAR(z.mean().item<double>(), 0.0, 4 * std::sqrt(expected / chains));
}

// f(x) = −½ xᵀ Σ⁻¹ x: a correlated 2-D Gaussian.
class GaussianEnergy : public EnergyModel {
 public:
  explicit GaussianEnergy(torch::Tensor cov) : precision_(torch::inverse(cov)) {}
  torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * (x.matmul(precision_) * x).sum(1); }
  torch::Tensor precision_;
};

// Hand-worked 1-D case: f = −x²/2, s = 0.5, ε = 1, z = 0.5, y = 1.
//   log q(y|z) = −(1 − 0.5 − 0.25·(−0.5))²/(2·0.5) = −0.390625
//   log q(z|y) = −(0.5 − 1 − 0.25·(−1))²/(2·0.5)   = −0.0625
//   f(y) − f(z) = −0.5 + 0.125 = −0.375  →  log α = −0.375 − 0.0625 + 0.390625 = −0.046875
TEST(Mala, AcceptanceRatioMatchesHandComputation) {
  QuadraticEnergy f({1.0});
  MalaSampler mala(0.5, 1.0);
  torch::Tensor z = torch::tensor({{0.5}}, torch::kFloat64), y = torch::tensor({{1.0}}, torch::kFloat64);
  const double log_alpha = mala.log_accept_ratio(energy_and_grad(f, z), z, energy_and_grad(f, y), y).item<double>();
  EXPECT_NEAR(log_alpha, -0.046875, 1e-14);
  EXPECT_NEAR(std::exp(log_alpha), 0.954207, 1e-6);
}

// MALA is exact: many independent chains end distributed as the target. Tolerances are 4 standard
// errors of iid estimates (the chains are independent): sd(mean_i) = √(Σ_ii/N),
// sd(cov_ij) ≈ √((Σ_ii Σ_jj + Σ_ij²)/N).
TEST(Mala, MatchesCorrelatedGaussianMoments) {
  torch::Tensor cov = torch::tensor({{1.0, 0.3}, {0.3, 0.25}}, torch::kFloat64);
  GaussianEnergy f(cov);
  MalaSampler mala(0.3, 1.0);
  at::Generator gen = make_generator(torch::kCPU, 21);
  const std::int64_t n = 8000;
  ChainTrace trace;
  torch::Tensor z = mala.sample(f, 2.0 * at::normal(0.0, 1.0, {n, 2}, gen, torch::kFloat64), 200, gen, &trace);
  torch::Tensor mean = z.mean(0);
  torch::Tensor centred = z - mean;
  torch::Tensor emp = centred.t().matmul(centred) / (n - 1);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(mean[i].item<double>(), 0.0, 4 * std::sqrt(cov[i][i].item<double>() / n)) << i;
    for (int j = 0; j < 2; ++j) {
      const double se = std::sqrt((cov[i][i].item<double>() * cov[j][j].item<double>() + std::pow(cov[i][j].item<double>(), 2)) / n);
      EXPECT_NEAR(emp[i][j].item<double>(), cov[i][j].item<double>(), 4 * se) << i << "," << j;
    }
  }
  const double accept = trace.per_step["accept_rate"].back();
  EXPECT_GT(accept, 0.3);
  EXPECT_LT(accept, 1.0);  // rejections happen: the test is not a plain Langevin run
}

TEST(GradientDescent, ReachesTheMode) {
  QuadraticEnergy f({2.0, 0.5});
  GradientDescentSampler gd(0.5);
  at::Generator gen = make_generator(torch::kCPU, 0);
  torch::Tensor z = gd.sample(f, torch::tensor({{3.0, -2.0}}, torch::kFloat64), 200, gen, nullptr);
  // Contraction per step: |1 − s·a/2| = 0.5 and 0.875; after 200 steps both are below 1e-10.
  EXPECT_LT(z.abs().max().item<double>(), 1e-10);
}

TEST(Sampler, FreezesParametersAndKeepsNoGraph) {
  QuadraticEnergy f({2.0});
  LangevinSampler sampler(0.1, 1.0);
  at::Generator gen = make_generator(torch::kCPU, 5);
  torch::Tensor z = sampler.sample(f, torch::ones({4, 1}, torch::kFloat64), 3, gen, nullptr);
  EXPECT_FALSE(z.requires_grad());
  EXPECT_FALSE(f.a_.grad().defined());   // no parameter gradient accumulated while sampling
  EXPECT_TRUE(f.a_.requires_grad());     // restored afterwards
}

TEST(Sampler, SameGeneratorSeedSameChain) {
  QuadraticEnergy f({1.0});
  LangevinSampler sampler(0.1, 1.0);
  at::Generator g1 = make_generator(torch::kCPU, 42), g2 = make_generator(torch::kCPU, 42);
  torch::Tensor a = sampler.sample(f, torch::zeros({16, 1}, torch::kFloat64), 10, g1, nullptr);
  torch::Tensor b = sampler.sample(f, torch::zeros({16, 1}, torch::kFloat64), 10, g2, nullptr);
  EXPECT_TRUE(torch::equal(a, b));
}

TEST(Generators, StreamsAreDistinctAndReproducible) {
  EXPECT_EQ(derive_seed(1, "data"), derive_seed(1, "data"));
  EXPECT_NE(derive_seed(1, "data"), derive_seed(1, "sampler"));
  EXPECT_NE(derive_seed(1, "data"), derive_seed(2, "data"));
}

TEST(Registry, UnknownSamplerNamesClosest) {
  try {
    sampler_registry().get("stanly");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("closest: stanley"), std::string::npos) << e.what();
  }
}

}  // namespace
