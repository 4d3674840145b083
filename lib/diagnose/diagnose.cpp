#include "diagnose/diagnose.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/text_distance.h"
#include "data/dataset.h"
#include "diagnose/diagnose_report.h"
#include "metrics/chain_study.h"
#include "metrics/coupling.h"
#include "models/energy.h"
#include "run/run_assembly.h"
#include "run/run_loading.h"
#include "samplers/sampler_registry.h"
#include "training/chain_init.h"
#include "training/checkpoint.h"
#include "training/generators.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

// The sampler's own YAML with the run's step size, noise and th where it has those keys, so every
// sampler runs at the settings the model was trained with and on the same target exp(f/ε²); then what
// the sampler's registry entry changes for a long chain (STANLEY: γ from the current state).
YAML::Node matched_sampler_config(const fs::path& config_dir, const std::string& name, const Config& run) {
  const fs::path file = config_dir / "sampler" / (name + ".yaml");
  if (!fs::exists(file)) {
    std::vector<std::string> known;
    for (const auto& e : fs::directory_iterator(config_dir / "sampler")) known.push_back(e.path().stem().string());
    throw UserError(fmt::format("no sampler config {}{}", file.string(), closest_hint(name, known)));
  }
  YAML::Node node = YAML::LoadFile(file.string());
  for (const char* key : {"step_size", "noise", "th"}) {
    if (node[key] && run.has(std::string("sampler.") + key)) node[key] = run.get<double>(std::string("sampler.") + key);
  }
  return long_chain_sampler_config(node);
}

}  // namespace

fs::path run_diagnose(const DiagnoseOptions& o) {
  const LoadedRun run = load_run(o.run_dir, o.config_dir);
  const Config& cfg = run.cfg;
  const torch::Device device = run.device;
  // The run as it was assembled; its own sampler and trainer stay unused.
  const RunAssembly assembled = assemble_run(cfg, device);
  const DatasetPtr& data = assembled.data;
  const auto shape = data->sample_shape();
  const EnergyPtr& model = assembled.model;
  const fs::path ckpt_dir = run.dir.checkpoints_dir();
  const fs::path ckpt = o.checkpoint ? checkpoint_path(ckpt_dir, *o.checkpoint) : latest_checkpoint(ckpt_dir).value_or(fs::path());
  if (ckpt.empty()) throw UserError(fmt::format("{} has no checkpoints", ckpt_dir.string()));
  const std::int64_t iteration = load_checkpoint(ckpt, *model, nullptr, nullptr, device);
  model->eval();
  const ChainInit& init = *assembled.init;

  // Build every sampler first: a bad name fails before anything is written.
  std::vector<std::pair<std::string, YAML::Node>> sampler_cfgs;
  for (const auto& name : o.samplers) sampler_cfgs.emplace_back(name, matched_sampler_config(o.config_dir, name, cfg));
  for (const auto& [name, node] : sampler_cfgs) make_sampler(Config(node, "sampler"));

  DiagnoseReport report(run.dir.path() / "diagnostics.h5", cfg.to_yaml(), iteration, o);
  ChainStudyOptions study;
  study.steps = o.steps;
  study.superchain = static_cast<int>(o.superchain);
  for (const auto& [name, node] : sampler_cfgs) {
    const Config scfg(node, "sampler");
    SamplerPtr sampler = make_sampler(scfg);
    at::Generator gen = make_generator(device, derive_seed(o.seed, "diagnose/" + name));
    at::Generator gen_data = make_generator(torch::kCPU, derive_seed(o.seed, "diagnose/data"));

    torch::Tensor z0 = init.draw(o.chains, shape, gen, device);
    if (o.adapt && sampler->adaptable()) {
      const double target = o.target_accept ? *o.target_accept : scfg.get<double>("target_accept", 0.8);
      z0 = adapt_step_size(*model, *sampler, z0, o.steps, target, gen);
    }
    const ChainStudy chains = study_chains(*model, *sampler, z0, data->batch(o.chains, gen_data, device), study, gen);

    std::optional<CouplingResult> coupling;
    if (sampler->couplable()) {
      CouplingOptions co;
      co.pairs = o.pairs;
      co.lag = o.lag;
      co.max_steps = o.steps;
      co.horizon = o.steps;  // the bound over the whole run: slow kernels meet late
      torch::Tensor x0 = init.draw(o.pairs, shape, gen, device), y0 = init.draw(o.pairs, shape, gen, device);
      coupling = llag_coupling(*model, *sampler, x0, y0, co, gen);
    }
    report.add(name, chains, coupling);
  }
  return report.path();
}

}  // namespace stanley
