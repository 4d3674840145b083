// The rings toy: its exact density, sampler of the data, and the grid metrics.
#include <gtest/gtest.h>

#include <cmath>

#include "data/rings.h"
#include "metrics/toy_density.h"
#include "models/toy_mlp.h"
#include "training/generators.h"

using namespace stanley;

namespace {

RingsDataset paper_rings() { return RingsDataset({1, 2, 3, 4}, 0.15); }

// The toy net's hand-written input gradient against autograd: same f and ∇f to 1e-6 (float32, where
// the two sum in different orders) and to 1e-12 in float64, on a trained-looking (random) net, at
// points on both sides of every LeakyReLU kink.
TEST(ToyMlp, AnalyticGradientEqualsAutograd) {
  torch::manual_seed(0);
  for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
    ToyMlpImpl net(2, {32, 64, 64, 64}, 0.05);
    net.to(dtype);
    for (auto& p : net.parameters()) p.requires_grad_(false);
    const torch::Tensor z = 3 * torch::randn({257, 2}, dtype);
    const auto fast = net.analytic_energy_and_grad(z);
    ASSERT_TRUE(fast.has_value());
    const EnergyGrad ref = energy_and_grad_autograd(net, z);
    const double tol = dtype == torch::kFloat32 ? 1e-6 : 1e-12;
    const double scale = ref.grad.abs().max().item<double>();
    EXPECT_LT((fast->f - ref.f).abs().max().item<double>() / ref.f.abs().max().item<double>(), tol);
    EXPECT_LT((fast->grad - ref.grad).abs().max().item<double>() / scale, tol);
    EXPECT_EQ(fast->grad.sizes(), z.sizes());
  }
  // With parameters that need gradients (training's forward), the model declines and autograd is used.
  ToyMlpImpl net(2, {8}, 0.05);
  EXPECT_FALSE(net.analytic_energy_and_grad(torch::randn({4, 2})).has_value());
}

TEST(RingsDensity, IntegratesToOneOnThePaperGrid) {
  RingsDataset rings = paper_rings();
  const Grid2D grid{-4.6, 4.6, 200};
  torch::Tensor cells = cell_probabilities([&](const torch::Tensor& x) { return rings.density(x); }, grid);
  // Not renormalised: the midpoint rule on a 0.046-wide grid over a mass that ends at radius ~4.5.
  EXPECT_NEAR(cells.sum().item<double>(), 1.0, 2e-3);
}

TEST(RingsDensity, RadialMarginalIsTheRingMixture) {
  // Integrate p over angle at radius r: 2πr·p(r) must equal Σ_i ¼[φ(r;R_i,sd) + φ(−r;R_i,sd)].
  RingsDataset rings = paper_rings();
  for (double r : {0.3, 1.0, 1.07, 2.5, 4.2}) {
    const double p = rings.density(torch::tensor({{r * std::cos(0.7), r * std::sin(0.7)}}, torch::kFloat64)).item<double>();
    double expected = 0;
    for (double R : {1.0, 2.0, 3.0, 4.0}) {
      expected += 0.25 * (std::exp(-0.5 * std::pow((r - R) / 0.15, 2)) + std::exp(-0.5 * std::pow((r + R) / 0.15, 2))) /
                  (0.15 * std::sqrt(2 * M_PI));
    }
    EXPECT_NEAR(2 * M_PI * r * p, expected, 1e-12 * std::max(1.0, expected)) << "r=" << r;
  }
}

TEST(RingsDensity, KlOfTruthAgainstItselfIsZero) {
  RingsDataset rings = paper_rings();
  const Grid2D grid{-4.6, 4.6, 200};
  torch::Tensor p = cell_probabilities([&](const torch::Tensor& x) { return rings.density(x); }, grid);
  p = p / p.sum();
  const Divergences d = compare_distributions(p, p, 0.0);  // no floor: cells where p < floor would bias it
  EXPECT_NEAR(d.kl, 0.0, 1e-12);
  EXPECT_NEAR(d.tv, 0.0, 1e-12);
  // A worse model scores worse: uniform over the grid.
  const Divergences u = compare_distributions(p, torch::full_like(p, 1.0 / p.numel()), 1e-10);
  EXPECT_GT(u.kl, 0.5);
  EXPECT_GT(u.tv, 0.3);
}

TEST(RingsData, SamplesFollowTheExactDensity) {
  RingsDataset rings = paper_rings();
  at::Generator gen = make_generator(torch::kCPU, 0);
  torch::Tensor x = rings.batch(400000, gen, torch::kCPU);
  ASSERT_EQ(x.sizes(), (std::vector<std::int64_t>{400000, 2}));
  const Grid2D grid{-4.6, 4.6, 200};
  const std::int64_t bins = 40;
  torch::Tensor truth = pool_cells(
      cell_probabilities([&](const torch::Tensor& p) { return rings.density(p); }, grid), grid.n, grid.n / bins);
  torch::Tensor hist = sample_histogram(x, grid, bins);
  // 1600 cells, 400k samples: TV from sampling noise alone is ~0.02.
  EXPECT_LT(compare_distributions(truth / truth.sum(), hist, 1e-10).tv, 0.04);
  // Equal mass per ring: a quarter of the samples nearest each radius.
  torch::Tensor r = x.norm(2, 1);
  for (double R : {1.0, 2.0, 3.0, 4.0}) {
    const double frac = ((r - R).abs() < 0.5).to(torch::kFloat64).mean().item<double>();
    EXPECT_NEAR(frac, 0.25, 0.005) << "ring " << R;
  }
}

TEST(ToyMetrics, HistogramCountsAndOutsideMass) {
  const Grid2D grid{0.0, 2.0, 2};
  torch::Tensor s = torch::tensor({{0.5, 0.5}, {1.5, 0.5}, {1.5, 0.5}, {5.0, 5.0}}, torch::kFloat32);
  torch::Tensor h = sample_histogram(s, grid, 2);
  EXPECT_DOUBLE_EQ(h[0].item<double>(), 0.25);  // (x=0.5, y=0.5)
  EXPECT_DOUBLE_EQ(h[1].item<double>(), 0.5);   // (x=1.5, y=0.5)
  EXPECT_DOUBLE_EQ(h.sum().item<double>(), 0.75);
  // TV counts the mass that fell outside the grid.
  torch::Tensor p = torch::tensor({0.25, 0.5, 0.25, 0.0}, torch::kFloat64);
  EXPECT_NEAR(compare_distributions(p, h, 1e-10).tv, 0.5 * (0.25 + 0.25), 1e-12);
}

TEST(ToyMetrics, PoolCellsSumsBlocks) {
  torch::Tensor p = torch::arange(16, torch::kFloat64);
  torch::Tensor pooled = pool_cells(p, 4, 2);
  EXPECT_EQ(pooled[0].item<double>(), 0 + 1 + 4 + 5);
  EXPECT_EQ(pooled[3].item<double>(), 10 + 11 + 14 + 15);
}

}  // namespace
