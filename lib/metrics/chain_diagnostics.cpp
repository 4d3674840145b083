#include "metrics/chain_diagnostics.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace stanley {
namespace {

void check_shape(const Draws& d, std::size_t min_draws) {
  if (d.empty()) throw std::invalid_argument("diagnostics need at least one chain");
  for (const auto& c : d) {
    if (c.size() != d[0].size()) throw std::invalid_argument("diagnostics need chains of equal length");
  }
  if (d[0].size() < min_draws) throw std::invalid_argument("diagnostics need more draws per chain");
}

double mean_of(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / x.size(); }

double var_of(const std::vector<double>& x, int ddof) {
  const double m = mean_of(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - ddof);
}

// Autocovariance with the biased (1/N) normalisation, lags 0..N−1.
std::vector<double> autocovariance(const std::vector<double>& x) {
  const auto n = static_cast<std::int64_t>(x.size());
  torch::Tensor t = torch::tensor(x, torch::kFloat64);
  t = t - t.mean();
  std::int64_t padded = 1;
  while (padded < 2 * n) padded <<= 1;  // zero-pad to avoid circular wrap-around
  torch::Tensor f = torch::fft::rfft(t, padded);
  torch::Tensor acov = torch::fft::irfft(f * f.conj(), padded).slice(0, 0, n) / static_cast<double>(n);
  acov = acov.contiguous();
  return std::vector<double>(acov.data_ptr<double>(), acov.data_ptr<double>() + n);
}

Draws indicator(const Draws& d, double threshold) {
  Draws out = d;
  for (auto& c : out)
    for (auto& v : c) v = v <= threshold ? 1.0 : 0.0;
  return out;
}

double quantile(std::vector<double> all, double q) {
  // Linear interpolation between order statistics (numpy's default).
  std::sort(all.begin(), all.end());
  const double pos = q * (all.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, all.size() - 1);
  return all[lo] + (pos - lo) * (all[hi] - all[lo]);
}

std::vector<double> pooled(const Draws& d) {
  std::vector<double> all;
  for (const auto& c : d) all.insert(all.end(), c.begin(), c.end());
  return all;
}

bool constant(const Draws& d) {
  const auto all = pooled(d);
  const auto [lo, hi] = std::minmax_element(all.begin(), all.end());
  return *hi - *lo < 1e-15;  // numpy's float64 resolution, as ArviZ
}

}  // namespace

std::vector<double> autocorrelation(const std::vector<double>& x) {
  std::vector<double> acov = autocovariance(x);
  const double v = acov[0];
  for (auto& a : acov) a = v > 0 ? a / v : 0.0;
  return acov;
}

Draws split_chains(const Draws& d) {
  check_shape(d, 4);
  const std::size_t half = d[0].size() / 2, n = d[0].size();
  Draws out;
  for (const auto& c : d) {
    out.emplace_back(c.begin(), c.begin() + half);
    out.emplace_back(c.begin() + (n - half), c.end());
  }
  return out;
}

Draws rank_normalize(const Draws& d) {
  check_shape(d, 1);
  const std::vector<double> all = pooled(d);
  const std::size_t s = all.size();
  std::vector<std::size_t> order(s);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all[a] < all[b]; });
  std::vector<double> rank(s);
  for (std::size_t i = 0; i < s;) {
    std::size_t j = i;
    while (j + 1 < s && all[order[j + 1]] == all[order[i]]) ++j;
    const double average = 0.5 * static_cast<double>(i + j) + 1.0;  // 1-based average rank of the tie
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = average;
    i = j + 1;
  }
  // Φ⁻¹(p) = √2·erfinv(2p − 1), over all draws at once.
  torch::Tensor p = (torch::tensor(rank, torch::kFloat64) - 0.375) / (static_cast<double>(s) + 0.25);
  torch::Tensor z = (std::sqrt(2.0) * torch::special::erfinv(2 * p - 1)).contiguous();
  const double* zp = z.data_ptr<double>();
  Draws out = d;
  for (auto& c : out)
    for (auto& v : c) v = *zp++;
  return out;
}

// Stan's ESS (Geyer's initial monotone sequence on the combined-chain autocorrelation).
double ess_raw(const Draws& d) {
  check_shape(d, 4);
  if (constant(d)) return static_cast<double>(d.size() * d[0].size());
  const std::size_t m = d.size(), n = d[0].size();
  std::vector<std::vector<double>> acov(m);
  std::vector<double> chain_mean(m), chain_var(m);
  for (std::size_t i = 0; i < m; ++i) {
    acov[i] = autocovariance(d[i]);
    chain_mean[i] = mean_of(d[i]);
    chain_var[i] = acov[i][0] * n / (n - 1.0);
  }
  const double mean_var = mean_of(chain_var);
  double var_plus = mean_var * (n - 1.0) / n;
  if (m > 1) var_plus += var_of(chain_mean, 1);
  auto acov_mean = [&](std::size_t t) {
    double s = 0;
    for (std::size_t i = 0; i < m; ++i) s += acov[i][t];
    return s / m;
  };
  // Signed indices: when the positive sequence stops at once (n < 5, or antithetic chains with
  // ρ̂₀ + ρ̂₁ ≤ 0) max_t is −1, and the estimate is τ = −1 + ρ̂₀ = 0, capped below as ArviZ does.
  std::vector<double> rho(n + 1, 0.0);
  const auto len = static_cast<std::ptrdiff_t>(n);
  rho[0] = 1.0;
  double rho_even = 1.0;
  double rho_odd = 1.0 - (mean_var - acov_mean(1)) / var_plus;
  rho[1] = rho_odd;
  std::ptrdiff_t t = 1;
  while (t + 3 < len && rho_even + rho_odd > 0) {  // Geyer's initial positive sequence
    rho_even = 1.0 - (mean_var - acov_mean(t + 1)) / var_plus;
    rho_odd = 1.0 - (mean_var - acov_mean(t + 2)) / var_plus;
    if (rho_even + rho_odd >= 0) {
      rho[t + 1] = rho_even;
      rho[t + 2] = rho_odd;
    }
    t += 2;
  }
  const std::ptrdiff_t max_t = t - 2;
  if (rho_even > 0) rho[max_t + 1] = rho_even;
  // Initial monotone sequence: pair sums never increase.
  for (t = 1; t + 2 <= max_t; t += 2) {
    if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]) {
      rho[t + 1] = (rho[t - 1] + rho[t]) / 2.0;
      rho[t + 2] = rho[t + 1];
    }
  }
  const double total = static_cast<double>(m * n);
  double tau = -1.0 + 2.0 * std::accumulate(rho.begin(), rho.begin() + (max_t + 1), 0.0) + rho[max_t + 1];
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

double ess_bulk(const Draws& d) { return ess_raw(rank_normalize(split_chains(d))); }

double ess_tail(const Draws& d) {
  const std::vector<double> all = pooled(d);  // quantiles of the unsplit draws, as ArviZ
  return std::min(ess_raw(split_chains(indicator(d, quantile(all, 0.05)))),
                  ess_raw(split_chains(indicator(d, quantile(all, 0.95)))));
}

double ess_mean(const Draws& d) { return ess_raw(split_chains(d)); }

double mcse_mean(const Draws& d) { return std::sqrt(var_of(pooled(d), 1) / ess_mean(d)); }

double rhat_basic(const Draws& d) {
  check_shape(d, 2);
  const std::size_t m = d.size(), n = d[0].size();
  std::vector<double> means(m), vars(m);
  for (std::size_t i = 0; i < m; ++i) {
    means[i] = mean_of(d[i]);
    vars[i] = var_of(d[i], 1);
  }
  const double b = m > 1 ? n * var_of(means, 1) : 0.0;
  const double w = mean_of(vars);
  return std::sqrt(((n - 1.0) / n * w + b / n) / w);
}

double rhat_rank(const Draws& d) {
  const double bulk = rhat_basic(rank_normalize(split_chains(d)));
  const double median = quantile(pooled(d), 0.5);
  Draws folded = d;
  for (auto& c : folded)
    for (auto& v : c) v = std::abs(v - median);
  return std::max(bulk, rhat_basic(rank_normalize(split_chains(folded))));
}

double rhat_nested(const Draws& d, int per) {
  check_shape(d, 1);
  if (per < 1 || d.size() % per != 0) throw std::invalid_argument("chains must divide into superchains evenly");
  const std::size_t k = d.size() / per, n = d[0].size();
  if (k < 2) throw std::invalid_argument("nested R̂ needs at least two superchains");
  std::vector<double> super_means(k);
  double w_total = 0;
  for (std::size_t s = 0; s < k; ++s) {
    std::vector<double> chain_means(per);
    double within = 0;
    for (int c = 0; c < per; ++c) {
      const auto& chain = d[s * per + c];
      chain_means[c] = mean_of(chain);
      if (n > 1) within += var_of(chain, 1);
    }
    within /= per;
    const double between = per > 1 ? var_of(chain_means, 1) : 0.0;
    super_means[s] = mean_of(chain_means);
    w_total += between + within;
  }
  const double w = w_total / k;
  const double b = var_of(super_means, 1);
  return std::sqrt(1.0 + b / w);
}

}  // namespace stanley
