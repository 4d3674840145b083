// KSD, MMD and energy distance against a numpy reference and on cases with known answers.
#include <gtest/gtest.h>

#include <fstream>

#include "metrics/sample_quality.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;

namespace {

TEST(SampleQuality, KsdSeparatesRightFromWrongSamples) {
  torch::manual_seed(0);
  torch::Tensor x = torch::randn({600, 2}, torch::kFloat64);
  // Score of N(0, I) is −x. Exact samples: the U-statistic has mean 0.
  const double right = ksd_imq(x, -x);
  const double wrong = ksd_imq(x + 1.0, -(x + 1.0));   // shifted samples against N(0, I)'s score
  EXPECT_LT(std::abs(right), 0.01);
  EXPECT_GT(wrong, 20 * std::abs(right));
  EXPECT_GT(wrong, 0.05);
}

TEST(SampleQuality, TwoSampleDistancesVanishForOneDistribution) {
  torch::manual_seed(1);
  torch::Tensor a = torch::randn({500, 3}, torch::kFloat64), b = torch::randn({500, 3}, torch::kFloat64);
  EXPECT_LT(std::abs(mmd_rbf(a, b)), 0.01);
  EXPECT_LT(std::abs(energy_distance(a, b)), 0.03);
  EXPECT_GT(mmd_rbf(a, b + 1.0), 0.1);
  EXPECT_GT(energy_distance(a, b + 1.0), 0.5);
}

TEST(SampleQuality, MatchesNumpyReference) {
  TempDir dir;
  torch::manual_seed(2);
  torch::Tensor x = torch::randn({40, 3}, torch::kFloat64) * 1.3 + 0.2;
  torch::Tensor y = torch::randn({30, 3}, torch::kFloat64);
  torch::Tensor s = -x * 0.7;  // some score
  auto dump = [&](const torch::Tensor& t, const std::string& name) {
    std::ofstream out(dir / name);
    out.precision(17);
    for (std::int64_t i = 0; i < t.size(0); ++i) {
      for (std::int64_t j = 0; j < t.size(1); ++j) out << t[i][j].item<double>() << ' ';
      out << '\n';
    }
  };
  dump(x, "x.txt");
  dump(y, "y.txt");
  dump(s, "s.txt");
  const std::string d = dir.path().string();
  const CommandResult r = run_python(R"PY(
import numpy as np
x, y, s = (np.loadtxt(")PY" + d + R"PY(/" + n + ".txt") for n in ("x", "y", "s"))
n, dim = x.shape
total = 0.0
for i in range(n):
    for j in range(n):
        if i == j:
            continue
        r = x[i] - x[j]; q = 1 + r @ r; b = -0.5
        k = q ** b
        total += (s[i] @ s[j]) * k + 2 * b * q ** (b - 1) * (s[j] @ r - s[i] @ r) \
                 - 2 * b * dim * q ** (b - 1) - 4 * b * (b - 1) * q ** (b - 2) * (r @ r)
ksd = total / (n * (n - 1))
p = np.vstack([x, y])
d2 = ((p[:, None, :] - p[None, :, :]) ** 2).sum(-1)
h2 = np.median(d2[np.triu_indices(len(p), 1)])
K = np.exp(-d2 / (2 * h2))
nx = len(x)
off = lambda m: (m.sum() - np.trace(m)) / (len(m) * (len(m) - 1))
mmd = off(K[:nx, :nx]) + off(K[nx:, nx:]) - 2 * K[:nx, nx:].mean()
dist = lambda a, b: np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
ed = 2 * dist(x, y).mean() - off(dist(x, x)) - off(dist(y, y))
print(repr(ksd), repr(mmd), repr(ed))
)PY");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream in(r.output);
  double ksd, mmd, ed;
  in >> ksd >> mmd >> ed;
  ASSERT_FALSE(in.fail()) << r.output;
  EXPECT_NEAR(ksd_imq(x, s), ksd, 1e-10 * std::max(1.0, std::abs(ksd)));
  EXPECT_NEAR(mmd_rbf(x, y), mmd, 1e-10);
  EXPECT_NEAR(energy_distance(x, y), ed, 1e-10);
}

}  // namespace
