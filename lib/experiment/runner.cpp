#include "experiment/runner.h"

#include <fmt/format.h>
#include <torch/version.h>

#include "experiment/experiment.h"
#include "io/build_info.h"
#include "training/checkpoint.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

torch::Device parse_device(const Config& cfg) {
  const auto name = cfg.get<std::string>("device");
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) throw UserError("device=cuda but this libtorch sees no CUDA device");
    return torch::Device(name);
  }
  throw UserError(fmt::format("device: '{}' is not cpu, cuda or cuda:N", name));
}

struct Prepared {
  Config cfg;
  torch::Device device;
  std::unique_ptr<Experiment> experiment;
};

Prepared prepare(const YAML::Node& root, const ExperimentRegistry& experiments) {
  Config cfg(root);
  const torch::Device device = parse_device(cfg);
  const int threads = cfg.get<int>("threads");
  if (threads < 1) throw UserError("threads must be >= 1");
  torch::set_num_threads(threads);
  auto experiment = make_experiment(experiments, cfg.get<std::string>("experiment"));
  // Model initialisation draws from the global generator: give it its own derived stream.
  torch::manual_seed(derive_seed(cfg.get<std::uint64_t>("seed"), "init"));
  experiment->setup(cfg, device);
  return {cfg, device, std::move(experiment)};
}

void write_provenance(H5File& h5, const Config& cfg) {
  const std::string text = cfg.to_yaml();
  h5.set_attr("config", text);
  h5.set_attr("config_hash", hash_text(text));
  h5.set_attr("git_sha", std::string(git_sha()));
  h5.set_attr("torch_version", std::string(TORCH_VERSION));
  h5.set_attr("experiment", cfg.get<std::string>("experiment"));
  h5.set_attr("sampler", cfg.get<std::string>("sampler.name"));
  h5.set_attr("device", cfg.get<std::string>("device"));
  h5.set_attr("seed", static_cast<std::int64_t>(cfg.get<long long>("seed")));
  h5.set_attr("threads", static_cast<std::int64_t>(torch::get_num_threads()));
  h5.flush();
}

// Runs the experiment, recording its outcome in metrics.h5's `status` attribute.
void run_recording_status(Experiment& experiment, RunContext& ctx) {
  ctx.h5.set_attr("status", std::string("running"));
  ctx.h5.flush();
  try {
    experiment.run(ctx);
  } catch (const DivergenceError& e) {
    ctx.h5.set_attr("status", std::string("diverged: ") + e.what());
    ctx.h5.flush();
    ctx.dir.log(std::string("diverged: ") + e.what());
    throw;
  }
  ctx.h5.set_attr("status", std::string("finished"));
  ctx.h5.flush();
}

}  // namespace

fs::path start_run(const ComposedConfig& composed, const ExperimentRegistry& experiments) {
  Prepared p = prepare(composed.root, experiments);
  std::optional<fs::path> explicit_dir;
  if (p.cfg.has("run.dir")) explicit_dir = fs::path(p.cfg.get<std::string>("run.dir"));
  RunDir dir = RunDir::create(p.cfg.get<std::string>("run.root"), p.cfg.get<std::string>("experiment"), explicit_dir);
  dir.write_config(p.cfg.to_yaml(), composed.overrides);
  dir.log(fmt::format("start: stanley run {}", join(composed.overrides, " ")));
  fmt::print(stderr, "run directory: {}\n", dir.path().string());
  H5File h5(dir.metrics_file(), H5File::Mode::kCreate);
  write_provenance(h5, p.cfg);
  RunGenerators gens(p.cfg.get<std::uint64_t>("seed"), p.device);
  RunContext ctx{p.cfg, dir, h5, p.device, gens, std::nullopt};
  run_recording_status(*p.experiment, ctx);
  return dir.path();
}

fs::path resume_run(const fs::path& path, const ExperimentRegistry& experiments) {
  RunDir dir = RunDir::open(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(dir.config_file().string());
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}: {}", dir.config_file().string(), e.msg));
  }
  Prepared p = prepare(root, experiments);
  const auto ckpt = latest_checkpoint(dir.checkpoints_dir());
  const bool have_metrics = fs::exists(dir.metrics_file());
  H5File h5(dir.metrics_file(), have_metrics ? H5File::Mode::kReadWrite : H5File::Mode::kCreate);
  // Everything logged after the checkpoint is replayed by the resumed run.
  h5.truncate_after(ckpt ? checkpoint_iteration(*ckpt) : -1);
  write_provenance(h5, p.cfg);
  dir.log(fmt::format("resume from {}", ckpt ? ckpt->string() : "the start (no checkpoint)"));
  fmt::print(stderr, "resuming {} from {}\n", dir.path().string(), ckpt ? ckpt->filename().string() : "the start");
  RunGenerators gens(p.cfg.get<std::uint64_t>("seed"), p.device);
  RunContext ctx{p.cfg, dir, h5, p.device, gens, ckpt};
  run_recording_status(*p.experiment, ctx);
  return dir.path();
}

}  // namespace stanley
