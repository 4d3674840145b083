#include "metrics/coupling.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "random/draws.h"
#include "samplers/chain_ops.h"

namespace stanley {
namespace {

// The bootstrap of the rate's interval resamples with its own fixed seed: the same meeting times give the
// same interval, whatever the run's streams did.
constexpr std::uint64_t kBootstrapSeed = 12345;

// The sampler's kernel at z; a sampler without one cannot be coupled here.
GaussianKernel kernel_at(EnergyModel& f, const Sampler& sampler, const torch::Tensor& z) {
  if (!sampler.couplable()) throw std::invalid_argument("this sampler has no Gaussian Markov kernel with noise to couple");
  return *sampler.gaussian_kernel(z, energy_and_grad(f, z).grad);
}

}  // namespace

namespace {

// Reflection-maximal coupling of N(mx, σ²I) and N(my, σ²I): the optimal coupling for a shared σ.
std::pair<torch::Tensor, torch::Tensor> reflection_maximal(const GaussianKernel& kx, const GaussianKernel& ky,
                                                           const torch::Tensor& x, at::Generator& gen) {
  const torch::Tensor log_u = draw::uniform({x.size(0)}, gen, x.options()).log();
  const torch::Tensor z = (kx.mean - ky.mean) / kx.std;
  const torch::Tensor xi = draw::normal_like(x, gen);
  const torch::Tensor zn = z.flatten(1).norm(2, 1);
  const torch::Tensor e = z / per_chain(zn.clamp_min(1e-300), z);
  const torch::Tensor meet = log_u <= -0.5 * ((xi + z).flatten(1).pow(2).sum(1) - xi.flatten(1).pow(2).sum(1));
  const torch::Tensor reflected = xi - 2.0 * per_chain((e * xi).flatten(1).sum(1), xi) * e;
  const torch::Tensor xn = kernel_draw(kx, xi);
  const torch::Tensor yn = torch::where(per_chain(meet, x), xn, kernel_draw(ky, reflected));
  return {xn, yn};
}

// Rejection maximal coupling of N(mx, diag sx²) and N(my, diag sy²): any two Gaussians, at the price
// of a loop of random length (and a host sync per round).
std::pair<torch::Tensor, torch::Tensor> rejection_maximal(const GaussianKernel& kx, const GaussianKernel& ky,
                                                          const torch::Tensor& x, at::Generator& gen) {
  const auto n = x.size(0);
  const torch::Tensor log_u = draw::uniform({n}, gen, x.options()).log();
  const torch::Tensor xn = kernel_draw(kx, draw::normal_like(x, gen));
  const torch::Tensor meet = log_u + log_gaussian(xn, kx) <= log_gaussian(xn, ky);
  torch::Tensor yn = xn.clone();
  torch::Tensor pending = ~meet;
  for (int attempt = 0; pending.any().item<bool>(); ++attempt) {
    if (attempt > 10000) throw std::runtime_error("rejection coupling did not terminate");
    const torch::Tensor cand = kernel_draw(ky, draw::normal_like(x, gen));
    const torch::Tensor lu = draw::uniform({n}, gen, x.options()).log();
    const torch::Tensor ok = pending & (lu + log_gaussian(cand, ky) > log_gaussian(cand, kx));
    yn = torch::where(per_chain(ok, x), cand, yn);
    pending = pending & ~ok;
  }
  return {xn, yn};
}

}  // namespace

// The coupling follows from the kernels' structure, not from a name a user could mismatch.
std::pair<torch::Tensor, torch::Tensor> coupled_step(EnergyModel& f, const Sampler& sampler,
                                                     const torch::Tensor& x, const torch::Tensor& y,
                                                     at::Generator& gen) {
  const GaussianKernel kx = kernel_at(f, sampler, x), ky = kernel_at(f, sampler, y);
  return kx.state_dependent ? rejection_maximal(kx, ky, x, gen) : reflection_maximal(kx, ky, x, gen);
}

std::vector<double> tv_upper_bound(const std::vector<std::int64_t>& tau, std::int64_t lag, std::int64_t horizon) {
  std::vector<double> out(horizon + 1, 0.0);
  for (std::int64_t k = 0; k <= horizon; ++k) {
    double s = 0;
    for (auto t : tau) s += std::max<double>(0.0, std::ceil(static_cast<double>(t - lag - k) / lag));
    out[k] = s / static_cast<double>(tau.size());
  }
  return out;
}

namespace {
// Slope of log tv on k over points strictly between floor and 1.
std::pair<double, std::int64_t> log_slope(const std::vector<double>& tv, double floor) {
  double sk = 0, sy = 0, skk = 0, sky = 0;
  std::int64_t n = 0;
  for (std::size_t k = 0; k < tv.size(); ++k) {
    if (tv[k] <= floor || tv[k] >= 1.0) continue;
    const double y = std::log(tv[k]);
    sk += k, sy += y, skk += double(k) * k, sky += k * y, ++n;
  }
  if (n < 3) return {NAN, n};
  return {(n * sky - sk * sy) / (n * skk - sk * sk), n};
}
}  // namespace

RateFit fit_rate(const std::vector<std::int64_t>& tau, std::int64_t lag, std::int64_t horizon, std::int64_t bootstrap,
                 std::uint64_t seed) {
  // Below ~10 pairs' worth of mass the bound is Monte Carlo noise.
  const double floor = 10.0 / static_cast<double>(tau.size());
  RateFit fit;
  auto [slope, n] = log_slope(tv_upper_bound(tau, lag, horizon), floor);
  fit.rho = std::exp(slope);
  fit.points = n;
  if (std::isnan(slope)) return fit;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, tau.size() - 1);
  std::vector<double> rhos;
  std::vector<std::int64_t> resample(tau.size());
  for (std::int64_t b = 0; b < bootstrap; ++b) {
    for (auto& t : resample) t = tau[pick(rng)];
    const double s = log_slope(tv_upper_bound(resample, lag, horizon), floor).first;
    if (!std::isnan(s)) rhos.push_back(std::exp(s));
  }
  if (rhos.size() >= 10) {
    std::sort(rhos.begin(), rhos.end());
    fit.lo = rhos[static_cast<std::size_t>(0.025 * (rhos.size() - 1))];
    fit.hi = rhos[static_cast<std::size_t>(0.975 * (rhos.size() - 1))];
  }
  return fit;
}

CouplingResult llag_coupling(EnergyModel& f, const Sampler& sampler, torch::Tensor x, torch::Tensor y,
                             const CouplingOptions& o, at::Generator& gen) {
  FrozenParameters frozen(f);
  auto marginal_step = [&](const torch::Tensor& z) { return kernel_draw(kernel_at(f, sampler, z), draw::normal_like(z, gen)); };
  for (std::int64_t t = 0; t < o.lag; ++t) x = marginal_step(x);  // X runs L steps ahead of Y
  const auto n = x.size(0);
  std::vector<std::int64_t> tau(n, o.max_steps);
  torch::Tensor alive = torch::arange(n);  // indices of pairs not yet met
  for (std::int64_t t = o.lag + 1; t <= o.max_steps && alive.numel() > 0; ++t) {
    auto [xn, yn] = coupled_step(f, sampler, x, y, gen);
    const torch::Tensor met = (xn == yn).flatten(1).all(1);
    if (met.any().item<bool>()) {
      const torch::Tensor idx = alive.index({met});
      for (std::int64_t i = 0; i < idx.numel(); ++i) tau[idx[i].item<std::int64_t>()] = t;
      const torch::Tensor keep = ~met;
      alive = alive.index({keep});
      xn = xn.index({keep});
      yn = yn.index({keep});
    }
    x = xn;
    y = yn;
  }
  CouplingResult r;
  r.unmet = alive.numel();
  r.meeting_times = tau;
  r.tv_bound = tv_upper_bound(tau, o.lag, o.horizon);
  r.rate = fit_rate(tau, o.lag, o.horizon, o.bootstrap, kBootstrapSeed);
  return r;
}

ContractionResult synchronous_contraction(EnergyModel& f, const Sampler& sampler, torch::Tensor x,
                                          torch::Tensor y, std::int64_t steps, at::Generator& gen) {
  FrozenParameters frozen(f);
  ContractionResult r;
  r.mean_distance.push_back((x - y).flatten(1).norm(2, 1).mean().item<double>());
  for (std::int64_t k = 0; k < steps; ++k) {
    const torch::Tensor xi = draw::normal_like(x, gen);
    x = kernel_draw(kernel_at(f, sampler, x), xi);
    y = kernel_draw(kernel_at(f, sampler, y), xi);
    r.mean_distance.push_back((x - y).flatten(1).norm(2, 1).mean().item<double>());
  }
  // Geometric rate over the steps whose distance is still above 1e-12 of the start.
  const double d0 = r.mean_distance[0];
  std::vector<double> rel;
  for (double d : r.mean_distance) rel.push_back(d0 > 0 ? d / d0 : 0.0);
  double sk = 0, sy = 0, skk = 0, sky = 0;
  std::int64_t n = 0;
  for (std::size_t k = 0; k < rel.size(); ++k) {
    if (!(rel[k] > 1e-12)) break;
    const double yv = std::log(rel[k]);
    sk += k, sy += yv, skk += double(k) * k, sky += k * yv, ++n;
  }
  if (n >= 2) r.rate = std::exp((n * sky - sk * sy) / (n * skk - sk * sk));
  return r;
}

}  // namespace stanley
