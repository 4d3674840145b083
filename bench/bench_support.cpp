#include "bench_support.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "config/compose.h"
#include "models/sampling_precision.h"
#include "runtime/blas_kernels.h"
#include "runtime/numerics_mode.h"
#include "runtime/host_allocator.h"

namespace stanley::bench {
namespace {

std::filesystem::path config_dir() { return std::filesystem::path(STANLEY_SOURCE_DIR) / "configs"; }

}  // namespace

Config compose_run(std::vector<std::string> overrides) {
  // As `stanley` does: configs name shipped files (the frozen fid_fmnist network) through this variable.
  setenv("STANLEY_SOURCE_DIR", STANLEY_SOURCE_DIR, /*overwrite=*/0);
  overrides.insert(overrides.begin(), fmt::format("run.root={}/results", STANLEY_SOURCE_DIR));
  return Config(compose_config(config_dir(), overrides).root);
}

EnergyPtr build_net(const std::string& name, const std::vector<std::int64_t>& sample_shape,
                    const std::vector<std::string>& overrides) {
  return make_energy(compose_group(config_dir(), "model", name, overrides), sample_shape);
}

SamplerPtr build_sampler(const std::string& name, const std::vector<std::string>& overrides) {
  const Config plain = compose_group(config_dir(), "sampler", name, overrides);
  if (!plain.has("adapt_step")) return make_sampler(plain);
  std::vector<std::string> fixed = overrides;
  fixed.push_back("adapt_step=false");
  return make_sampler(compose_group(config_dir(), "sampler", name, fixed));
}

int run_benchmarks(int argc, char** argv, void (*register_all)()) {
  enter_numerics_mode(argv);
  const bool kept = keep_freed_memory();
  register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::AddCustomContext("blas_core", blas_core());
  benchmark::AddCustomContext("freed_memory", kept ? "kept (runtime/host_allocator.h)" : "glibc default");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

void prepare_threads(int threads) {
  torch::set_num_threads(threads);
  set_blas_threads(threads);
  torch::manual_seed(0);
}

bool precision_available(benchmark::State& state, const std::string& precision) {
  if (precision.rfind("bf16", 0) != 0 || cpu_has_avx512_bf16()) return true;
  state.SkipWithError("no AVX512-BF16 on this CPU");
  return false;
}

EnergyPtr sampling_view(benchmark::State& state, const EnergyPtr& net, const std::string& name,
                        const std::vector<std::int64_t>& sample_shape, const std::vector<std::string>& overrides,
                        const std::string& precision) {
  if (precision == "fp32") return net;
  if (!precision_available(state, precision)) return nullptr;
  // "bf16" is the suite's bf16 setting (with channels-last; a VanillaNet's gradient by oneDNN directly);
  // "bf16_nchw" and "fp32_cl" take one change each; "bf16_autograd" is bf16 through libtorch's modules.
  const bool bf16 = precision.rfind("bf16", 0) == 0;
  const bool channels_last = precision != "bf16_nchw";
  EnergyPtr twin = build_net(name, sample_shape, overrides);
  SamplingPrecision p{bf16 ? torch::kBFloat16 : torch::kFloat32, channels_last};
  p.direct = precision == "bf16" && OnednnConvGradient::available();
  return std::make_shared<SamplingPrecisionEnergy>(net, twin, p);
}

double forward_flops(torch::nn::Module& net, const std::vector<std::int64_t>& sample_shape) {
  torch::NoGradGuard no_grad;
  // Output sizes by running each convolution on a zero map (padding's C++ type differs across libtorch versions).
  std::vector<std::int64_t> map{1};
  map.insert(map.end(), sample_shape.begin(), sample_shape.end());
  torch::Tensor x = torch::zeros(map);
  double flops = 0;
  for (const auto& m : net.modules(/*include_self=*/false)) {
    if (auto* conv = m->as<torch::nn::Conv2d>()) {
      x = conv->forward(x);
      const auto& w = conv->weight;  // [out, in, kh, kw]
      flops += 2.0 * static_cast<double>(w.size(1) * w.size(2) * w.size(3)) * static_cast<double>(x.numel());
    } else if (const auto* lin = m->as<torch::nn::Linear>()) {
      flops += 2.0 * static_cast<double>(lin->weight.numel());
    }
  }
  return flops;
}

}  // namespace stanley::bench
