#include "metrics/sample_quality.h"

namespace stanley {
namespace {

torch::Tensor flat64(const torch::Tensor& t) { return t.detach().flatten(1).to(torch::kFloat64); }

// Mean of the off-diagonal entries of a square matrix.
double off_diagonal_mean(const torch::Tensor& m) {
  const auto n = m.size(0);
  return ((m.sum() - m.diagonal().sum()) / static_cast<double>(n * (n - 1))).item<double>();
}

}  // namespace

double ksd_imq(const torch::Tensor& x_in, const torch::Tensor& score_in, double c, double beta) {
  const torch::Tensor x = flat64(x_in), s = flat64(score_in);
  const auto d = static_cast<double>(x.size(1));
  const torch::Tensor r = x.unsqueeze(1) - x.unsqueeze(0);  // r_ij = x_i − x_j
  const torch::Tensor r2 = r.pow(2).sum(2);
  const torch::Tensor q = c * c + r2;
  const torch::Tensor k = q.pow(beta);
  // ∇_x k = 2β q^{β−1} r, ∇_y k = −2β q^{β−1} r, tr ∇_x∇_y k = −2βd q^{β−1} − 4β(β−1) q^{β−2} ‖r‖².
  const torch::Tensor qb1 = q.pow(beta - 1);
  const torch::Tensor ss = s.matmul(s.t());
  const torch::Tensor s_i_r = (s.unsqueeze(1) * r).sum(2);  // s(x_i)·r_ij
  const torch::Tensor s_j_r = (s.unsqueeze(0) * r).sum(2);  // s(x_j)·r_ij
  const torch::Tensor u = ss * k + 2 * beta * qb1 * (s_j_r - s_i_r) - 2 * beta * d * qb1 -
                          4 * beta * (beta - 1) * q.pow(beta - 2) * r2;
  return off_diagonal_mean(u);
}

double mmd_rbf(const torch::Tensor& x_in, const torch::Tensor& y_in) {
  const torch::Tensor x = flat64(x_in), y = flat64(y_in);
  const torch::Tensor pooled = torch::cat({x, y});
  const torch::Tensor d2 = torch::cdist(pooled, pooled).pow(2);
  const auto n = pooled.size(0);
  const torch::Tensor upper = d2.masked_select(torch::triu(torch::ones({n, n}, torch::kBool), 1));
  const double h2 = upper.median().item<double>();  // median heuristic on squared distances
  const torch::Tensor kern = torch::exp(-d2 / (2.0 * (h2 > 0 ? h2 : 1.0)));
  const auto nx = x.size(0);
  const torch::Tensor kxx = kern.slice(0, 0, nx).slice(1, 0, nx);
  const torch::Tensor kyy = kern.slice(0, nx).slice(1, nx);
  const torch::Tensor kxy = kern.slice(0, 0, nx).slice(1, nx);
  return off_diagonal_mean(kxx) + off_diagonal_mean(kyy) - 2 * kxy.mean().item<double>();
}

double energy_distance(const torch::Tensor& x_in, const torch::Tensor& y_in) {
  const torch::Tensor x = flat64(x_in), y = flat64(y_in);
  return 2 * torch::cdist(x, y).mean().item<double>() - off_diagonal_mean(torch::cdist(x, x)) -
         off_diagonal_mean(torch::cdist(y, y));
}

}  // namespace stanley
