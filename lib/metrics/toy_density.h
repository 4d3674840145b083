#pragma once
// Toy-problem metrics (paper Fig. 1): compare the model's density exp f, normalised on a grid, and a
// histogram of short-run samples against a known true density on the same cells.

#include <torch/torch.h>

#include <functional>

#include "models/energy.h"

namespace stanley {

// n×n cell centres over [lo, hi]², row-major with y as the slow index (cell (iy, ix)).
struct Grid2D {
  double lo, hi;
  std::int64_t n;
  double cell() const { return (hi - lo) / static_cast<double>(n); }
  torch::Tensor centres() const;  // [n*n, 2], float64
};

struct Divergences {
  double kl;  // KL(p ‖ q) = Σ p log(p / max(q, floor))
  double tv;  // ½ Σ |p − q|, plus ½ of any mass of q outside the cells
};

// p, q: probabilities over the same cells. q may sum to < 1 (mass outside the grid).
Divergences compare_distributions(const torch::Tensor& p, const torch::Tensor& q, double floor);

// Probability of each cell from a density on cell centres (density × cell area), not renormalised.
torch::Tensor cell_probabilities(const std::function<torch::Tensor(const torch::Tensor&)>& density, const Grid2D& grid);
// exp f normalised over the grid cells (a softmax of f on the centres), float64, [n*n].
torch::Tensor model_cell_probabilities(EnergyModel& model, const Grid2D& grid, const torch::Device& device);
// Fraction of all samples in each of bins×bins cells over the grid's extent, [bins*bins], float64.
torch::Tensor sample_histogram(const torch::Tensor& samples, const Grid2D& grid, std::int64_t bins);
// Sums k×k blocks of an n×n cell vector: probabilities on the coarser histogram cells.
torch::Tensor pool_cells(const torch::Tensor& probs, std::int64_t n, std::int64_t k);

}  // namespace stanley
