// Chain diagnostics: ESS against the AR(1) closed form, R̂ on matched and shifted chains, and every
// statistic against an independent numpy/scipy implementation of Vehtari et al. (2021).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "metrics/chain_diagnostics.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;

namespace {

// Stationary AR(1): x_t = φ x_{t−1} + ξ_t, ξ ~ N(0, 1); x_0 ~ N(0, 1/(1 − φ²)).
Draws ar1(int chains, int draws, double phi, unsigned seed, double shift_first_chain = 0.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Draws d(chains, std::vector<double>(draws));
  for (int c = 0; c < chains; ++c) {
    double x = normal(rng) / std::sqrt(1 - phi * phi);
    for (int n = 0; n < draws; ++n) {
      x = phi * x + normal(rng);
      d[c][n] = x + (c == 0 ? shift_first_chain : 0.0);
    }
  }
  return d;
}

// ESS of an AR(1) series is N(1 − φ)/(1 + φ): the integrated autocorrelation time is (1 + φ)/(1 − φ).
TEST(ChainDiagnostics, EssOfAr1MatchesClosedForm) {
  for (double phi : {0.0, 0.5, 0.9}) {
    const Draws d = ar1(4, 10000, phi, 7);
    const double expected = 40000.0 * (1 - phi) / (1 + phi);
    EXPECT_NEAR(ess_mean(d), expected, 0.1 * expected) << "phi=" << phi;
    EXPECT_NEAR(ess_bulk(d), expected, 0.12 * expected) << "phi=" << phi;
  }
}

TEST(ChainDiagnostics, AutocorrelationOfAr1IsGeometric) {
  const Draws d = ar1(1, 200000, 0.6, 3);
  const auto rho = autocorrelation(d[0]);
  EXPECT_DOUBLE_EQ(rho[0], 1.0);
  EXPECT_NEAR(rho[1], 0.6, 0.01);
  EXPECT_NEAR(rho[2], 0.36, 0.01);
  EXPECT_NEAR(rho[5], std::pow(0.6, 5), 0.01);
}

TEST(ChainDiagnostics, McseOfIidMean) {
  const Draws d = ar1(4, 5000, 0.0, 11);
  EXPECT_NEAR(mcse_mean(d), 1.0 / std::sqrt(20000.0), 0.1 / std::sqrt(20000.0));
}

TEST(ChainDiagnostics, RhatSeparatesMatchedFromShiftedChains) {
  EXPECT_LT(rhat_rank(ar1(4, 2000, 0.5, 5)), 1.01);
  // One chain of four shifted by 2 (marginal sd 1.15): between-chain variance ≈ 0.57 against ≈ 1.3 within.
  EXPECT_GT(rhat_rank(ar1(4, 2000, 0.5, 5, /*shift=*/2.0)), 1.1);
  EXPECT_LT(rhat_basic(ar1(4, 2000, 0.0, 6)), 1.01);
}

// Many short chains (EBM style): 8 superchains of 16 chains of 10 draws.
TEST(ChainDiagnostics, NestedRhat) {
  Draws same = ar1(128, 10, 0.3, 9);
  EXPECT_LT(rhat_nested(same, 16), 1.02);
  Draws shifted = same;
  for (int c = 0; c < 16; ++c)
    for (auto& v : shifted[c]) v += 3.0;  // the first superchain sits elsewhere: B ≈ 9/8 against W ≈ 1.1
  EXPECT_GT(rhat_nested(shifted, 16), 1.2);
  EXPECT_THROW(rhat_nested(same, 7), std::invalid_argument);
}

TEST(ChainDiagnostics, ConstantChainsAndBadShapes) {
  Draws constant(2, std::vector<double>(10, 3.0));
  EXPECT_DOUBLE_EQ(ess_raw(constant), 20.0);
  EXPECT_THROW(ess_bulk(Draws{{1, 2, 3, 4}, {1, 2}}), std::invalid_argument);
}

// An independent numpy/scipy implementation of the same definitions (Vehtari et al. 2021), written
// from the paper's equations; Python's negative indexing gives ArviZ's result when the positive
// sequence stops at once (max_t = −1).
const std::string kPythonReference = R"PY(
import numpy as np
from scipy import stats
def split(a):
    h = a.shape[1] // 2
    return np.vstack([a[:, :h], a[:, -h:]])
def z(a):
    r = stats.rankdata(a, method="average").reshape(a.shape)
    return stats.norm.ppf((r - 0.375) / (a.size + 0.25))
def acov(a):
    n = a.shape[1]
    c = a - a.mean(axis=1, keepdims=True)
    return np.array([[np.dot(row[:n - t], row[t:]) / n for t in range(n)] for row in c])
def ess(a):
    m, n = a.shape
    if a.max() - a.min() < 1e-15:
        return float(a.size)
    g = acov(a)
    mean_var = g[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n + (a.mean(axis=1).var(ddof=1) if m > 1 else 0)
    rho = np.zeros(n)
    rho[0] = 1
    even, odd = 1.0, 1 - (mean_var - g[:, 1].mean()) / var_plus
    rho[1] = odd
    t = 1
    while t < n - 3 and even + odd > 0:
        even = 1 - (mean_var - g[:, t + 1].mean()) / var_plus
        odd = 1 - (mean_var - g[:, t + 2].mean()) / var_plus
        if even + odd >= 0:
            rho[t + 1], rho[t + 2] = even, odd
        t += 2
    max_t = t - 2
    if even > 0:
        rho[max_t + 1] = even
    t = 1
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = rho[t + 2] = (rho[t - 1] + rho[t]) / 2
        t += 2
    tau = max(-1 + 2 * rho[:max_t + 1].sum() + rho[max_t + 1], 1 / np.log10(a.size))
    return a.size / tau
def rhat(a):
    n = a.shape[1]
    return np.sqrt((n * a.mean(axis=1).var(ddof=1) / a.var(axis=1, ddof=1).mean() + n - 1) / n)
)PY";

// Writes the draws where Python reads them as `x` (chains × draws) after the reference definitions.
std::string with_draws(const TempDir& dir, const Draws& d) {
  {
    std::ofstream out(dir / "draws.txt");
    out.precision(17);
    for (const auto& c : d) {
      for (double v : c) out << v << ' ';
      out << '\n';
    }
  }
  return kPythonReference + "x = np.loadtxt(\"" + (dir / "draws.txt").string() + "\", ndmin=2)\n";
}

TEST(ChainDiagnostics, MatchesPythonReference) {
  TempDir dir;
  Draws d = ar1(4, 501, 0.7, 13);  // odd length exercises the split's dropped middle draw
  for (auto& v : d[2]) v = std::exp(v / 3);  // a skewed chain for the folded and tail statistics
  const std::string code = with_draws(dir, d) + R"PY(
bulk = ess(z(split(x)))
q05, q95 = np.quantile(x, [0.05, 0.95])
tail = min(ess(split((x <= q05).astype(float))), ess(split((x <= q95).astype(float))))
mean = ess(split(x))
mcse = x.std(ddof=1) / np.sqrt(mean)
rh = max(rhat(z(split(x))), rhat(z(split(np.abs(x - np.median(x))))))
print(repr(bulk), repr(tail), repr(mean), repr(mcse), repr(rh))
)PY";
  const CommandResult r = run_python(code);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream in(r.output);
  double bulk, tail, mean, mcse, rh;
  in >> bulk >> tail >> mean >> mcse >> rh;
  ASSERT_FALSE(in.fail()) << r.output;
  EXPECT_NEAR(ess_bulk(d), bulk, 1e-8 * bulk);
  EXPECT_NEAR(ess_tail(d), tail, 1e-8 * tail);
  EXPECT_NEAR(ess_mean(d), mean, 1e-8 * mean);
  EXPECT_NEAR(mcse_mean(d), mcse, 1e-8 * mcse);
  EXPECT_NEAR(rhat_rank(d), rh, 1e-10);
  EXPECT_GT(rh, 1.05);  // the skewed chain makes this a case R̂ must flag
}

}  // namespace

namespace {

// Few draws (2 × 4: the positive sequence never starts) and antithetic chains (ρ̂₁ ≈ −1: it stops at
// once) once crashed ess_raw. ArviZ caps τ at 1/log10(S): ESS = S·log10(S), 352.7 for S = 160.
TEST(ChainDiagnostics, EssWhenTheAutocorrelationSequenceStopsAtOnce) {
  TempDir dir;
  Draws few = ar1(2, 4, 0.3, 5);
  Draws antithetic(4, std::vector<double>(40));
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal;
  for (auto& c : antithetic) {
    double x = normal(rng);
    for (auto& v : c) v = x = -x + 0.05 * normal(rng);
  }
  auto reference = [&](const Draws& d, const std::string& expr) {
    const CommandResult r = run_python(with_draws(dir, d) + "print(repr(" + expr + "))\n");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return std::stod(r.output);
  };
  const double few_raw = reference(few, "ess(x)");
  EXPECT_NEAR(ess_raw(few), few_raw, 1e-9 * few_raw);
  const double anti_raw = reference(antithetic, "ess(x)"), anti_bulk = reference(antithetic, "ess(z(split(x)))");
  EXPECT_NEAR(ess_raw(antithetic), anti_raw, 1e-9 * anti_raw);
  EXPECT_NEAR(ess_bulk(antithetic), anti_bulk, 1e-9 * anti_bulk);
  EXPECT_NEAR(ess_raw(antithetic), 160 * std::log10(160.0), 1e-9);  // 352.7, ArviZ's value
}

}  // namespace
