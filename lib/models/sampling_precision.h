#pragma once
// The energy net as the sampler sees it: optionally in bfloat16 and/or channels-last memory format.
// A twin of the training net holds the converted weights, copied from the training net once per EBM
// iteration (sync), so the K sampler steps never re-cast weights (autocast would, on every call).
// Chain states stay in the chain's dtype (fp32): they are cast on the way in, f is cast back on the
// way out, and ∇f reaches the chain in fp32 through autograd. The parameter update stays fp32.

#include "models/energy.h"
#include "models/onednn_conv_gradient.h"

namespace stanley {

struct SamplingPrecision {
  torch::Dtype dtype = torch::kFloat32;
  bool channels_last = false;
  // bf16 on a CPU: f and ∇f of a VanillaNet by oneDNN directly (models/onednn_conv_gradient.h) instead
  // of libtorch's modules and autograd (config `sampling_gradient`: direct | autograd).
  bool direct = false;
  bool is_default() const { return dtype == torch::kFloat32 && !channels_last; }
  // `precision` (fp32 | bf16) and `channels_last` of the run's config; refuses bf16 where this CPU
  // has no AVX512-BF16 and with samplers whose Metropolis-Hastings test needs f to fp32 accuracy.
  static SamplingPrecision from_config(const Config& cfg, const torch::Device& device, bool exact_sampler);
};

class SamplingPrecisionEnergy : public EnergyModel {
 public:
  // `twin` must have the master's architecture (built from the same config).
  SamplingPrecisionEnergy(EnergyPtr master, EnergyPtr twin, SamplingPrecision precision);
  // Copies (and converts) the master's current weights into the twin.
  void sync();
  torch::Tensor forward(const torch::Tensor& x) override;
  // The direct oneDNN path when precision.direct and the net is a VanillaNet, else none (autograd).
  std::optional<EnergyGrad> analytic_energy_and_grad(const torch::Tensor& z) override;
  bool direct() const { return direct_ != nullptr; }

 private:
  EnergyPtr master_, twin_;
  SamplingPrecision precision_;
  std::unique_ptr<OnednnConvGradient> direct_;
  std::vector<torch::Tensor> master_params_, twin_params_;
};

// True when this CPU advertises AVX512-BF16 (/proc/cpuinfo flag avx512_bf16).
bool cpu_has_avx512_bf16();

}  // namespace stanley
