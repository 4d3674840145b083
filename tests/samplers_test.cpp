// Samplers against closed forms: STANLEY's step by hand on a quadratic f, and Langevin's exact
// stationary variance for the discretised chain on a Gaussian target.
#include <gtest/gtest.h>

#include <cmath>

#include "samplers/chain_init.h"
#include "samplers/langevin.h"
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
