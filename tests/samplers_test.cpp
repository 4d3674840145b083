// Samplers against closed forms: STANLEY's step by hand on a quadratic f, and Langevin's exact
// stationary variance for the discretised chain on a Gaussian target.
#include <gtest/gtest.h>

#include <cmath>

#include "sampler_fixtures.h"
#include "samplers/chain_ops.h"
#include "samplers/gradient_descent.h"
#include "samplers/langevin.h"
#include "samplers/metropolis_hastings.h"
#include "samplers/stanley.h"
#include "training/chain_init.h"
#include "training/generators.h"

using namespace stanley;
using stanley::testing::driver;
using stanley::testing::GaussianEnergy;
using stanley::testing::QuadraticEnergy;

namespace {

StanleyKernel::Options stanley_options(double s, double noise, double th, StanleyKernel::GammaAt at,
                                        bool times_s = false) {
  StanleyKernel::Options o;
  o.step_size = s;
  o.noise = noise;
  o.th = th;
  o.gamma_at = at;
  o.gamma_times_s = times_s;
  return o;
}
using GammaAt = StanleyKernel::GammaAt;

// Eq. (4) by hand for one coordinate (times s in the variant).
double hand_gamma(double s, double th, double g) { return s * th / std::max(th, std::abs(g)); }

// One step of eq. (5) through the sampler's kernel, for eq. (4) as written (γ ≤ 1) and the ×s variant.
TEST(Stanley, StepMatchesHandComputationBothSidesOfThreshold) {
  // a = (1, 100), z = (0.005, 0.5): gradients −0.005 (below th = 0.01) and −50 (above).
  QuadraticEnergy f({1.0, 100.0});
  const double s = 0.2, th = 0.01, eps = 0.7;
  torch::Tensor z = torch::tensor({{0.005, 0.5}}, torch::kFloat64);
  torch::Tensor xi = torch::tensor({{0.3, -1.2}}, torch::kFloat64);
  const EnergyGrad eg = energy_and_grad(f, z);
  ASSERT_NEAR(eg.grad[0][0].item<double>(), -0.005, 1e-12);
  ASSERT_NEAR(eg.grad[0][1].item<double>(), -50.0, 1e-12);
  for (const bool times_s : {false, true}) {
    StanleyKernel sampler(stanley_options(s, eps, th, GammaAt::kEveryStep, times_s));
    const double scale = times_s ? s : 1.0;
    torch::Tensor gamma = sampler.gamma(eg.grad, s);
    const double g0 = hand_gamma(scale, th, -0.005), g1 = hand_gamma(scale, th, -50.0);
    EXPECT_NEAR(gamma[0][0].item<double>(), scale, 1e-15);  // below th: γ = 1 (eq. 4) or s
    EXPECT_NEAR(gamma[0][0].item<double>(), g0, 1e-15);
    EXPECT_NEAR(gamma[0][1].item<double>(), g1, 1e-15);
    torch::Tensor next = kernel_draw(sampler.at(z, eg.grad, s), xi);
    EXPECT_NEAR(next[0][0].item<double>(), 0.005 + 0.5 * g0 * -0.005 + eps * std::sqrt(g0) * 0.3, 1e-14);
    // Steep coordinate: drift (scale·th/2)·sign(∇f), noise shrunk to √(scale·th/|∇f|).
    EXPECT_NEAR(next[0][1].item<double>(), 0.5 - 0.5 * scale * th + eps * std::sqrt(scale * th / 50.0) * -1.2, 1e-14);
  }
}

// Two noiseless steps: chain_start keeps γ from the start, every_step recomputes it.
TEST(Stanley, GammaAtChainStartAndEveryStepDifferExactlyAsSpecified) {
  QuadraticEnergy f({4.0});
  const double th = 1.0, z0 = 0.6;  // ∇f(z0) = −2.4: clipped
  auto run = [&](GammaAt at) {
    SamplerPtr sampler = driver<StanleyKernel>(stanley_options(0.1, 0.0, th, at));
    at::Generator gen = make_generator(torch::kCPU, 1);
    return sampler->sample(f, torch::tensor({{z0}}, torch::kFloat64), 2, gen, nullptr).item<double>();
  };
  const double gamma0 = hand_gamma(1.0, th, -4.0 * z0);
  const double z1 = z0 + 0.5 * gamma0 * (-4.0 * z0);
  const double chain_start = z1 + 0.5 * gamma0 * (-4.0 * z1);
  const double gamma1 = hand_gamma(1.0, th, -4.0 * z1);
  const double every_step = z1 + 0.5 * gamma1 * (-4.0 * z1);
  EXPECT_NEAR(run(GammaAt::kChainStart), chain_start, 1e-12);
  EXPECT_NEAR(run(GammaAt::kEveryStep), every_step, 1e-12);
  EXPECT_GT(std::abs(chain_start - every_step), 1e-3);  // the two modes are distinguishable here
}

// Eq. (4) literally: iteration t's γ comes from ∇f_θt (the current parameters) at the chain's final
// sample of iteration t−1, and stays fixed for the K steps; the first iteration uses the start.
TEST(Stanley, PreviousSamplesUsesTheLastIterationsChainsUnderTheCurrentModel) {
  QuadraticEnergy f({4.0, 4.0});
  const double th = 1.0;
  SamplerPtr sampler = driver<StanleyKernel>(stanley_options(0.1, 0.0, th, GammaAt::kPreviousSamples));
  at::Generator gen = make_generator(torch::kCPU, 1);
  torch::Tensor start = torch::tensor({{0.6, 0.1}, {-2.0, 0.3}}, torch::kFloat64);
  // Iteration 1: γ from the start, one step.
  const torch::Tensor z1 = sampler->sample(f, start, 1, gen, nullptr);
  // The model changes between iterations (a → 9); iteration 2 starts elsewhere.
  { torch::NoGradGuard g; f.a_.fill_(9.0); }
  const torch::Tensor start2 = torch::tensor({{1.5, -0.4}, {0.2, 0.05}}, torch::kFloat64);
  const torch::Tensor z2 = sampler->sample(f, start2, 2, gen, nullptr);
  for (int m = 0; m < 2; ++m) {
    for (int i = 0; i < 2; ++i) {
      const double z0 = start[m][i].item<double>();
      const double gamma1 = hand_gamma(1.0, th, -4.0 * z0);
      const double one = z0 + 0.5 * gamma1 * (-4.0 * z0);
      ASSERT_NEAR(z1[m][i].item<double>(), one, 1e-12);
      const double gamma2 = hand_gamma(1.0, th, -9.0 * one);  // ∇f_θ2 at z_1^m
      double z = start2[m][i].item<double>();
      for (int k = 0; k < 2; ++k) z = z + 0.5 * gamma2 * (-9.0 * z);
      EXPECT_NEAR(z2[m][i].item<double>(), z, 1e-12) << m << "," << i;
    }
  }
}

// The carried samples are the sampler's state: saved and restored (checkpoints), and a fork's chains
// (evaluation) do not replace them.
TEST(Stanley, PreviousSamplesAreStateAndForksLeaveThemAlone) {
  QuadraticEnergy f({4.0});
  SamplerPtr sampler = driver<StanleyKernel>(stanley_options(0.1, 0.0, 1.0, GammaAt::kPreviousSamples));
  at::Generator gen = make_generator(torch::kCPU, 1);
  sampler->sample(f, torch::tensor({{0.7}, {-0.3}}, torch::kFloat64), 3, gen, nullptr);
  // Through a checkpoint's named tensors and back.
  const CarriedState state = CarriedState::from_tensors(sampler->carried().to_tensors());
  ASSERT_EQ(state.kernel.count(StanleyKernel::kPreviousSamples), 1u);
  EXPECT_FALSE(state.log_step.has_value());
  const torch::Tensor kept = state.kernel.at(StanleyKernel::kPreviousSamples).clone();
  sampler->fork()->sample(f, torch::full({5, 1}, 3.0, torch::kFloat64), 3, gen, nullptr);
  EXPECT_TRUE(torch::equal(sampler->carried().kernel.at(StanleyKernel::kPreviousSamples), kept));
  SamplerPtr restored = driver<StanleyKernel>(stanley_options(0.1, 0.0, 1.0, GammaAt::kPreviousSamples));
  restored->restore(state);
  const torch::Tensor from = torch::tensor({{1.0}, {2.0}}, torch::kFloat64);
  EXPECT_TRUE(torch::equal(restored->sample(f, from, 2, gen, nullptr), sampler->sample(f, from, 2, gen, nullptr)));
}

TEST(Stanley, L2ScaleUsesOneGammaPerSample) {
  StanleyKernel::Options o = stanley_options(0.5, 1.0, 1.0, GammaAt::kChainStart, true);
  o.scale = StanleyKernel::Scale::kL2;
  StanleyKernel sampler(o);
  torch::Tensor g = torch::tensor({{3.0, 4.0}, {0.1, 0.2}}, torch::kFloat64);
  torch::Tensor gamma = sampler.gamma(g, 0.5);
  EXPECT_NEAR(gamma[0][0].item<double>(), 0.5 * 1.0 / 5.0, 1e-15);  // ‖g‖ = 5
  EXPECT_NEAR(gamma[0][1].item<double>(), 0.5 * 1.0 / 5.0, 1e-15);
  EXPECT_NEAR(gamma[1][0].item<double>(), 0.5, 1e-15);  // ‖g‖ < th: unclipped
}

// clip_fraction q: th is the (1 − q) quantile of |∇f| over the batch, so exactly ⌊q·n⌋ of n distinct
// magnitudes are clipped, and the logged th is that quantile (numpy's sort, independently).
TEST(Stanley, ClipFractionClipsThatShareOfCoordinates) {
  QuadraticEnergy f({1.0, 0.5});
  at::Generator gen = make_generator(torch::kCPU, 9);
  const torch::Tensor z0 = at::normal(0.0, 1.0, {500, 2}, gen, torch::kFloat64);  // 1,000 distinct |∇f|
  for (double q : {0.01, 0.1, 0.3, 0.5}) {
    StanleyKernel::Options o = stanley_options(0.1, 1.0, 123.0, GammaAt::kChainStart);
    o.clip_fraction = q;
    SamplerPtr sampler = driver<StanleyKernel>(o);
    ChainTrace trace;
    sampler->sample(f, z0, 3, gen, &trace);
    EXPECT_NEAR(trace.per_step()["clip_frac"][0], q, 1e-6) << q;  // counted in float32
    const torch::Tensor sorted = std::get<0>(energy_and_grad(f, z0).grad.abs().flatten().sort());
    const auto k = static_cast<std::int64_t>(std::ceil((1.0 - q) * 1000));
    ASSERT_EQ(trace.per_step()["th"].size(), 3u);
    EXPECT_DOUBLE_EQ(trace.per_step()["th"][0], sorted[k - 1].item<double>()) << q;
  }
}

TEST(Stanley, TraceRecordsGammaStatistics) {
  QuadraticEnergy f({1.0, 100.0});
  SamplerPtr sampler = driver<StanleyKernel>(stanley_options(0.1, 1.0, 0.01, GammaAt::kChainStart));
  at::Generator gen = make_generator(torch::kCPU, 3);
  ChainTrace trace;
  sampler->sample(f, torch::ones({8, 2}, torch::kFloat64), 5, gen, &trace);
  // Nothing was read to the host inside the loop: all 6 statistics x 5 steps wait as tensors.
  EXPECT_EQ(trace.pending(), 30u);
  for (const char* key : {"f_mean", "grad_norm", "step_norm", "gamma_mean", "gamma_min", "clip_frac"}) {
    ASSERT_EQ(trace.per_step()[key].size(), 5u) << key;
  }
  EXPECT_DOUBLE_EQ(trace.per_step()["clip_frac"][0], 1.0);  // every |∇f| ≥ 1 > th at the start
  EXPECT_NEAR(trace.per_step()["gamma_min"][0], 0.01 / 100.0, 1e-12);
  EXPECT_EQ(trace.pending(), 0u);
  // The deferred values equal the direct ones: f_mean at step 0 is mean f(z0) = -(1 + 100)/2.
  EXPECT_NEAR(trace.per_step()["f_mean"][0], -0.5 * (1.0 + 100.0), 1e-12);
}

// The chain z' = a·z + √s·ε·ξ with a = 1 − s/(2σ²) is AR(1): its stationary variance is
// s·ε² / (1 − a²) = σ²·ε² / (1 − s/(4σ²)), not σ² (the discretisation bias of ULA).
TEST(Langevin, StationaryVarianceMatchesDiscretisedChain) {
  const double sigma2 = 1.0, s = 0.5;
  QuadraticEnergy f({1.0 / sigma2});
  SamplerPtr sampler = driver<LangevinKernel>(s, 1.0);
  at::Generator gen = make_generator(torch::kCPU, 11);
  const std::int64_t chains = 40000;
  torch::Tensor z = sampler->sample(f, torch::zeros({chains, 1}, torch::kFloat64), 80, gen, nullptr);
  const double expected = sigma2 / (1.0 - s / (4.0 * sigma2));  // 1.142857
  const double var = z.var().item<double>();
  const double se = expected * std::sqrt(2.0 / chains);         // sampling sd of a variance estimate
  EXPECT_NEAR(var, expected, 4 * se);
  EXPECT_GT(std::abs(var - sigma2), 4 * se);  // and distinguishable from the target's own σ²
  EXPECT_NEAR(z.mean().item<double>(), 0.0, 4 * std::sqrt(expected / chains));
}

// Hand-worked 1-D case: f = −x²/2, s = 0.5, ε = 1, z = 0.5, y = 1.
//   log q(y|z) = −(1 − 0.5 − 0.25·(−0.5))²/(2·0.5) = −0.390625
//   log q(z|y) = −(0.5 − 1 − 0.25·(−1))²/(2·0.5)   = −0.0625
//   f(y) − f(z) = −0.5 + 0.125 = −0.375  →  log α = −0.375 − 0.0625 + 0.390625 = −0.046875
// MALA's log acceptance ratio from z to y: MH over the Langevin kernel's proposal correction.
double mala_log_ratio(EnergyModel& f, double s, double eps, double z, double y) {
  const LangevinKernel langevin(s, eps);
  const torch::Tensor zt = torch::tensor({{z}}, torch::kFloat64), yt = torch::tensor({{y}}, torch::kFloat64);
  const ChainState from{zt, energy_and_grad(f, zt), {}}, to{yt, energy_and_grad(f, yt), {}};
  return metropolis_log_ratio(from, to, langevin.traits().temperature, langevin.log_correction(from, to, s)).item<double>();
}

TEST(Mala, AcceptanceRatioMatchesHandComputation) {
  QuadraticEnergy f({1.0});
  const double log_alpha = mala_log_ratio(f, 0.5, 1.0, 0.5, 1.0);
  EXPECT_NEAR(log_alpha, -0.046875, 1e-14);
  EXPECT_NEAR(std::exp(log_alpha), 0.954207, 1e-6);
}

// The same points with ε = 0.5: the test is on π_T = exp(f/T), T = ε² = 0.25, proposal variance s·ε².
//   means 0.5 − 0.25·0.5 = 0.375 (from z) and 1 − 0.25 = 0.75 (from y), variance 0.125
//   log q(y|z) = −(1 − 0.375)²/0.25 = −1.5625,  log q(z|y) = −(0.5 − 0.75)²/0.25 = −0.25
//   (f(y) − f(z))/T = −0.375/0.25 = −1.5  →  log α = −1.5 − 0.25 + 1.5625 = −0.1875
TEST(Mala, AcceptanceRatioIsOnTheTemperedTarget) {
  QuadraticEnergy f({1.0});
  EXPECT_DOUBLE_EQ(MetropolisHastings(std::make_unique<LangevinKernel>(0.5, 0.5)).traits().temperature, 0.25);
  EXPECT_NEAR(mala_log_ratio(f, 0.5, 0.5, 0.5, 1.0), -0.1875, 1e-14);
}

// MALA is exact: many independent chains end distributed as the target. Tolerances are 4 standard
// errors of iid estimates (the chains are independent): sd(mean_i) = √(Σ_ii/N),
// sd(cov_ij) ≈ √((Σ_ii Σ_jj + Σ_ij²)/N).
TEST(Mala, MatchesCorrelatedGaussianMoments) {
  torch::Tensor cov = torch::tensor({{1.0, 0.3}, {0.3, 0.25}}, torch::kFloat64);
  GaussianEnergy f(cov);
  Sampler mala(std::make_unique<MetropolisHastings>(std::make_unique<LangevinKernel>(0.3, 1.0)));
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
  const double accept = trace.per_step()["accept_rate"].back();
  EXPECT_GT(accept, 0.3);
  EXPECT_LT(accept, 1.0);  // rejections happen: the test is not a plain Langevin run
}

TEST(GradientDescent, ReachesTheMode) {
  QuadraticEnergy f({2.0, 0.5});
  Sampler gd(std::make_unique<GradientDescentKernel>(0.5));
  at::Generator gen = make_generator(torch::kCPU, 0);
  torch::Tensor z = gd.sample(f, torch::tensor({{3.0, -2.0}}, torch::kFloat64), 200, gen, nullptr);
  // Contraction per step: |1 − s·a/2| = 0.5 and 0.875; after 200 steps both are below 1e-10.
  EXPECT_LT(z.abs().max().item<double>(), 1e-10);
}

TEST(Sampler, FreezesParametersAndKeepsNoGraph) {
  QuadraticEnergy f({2.0});
  Sampler sampler(std::make_unique<LangevinKernel>(0.1, 1.0));
  at::Generator gen = make_generator(torch::kCPU, 5);
  torch::Tensor z = sampler.sample(f, torch::ones({4, 1}, torch::kFloat64), 3, gen, nullptr);
  EXPECT_FALSE(z.requires_grad());
  EXPECT_FALSE(f.a_.grad().defined());   // no parameter gradient accumulated while sampling
  EXPECT_TRUE(f.a_.requires_grad());     // restored afterwards
}

TEST(Sampler, SameGeneratorSeedSameChain) {
  QuadraticEnergy f({1.0});
  Sampler sampler(std::make_unique<LangevinKernel>(0.1, 1.0));
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
