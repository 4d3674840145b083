#pragma once
#include "config/config.h"
#include "samplers/gaussian_transition.h"

namespace stanley {

// STANLEY (Karimi, Xie & Li, 2023), Algorithm 1, eq. (4)-(5), per coordinate:
//   γ_t = th / max(th, |∇f_θt(z_{t−1}^m)|)          (4)
//   z_k = z_{k−1} + (γ_t/2)⊙∇f(z_{k−1}) + √γ_t⊙ε·ξ   (5)
// where z_{t−1}^m is chain m's sample from the previous EBM iteration and γ_t stays fixed for the K
// steps of iteration t. Where |∇f| exceeds th the drift is (th/2)·sign(∇f) and the noise shrinks with it.
// With γ fixed the K steps are Langevin preconditioned by diag γ: stationary law ≈ π_T, T = ε².
//
// Variants (ablations, docs/samplers.md):
//   gamma_at: previous_samples (eq. 4) | chain_start (γ from ∇f at z_0 of the same chain) |
//             every_step (γ from ∇f at the current state: the Markov kernel of the ergodicity analysis)
//   gamma_times_s: false (eq. 4) | true (γ multiplied by the step s, so γ ≤ s as Langevin's step)
//   scale: elementwise (the paper) | l2 (one γ per sample from ‖∇f‖, the isotropic ablation)
//   clip_fraction: q > 0 sets th at each γ computation to the (1 − q) quantile of |∇f| over the batch's
//             coordinates, so that a fraction q is clipped whatever the scale of f (th is then ignored)
class StanleyKernel : public GaussianTransition {
 public:
  enum class GammaAt { kPreviousSamples, kChainStart, kEveryStep };
  enum class Scale { kElementwise, kL2 };

  struct Options {
    double step_size = 0.14;
    double noise = 1.0;
    double th = 0.01;
    GammaAt gamma_at = GammaAt::kPreviousSamples;
    bool gamma_times_s = false;
    Scale scale = Scale::kElementwise;
    double clip_fraction = 0.0;  // 0: th as given
  };

  // The name of the previous samples in the state carried between calls (and in checkpoints).
  static constexpr const char* kPreviousSamples = "stanley_previous_samples";

  explicit StanleyKernel(Options o) : o_(o) {}
  KernelPtr clone() const override { return std::make_unique<StanleyKernel>(*this); }
  KernelTraits traits() const override;
  // γ for the call (gamma_at other than every_step): from ∇f at the previous samples carried, else at the start.
  KernelState init(EnergyModel& energy, const ChainState& start, const KernelState& carried, double step_size) const override;
  KernelState carry(const ChainState& last) const override;
  GaussianKernel kernel_at(const torch::Tensor& z, const torch::Tensor& grad, const KernelState& aux, double step_size,
                           InfoPtr* info) const override;

  // γ from a gradient (eq. 4, or a variant).
  torch::Tensor gamma(const torch::Tensor& grad, double step_size) const;
  // The largest γ: 1, or s with gamma_times_s.
  double gamma_max(double step_size) const { return o_.gamma_times_s ? step_size : 1.0; }

 protected:
  bool markov() const override { return o_.gamma_at == GammaAt::kEveryStep; }

 private:
  // γ from magnitudes and a threshold tensor (undefined: the fixed th).
  torch::Tensor gamma_for(const torch::Tensor& magnitude, const torch::Tensor& th, double step_size) const;
  // |∇f| per coordinate, or each sample's ‖∇f‖ spread over its coordinates (scale l2).
  torch::Tensor magnitude(const torch::Tensor& grad) const;
  // The (1 − clip_fraction) quantile of these magnitudes (a 0-dim tensor).
  torch::Tensor threshold(const torch::Tensor& magnitude) const;
  Options o_;
};

// Reads the STANLEY keys of a sampler section (step_size, noise, th, gamma_at, gamma_times_s, scale, clip_fraction).
StanleyKernel::Options stanley_options(const Config& cfg);

KernelPtr make_stanley(const Config& cfg);
// STANLEY's kernel with γ from the current state as a Metropolis–Hastings proposal: exact for π_T.
KernelPtr make_stanley_mh(const Config& cfg);

}  // namespace stanley
