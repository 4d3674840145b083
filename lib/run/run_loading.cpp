#include "run/run_loading.h"

#include <fmt/format.h>

#include "config/key_declarations.h"
#include "runtime/blas_kernels.h"

namespace stanley {

torch::Device parse_device(const Config& cfg) {
  const auto name = cfg.get<std::string>("device");
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) throw UserError("device=cuda but this libtorch sees no CUDA device");
    return torch::Device(name);
  }
  throw UserError(fmt::format("device: '{}' is not cpu, cuda or cuda:N", name));
}

torch::Device apply_runtime(const Config& cfg) {
  const torch::Device device = parse_device(cfg);
  const int threads = cfg.get<int>("threads");
  torch::set_num_threads(threads);
  // cuDNN may otherwise pick algorithms that accumulate in a different order on every call.
  const bool deterministic = cfg.get<bool>("deterministic", true);
  at::globalContext().setDeterministicCuDNN(deterministic);
  at::globalContext().setBenchmarkCuDNN(!deterministic);
  set_blas_threads(threads);
  return device;
}

LoadedRun load_run(const std::filesystem::path& path, const std::filesystem::path& config_dir) {
  RunDir dir = RunDir::open(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(dir.config_file().string());
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}: {}", dir.config_file().string(), e.msg));
  }
  try {
    if (const auto declared = KeyDeclarations::load(config_dir)) declared->validate(root);
  } catch (const UserError& e) {
    throw UserError(fmt::format("{}: {}", dir.config_file().string(), e.what()));
  }
  Config cfg(root);
  const torch::Device device = apply_runtime(cfg);
  return LoadedRun{std::move(dir), std::move(cfg), device};
}

}  // namespace stanley
