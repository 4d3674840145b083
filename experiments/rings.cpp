// Paper Fig. 1: EBM on the 2-D rings toy, with exact density metrics on a grid.
#include "experiments/rings.h"

#include <fmt/format.h>

#include "data/rings.h"
#include "metrics/toy_density.h"
#include "models/energy.h"
#include "run/experiment.h"
#include "run/run_assembly.h"
#include "run/training_diagnostics.h"
#include "training/generators.h"
#include "training/trainer.h"

namespace stanley {
namespace {

class RingsExperiment : public Experiment {
 public:
  void setup(const Config& cfg, const torch::Device& device) override {
    device_ = device;
    AssemblyOptions options;
    options.reduced_precision = false;  // the toy's MLP samples through its hand-written gradient in fp32
    options.check_data = [](const DatasetPtr& data) {
      if (!std::dynamic_pointer_cast<RingsDataset>(data))
        throw UserError("experiment=rings needs data=rings: its metrics use the exact rings density");
    };
    run_ = assemble_run(cfg, device, options);
    rings_ = std::dynamic_pointer_cast<RingsDataset>(run_.data);
    grid_ = Grid2D{cfg.get<double>("eval.grid.lo"), cfg.get<double>("eval.grid.hi"), cfg.get<long>("eval.grid.n")};
    eval_samples_ = cfg.get<long>("eval.n_samples");
    hist_bins_ = cfg.get<long>("eval.hist_bins");
    floor_ = cfg.get<double>("eval.floor");
    cfg.require(grid_.hi > grid_.lo, "eval.grid.hi", "> eval.grid.lo");  // ranges are keys.yaml's; the rules across keys here
    if (grid_.n % hist_bins_ != 0) throw UserError(fmt::format("eval.hist_bins={} must divide eval.grid.n={}", hist_bins_, grid_.n));
    torch::Tensor cells = cell_probabilities([&](const torch::Tensor& x) { return rings_->density(x); }, grid_);
    truth_ = cells / cells.sum();
    truth_hist_ = pool_cells(truth_, grid_.n, grid_.n / hist_bins_);
    diagnostics_ = TrainingDiagnostics::from_config(cfg);
  }

  void run(RunContext& ctx) override {
    run_.trainer->set_evaluator([this, &ctx](std::int64_t it) { return evaluate(ctx, it); }, "kl_density");
    run_.trainer->run(ctx);
  }

 private:
  std::map<std::string, double> evaluate(RunContext& ctx, std::int64_t iteration) {
    const Divergences dens = compare_distributions(truth_, model_cell_probabilities(*run_.model, grid_, device_), floor_);
    EvalStreams streams = ctx.gens.evaluation(iteration);
    torch::Tensor z0 = run_.init->draw(eval_samples_, {2}, streams.starts, device_);
    // A fork: evaluation chains must not become the training chains' carried state.
    torch::Tensor z = run_.sampler->fork()->sample(*run_.model, z0, run_.settings.n_steps, streams.chains, nullptr).cpu().contiguous();
    const Divergences samp = compare_distributions(truth_hist_, sample_histogram(z, grid_, hist_bins_), floor_);
    // The same histogram metrics for exact samples of the true rings at the same N: what perfect
    // sampling scores (the finite-N floor), drawn fresh per evaluation from a stream of its own.
    at::Generator exact_gen = make_generator(torch::kCPU, derive_seed(ctx.cfg.get<long>("seed"), fmt::format("eval/exact/{}", iteration)));
    const torch::Tensor exact = rings_->batch(eval_samples_, exact_gen, torch::kCPU).contiguous();
    const Divergences floor = compare_distributions(truth_hist_, sample_histogram(exact, grid_, hist_bins_), floor_);
    ctx.metrics.snapshot(MetricsLog::Snapshot::kTraining, iteration, {static_cast<hsize_t>(z.size(0)), 2}, z.data_ptr<float>());
    std::map<std::string, double> metrics{{"kl_density", dens.kl},       {"tv_density", dens.tv},
                                          {"kl_samples", samp.kl},       {"tv_samples", samp.tv},
                                          {"kl_samples_exact", floor.kl}, {"tv_samples_exact", floor.tv}};
    for (const auto& [name, value] : diagnostics_.measure(*run_.model, *run_.init, *rings_, device_, iteration)) metrics[name] = value;
    return metrics;
  }

  torch::Device device_ = torch::kCPU;
  std::shared_ptr<RingsDataset> rings_;
  TrainingDiagnostics diagnostics_;
  RunAssembly run_;  // data, model, sampler, chain starts, settings, trainer (run/run_assembly.h)
  Grid2D grid_{};
  std::int64_t eval_samples_ = 0, hist_bins_ = 0;
  double floor_ = 0;
  torch::Tensor truth_, truth_hist_;
};

}  // namespace

std::unique_ptr<Experiment> make_rings_experiment() { return std::make_unique<RingsExperiment>(); }

}  // namespace stanley
