#include "models/sampling_precision.h"

#include "models/vanilla_net.h"

#include <fmt/format.h>

#include <fstream>
#include <string>

namespace stanley {

bool cpu_has_avx512_bf16() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0) return line.find(" avx512_bf16") != std::string::npos;
  return false;
}

SamplingPrecision SamplingPrecision::from_config(const Config& cfg, const torch::Device& device, bool exact_sampler) {
  SamplingPrecision p;
  const auto name = cfg.get<std::string>("precision");
  p.channels_last = cfg.get<bool>("channels_last");
  if (name == "auto") {
    // The GPU default for image nets: bf16 weights and channels-last input while sampling (tensor cores);
    // fp32 where an MH test needs f to fp32 accuracy.
    if (device.is_cuda() && !exact_sampler) {
      p.dtype = torch::kBFloat16;
      p.channels_last = true;
    }
    // The CPU default: bf16 exactly where the study twin_bf16 found it equivalent to fp32 within its
    // declared margin (docs/figures/twin_bf16_*.md): a VanillaNet's f and ∇f through oneDNN directly, on
    // a CPU with AVX512-BF16; fp32 elsewhere (other nets, the autograd path, no AVX512-BF16, MH tests).
    const bool judged = cfg.has("model.name") && cfg.get<std::string>("model.name") == "vanilla_net" &&
                        cfg.get<double>("model.negative_slope", 0.0) > 0 &&
                        cfg.get<std::string>("sampling_gradient") == "direct";
    if (device.is_cpu() && !exact_sampler && judged && cpu_has_avx512_bf16() && OnednnConvGradient::available()) {
      p.dtype = torch::kBFloat16;
      p.direct = true;
    }
    return p;
  }
  if (name == "bf16") {
    p.dtype = torch::kBFloat16;
    p.direct = device.is_cpu() && cfg.get<std::string>("sampling_gradient") == "direct" && OnednnConvGradient::available();
  } else if (name != "fp32") {
    throw UserError(fmt::format("precision={}: expected fp32, bf16 or auto", name));
  }
  if (p.dtype == torch::kBFloat16) {
    if (device.is_cpu() && !cpu_has_avx512_bf16())
      throw UserError("precision=bf16: this CPU has no AVX512-BF16 (no avx512_bf16 in /proc/cpuinfo); bf16 would be "
                      "emulated and slower than fp32");
    if (exact_sampler)
      throw UserError(fmt::format("precision=bf16 with sampler={}: its Metropolis-Hastings test compares f to fp32 "
                                  "accuracy (bf16 keeps ~3 significant digits of f, and the test divides by T = ε²)",
                                  cfg.get<std::string>("sampler.name")));
  }
  return p;
}

SamplingPrecisionEnergy::SamplingPrecisionEnergy(EnergyPtr master, EnergyPtr twin, SamplingPrecision precision)
    : master_(std::move(master)), twin_(std::move(twin)), precision_(precision) {
  twin_->to(precision_.dtype);
  for (auto& p : twin_->parameters()) p.requires_grad_(false);  // only ∇_z is ever wanted
  master_params_ = master_->parameters();
  twin_params_ = twin_->parameters();
  if (master_params_.size() != twin_params_.size())
    throw std::logic_error("SamplingPrecisionEnergy: the twin's architecture differs from the master's");
  if (precision_.direct) {
    // The direct path takes LeakyReLU's backward from its output, which needs a slope > 0; a plain ReLU
    // (model.negative_slope=0) samples through autograd instead.
    const auto* net = dynamic_cast<const VanillaNetImpl*>(master_.get());
    if (net && net->negative_slope() > 0)
      direct_ = std::make_unique<OnednnConvGradient>(net->conv_layers(), net->negative_slope(), net->sample_shape(),
                                                     precision_.dtype);
  }
  sync();
}

void SamplingPrecisionEnergy::sync() {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < master_params_.size(); ++i) twin_params_[i].copy_(master_params_[i]);
  if (direct_) direct_->set_weights();
}

std::optional<EnergyGrad> SamplingPrecisionEnergy::analytic_energy_and_grad(const torch::Tensor& z) {
  if (!direct_ || !z.device().is_cpu()) return std::nullopt;
  return direct_->energy_and_grad(z.detach().to(torch::kFloat32));
}

torch::Tensor SamplingPrecisionEnergy::forward(const torch::Tensor& x) {
  torch::Tensor in = x.to(precision_.dtype);
  if (precision_.channels_last && in.dim() == 4) in = in.contiguous(torch::MemoryFormat::ChannelsLast);
  return twin_->forward(in).to(x.scalar_type());
}

}  // namespace stanley
