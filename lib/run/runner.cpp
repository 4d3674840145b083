#include "run/runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/version.h>

#include "config/compose.h"
#include "config/yaml_tree.h"
#include "run/experiment.h"
#include "run/run_loading.h"
#include "runtime/blas_kernels.h"
#include "runtime/build_info.h"
#include "runtime/numerics_mode.h"
#include "store/run_lock.h"
#include "store/run_status.h"
#include "training/checkpoint.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

struct Prepared {
  Config cfg;
  torch::Device device;
  std::unique_ptr<Experiment> experiment;
};

Prepared prepare(const YAML::Node& root, const ExperimentRegistry& experiments) {
  Config cfg(root);
  require_numerics_mode(cfg.get<std::string>("numerics"));  // may run this command again in the config's mode
  const torch::Device device = apply_runtime(cfg);
  auto experiment = make_experiment(experiments, cfg.get<std::string>("experiment"));
  // Model initialisation draws from the global generator: give it its own derived stream.
  torch::manual_seed(derive_seed(cfg.get<std::uint64_t>("seed"), "init"));
  experiment->setup(cfg, device);
  return {cfg, device, std::move(experiment)};
}

void write_provenance(MetricsLog& metrics, const Config& cfg) {
  const std::string text = cfg.to_yaml();
  metrics.set_attr("config", text);
  metrics.set_attr("config_hash", hash_text(text));
  metrics.set_attr("git_sha", std::string(git_sha()));
  metrics.set_attr("torch_version", std::string(TORCH_VERSION));
  metrics.set_attr("experiment", cfg.get<std::string>("experiment"));
  metrics.set_attr("sampler", cfg.get<std::string>("sampler.name"));
  metrics.set_attr("device", cfg.get<std::string>("device"));
  metrics.set_attr("seed", static_cast<std::int64_t>(cfg.get<long long>("seed")));
  metrics.set_attr("threads", static_cast<std::int64_t>(torch::get_num_threads()));
  const KernelChoices kernels = kernel_choices();
  metrics.set_attr("numerics", kernels.mode);
  metrics.set_attr("blas_core", kernels.blas_core);
  metrics.set_attr("onednn_isa", kernels.onednn_isa);
  metrics.set_attr("aten_cpu_capability", kernels.aten_capability);
  metrics.set_attr("precision", cfg.get<std::string>("precision"));
  metrics.flush();
}

// Runs the experiment, recording its outcome in metrics.h5's `status` attribute.
void run_recording_status(Experiment& experiment, RunContext& ctx) {
  ctx.metrics.set_attr("status", std::string(run_status::kRunning));
  ctx.metrics.flush();
  try {
    experiment.run(ctx);
  } catch (const InterruptedError& e) {
    ctx.metrics.set_attr("status", std::string(run_status::kInterrupted));
    ctx.metrics.flush();
    throw;
  } catch (const DivergenceError& e) {
    ctx.metrics.set_attr("status", run_status::with_reason(run_status::kDiverged, e.what()));
    ctx.metrics.flush();
    ctx.dir.log(run_status::with_reason(run_status::kDiverged, e.what()));
    throw;
  } catch (const std::exception& e) {
    // Anything else that stops a started run says so in the file: never `running` forever.
    ctx.metrics.set_attr("status", run_status::with_reason(run_status::kFailed, e.what()));
    ctx.metrics.flush();
    ctx.dir.log(run_status::with_reason(run_status::kFailed, e.what()));
    throw;
  }
  ctx.metrics.set_attr("status", std::string(run_status::kFinished));
  ctx.metrics.flush();
}

}  // namespace

fs::path start_run(const ComposedConfig& composed, const ExperimentRegistry& experiments) {
  Prepared p = prepare(composed.root, experiments);
  std::optional<fs::path> explicit_dir;
  if (p.cfg.has("run.dir")) explicit_dir = fs::path(p.cfg.get<std::string>("run.dir"));
  RunDir dir = RunDir::create(p.cfg.get<std::string>("run.root"), p.cfg.get<std::string>("experiment"), explicit_dir);
  const RunLock lock(dir.path());
  dir.write_config(p.cfg.to_yaml(), composed.overrides);
  dir.log(fmt::format("start: stanley run {}", fmt::join(composed.overrides, " ")));
  fmt::print(stderr, "run directory: {}\n", dir.path().string());
  MetricsLog metrics(dir.metrics_file(), MetricsLog::Open::kCreate);
  write_provenance(metrics, p.cfg);
  RunGenerators gens(p.cfg.get<std::uint64_t>("seed"), p.device);
  RunContext ctx{p.cfg, dir, metrics, p.device, gens, std::nullopt};
  run_recording_status(*p.experiment, ctx);
  return dir.path();
}

namespace {

// The run's recorded status, or "" where metrics.h5 is absent or has none.
std::string recorded_status(const RunDir& dir) {
  if (!fs::exists(dir.metrics_file())) return "";
  const H5File existing(dir.metrics_file(), H5File::Mode::kReadOnly);
  return existing.has_attr("status") ? existing.read_string_attr("status") : "";
}

}  // namespace

fs::path resume_run(const fs::path& path, const fs::path& config_dir, const ExperimentRegistry& experiments,
                    const ResumeOptions& options) {
  LoadedRun run = load_run(path, config_dir);
  const RunDir& dir = run.dir;
  const RunLock lock(dir.path());  // before anything is read for writing: a live run is never touched
  // A finished run is a result: resuming it must not rewrite a byte of it, whatever its checkpoints.
  if (recorded_status(dir) == run_status::kFinished)
    throw UserError(fmt::format("{} already finished; nothing to resume (start a new run, or `stanley rerun {}`)",
                                dir.path().string(), dir.path().string()));
  Prepared p = prepare(run.cfg.node(), experiments);
  // A checkpoint that does not open (truncated by a full disk, corrupt) is skipped, not deleted.
  std::vector<std::string> skipped;
  const auto ckpt = latest_readable_checkpoint(dir.checkpoints_dir(), &skipped);
  // A checkpoint of another run (copied in, or config.yaml edited since) would load and continue a
  // different experiment under this run's name: refused before anything is written.
  if (ckpt) {
    const auto written_with = checkpoint_config_hash(*ckpt);
    const std::string expected = run_identity_hash(p.cfg);
    if (written_with && *written_with != expected)
      throw UserError(fmt::format("{} was written by a run with another config (hash {} vs this run's {}): not "
                                  "resuming from it; nothing was changed", ckpt->string(), *written_with, expected));
  }
  const bool have_metrics = fs::exists(dir.metrics_file());
  // Starting over would truncate everything logged: only when asked.
  if (have_metrics && !ckpt && !options.from_scratch)
    throw UserError(fmt::format("{} has no readable checkpoint in {}: resuming would start over and truncate its "
                                "metrics.h5; nothing was changed (`stanley resume --from-scratch {}` starts over)",
                                dir.path().string(), dir.checkpoints_dir().string(), dir.path().string()));
  if (!ckpt) fs::create_directories(dir.checkpoints_dir());
  for (const auto& line : skipped) {  // said once every refusal above has passed: a refused resume writes nothing
    const std::string said = fmt::format("resume: {}; {}", line, ckpt ? "using an earlier checkpoint" : "starting over");
    fmt::print(stderr, "{}\n", said);
    dir.log(said);
  }
  MetricsLog metrics(dir.metrics_file(), have_metrics ? MetricsLog::Open::kContinue : MetricsLog::Open::kCreate);
  // Everything logged after the checkpoint is replayed by the resumed run.
  metrics.truncate_after(ckpt ? checkpoint_iteration(*ckpt) : -1);
  write_provenance(metrics, p.cfg);
  dir.log(fmt::format("resume from {}", ckpt ? ckpt->string() : "the start (no checkpoint)"));
  fmt::print(stderr, "resuming {} from {}\n", dir.path().string(), ckpt ? ckpt->filename().string() : "the start");
  RunGenerators gens(p.cfg.get<std::uint64_t>("seed"), p.device);
  RunContext ctx{p.cfg, dir, metrics, p.device, gens, ckpt};
  run_recording_status(*p.experiment, ctx);
  return dir.path();
}

}  // namespace stanley
