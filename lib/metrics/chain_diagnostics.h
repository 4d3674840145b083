#pragma once
// MCMC convergence diagnostics as Stan and ArviZ define them (Vehtari, Gelman, Simpson, Carpenter &
// Bürkner 2021, "Rank-normalization, folding, and localization: an improved R̂"), plus nested R̂ for
// many short chains (Margossian, Hoffman, Sountsov, Riou-Durand, Vehtari & Gelman 2024).
//
// A draw set is chains × draws: draws[m][n] is draw n of chain m, all chains the same length.

#include <vector>

namespace stanley {

using Draws = std::vector<std::vector<double>>;

// Normalised autocorrelation ρ_0..ρ_{N−1} of one series, by FFT (zero-padded, biased estimator).
std::vector<double> autocorrelation(const std::vector<double>& x);

// Each chain cut into two halves (the middle draw dropped when N is odd).
Draws split_chains(const Draws& draws);
// Pooled ranks (ties averaged) mapped through Φ⁻¹((r − 3/8) / (S + 1/4)).
Draws rank_normalize(const Draws& draws);

// ESS of the given chains as they are (Geyer's initial monotone sequence over the multi-chain
// autocorrelation); no splitting or normalisation.
double ess_raw(const Draws& draws);
// Bulk ESS: split, rank-normalised.
double ess_bulk(const Draws& draws);
// Tail ESS: the smaller ESS of the 5% and 95% quantile indicators, split.
double ess_tail(const Draws& draws);
// ESS for the mean: split, raw values.
double ess_mean(const Draws& draws);
// Monte Carlo standard error of the mean: sd / √ess_mean.
double mcse_mean(const Draws& draws);

// Classic potential scale reduction on the chains as given.
double rhat_basic(const Draws& draws);
// Rank-normalised split R̂: max of the bulk and folded (|θ − median|) versions.
double rhat_rank(const Draws& draws);
// Nested R̂: draws grouped into superchains of `chains_per_superchain` consecutive chains.
double rhat_nested(const Draws& draws, int chains_per_superchain);

}  // namespace stanley
