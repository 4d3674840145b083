#pragma once
// Algorithm 1 of the paper. Each iteration: M negatives by K steps of the sampler from fresh noise
// (or a persistent bank, or data: ChainInit),
// M data points, loss = mean f(z) − mean f(x) (so descending it ascends mean f(x) − mean f(z)),
// one optimizer step. Logs, evaluates, checkpoints and stops loudly on divergence.

#include <torch/torch.h>

#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <string>

#include "data/dataset.h"
#include "models/energy.h"
#include "models/sampling_precision.h"
#include "runtime/progress.h"
#include "samplers/sampler.h"
#include "training/chain_init.h"
#include "training/run_context.h"

namespace stanley {

struct TrainSettings {
  std::int64_t iters = 0;
  std::int64_t batch = 0;        // M
  std::int64_t n_steps = 0;      // K, MCMC steps per iteration
  std::int64_t log_every = 0;    // scalars and chain statistics
  std::int64_t eval_every = 0;   // evaluator (0: never)
  std::int64_t ckpt_every = 0;   // checkpoints (the last iteration always gets one)
  double max_abs_energy = 1e6;   // |mean f| above this is divergence
  double energy_l2 = 0.0;        // optional penalty α·mean(f(x)² + f(z)²); the paper uses none
  // Stabilisers (all off by default; configs/config.yaml's train block; data noise is data.noise):
  std::optional<std::pair<double, double>> clamp;  // negatives clamped to [low, high] after the chain
  double grad_clip = 0.0;        // max norm of the parameters' gradient (0: no clipping)
  std::int64_t lr_warmup = 0;    // iterations of linear warm-up of the learning rate
  // Cosine decay after the warm-up, to lr_decay_to × optim.lr at the last iteration (false: constant).
  bool lr_cosine = false;
  double lr_decay_to = 0.0;
  // The iteration the cosine reaches lr_decay_to at (0: train.iters). A tuning run that stops early
  // sets it to the full run's length, so it sees the learning rates the full run will use.
  std::int64_t lr_decay_iters = 0;
  double warn_abs_d = 0.0;       // early warning on |d| (0: none); divergence still stops the run
  // A runaway that an energy L2 turns into a plateau (|d| settles near 1/α instead of growing without
  // bound): |d| above this for kRunawayPatience iterations running stops the run (0: off). Default:
  // 0.5/energy_l2 with an energy L2, off without one (then max_abs_energy catches the runaway).
  double max_abs_d = 0.0;
  static constexpr std::int64_t kRunawayPatience = 50;
  // |d| above train.warn_abs_d this many iterations running prints the runaway warning.
  static constexpr std::int64_t kWarnPatience = 20;
  static TrainSettings from_config(const Config& cfg);  // train.*, sampler.n_steps, log.every, eval.every
  // The learning rate of iteration `it` (1-based) from the optimizer's base rate: warm-up, then
  // constant or cosine. A function of `it` alone, so a resumed run follows the same schedule.
  double learning_rate(double base_lr, std::int64_t it) const;
  bool has_lr_schedule() const { return lr_warmup > 0 || lr_cosine; }
};

// Called at iteration 0 and every eval_every iterations; returns named metrics, logged as scalars.
using Evaluator = std::function<std::map<std::string, double>(std::int64_t iteration)>;

// The model must already be on the run's device (the optimizer is built on its parameters).
class Trainer {
 public:
  Trainer(TrainSettings settings, EnergyPtr model, Sampler& sampler, Dataset& data, ChainInit init,
          const Config& optim_cfg);
  void set_evaluator(Evaluator evaluator, std::string headline_metric);
  // Sees every iteration's negatives (e.g. to save sample grids); called before the update.
  void set_negatives_hook(std::function<void(std::int64_t iteration, const torch::Tensor& z)> hook) {
    negatives_hook_ = std::move(hook);
  }
  // Trains to settings.iters, resuming from ctx.resume_checkpoint when set.
  void run(RunContext& ctx);
  // One iteration `it` (1-based) of Algorithm 1, lines 2-7: the chains' starts, K sampler steps, a data
  // batch, the contrastive loss, one optimizer step; no host read, logging, evaluation or checkpoint.
  // `run` repeats it; bench_pipeline times it. Returns [loss, mean f(data), mean f(negatives)] on `device`.
  torch::Tensor iterate(std::int64_t it, RunGenerators& gens, const torch::Device& device, ChainTrace* trace = nullptr);
  // Where training's chains start (holds the persistent bank).
  const ChainInit& chain_init() const { return init_; }
  // Sampling through a reduced-precision twin of the model (precision=bf16, channels_last).
  void set_sampling_model(std::shared_ptr<SamplingPrecisionEnergy> twin) { sampling_ = std::move(twin); }
  // The net samplers run on (training's and evaluation's chains): the model, or its twin with the
  // model's current weights.
  EnergyModel& sampling_model();

 private:
  void evaluate(RunContext& ctx, std::int64_t iteration);
  void watch_health(RunContext& ctx, std::int64_t iteration, double d);
  void stop_on_runaway(RunContext& ctx, std::int64_t iteration, double d);
  // What a checkpoint holds beyond model, optimizer and generators: the persistent chain bank.
  std::map<std::string, torch::Tensor> extra_state() const;
  void log_chain(RunContext& ctx, std::int64_t iteration, ChainTrace& trace, double f_data, double f_neg);
  // The iteration training starts from: a checkpoint's (model, optimizer, generators, chain bank, the
  // sampler's carried state restored), else 0 after the iteration-0 evaluation.
  std::int64_t resume_or_evaluate(RunContext& ctx);
  // Loss and mean energies of one iteration, read once on the host.
  struct IterationStats {
    double loss, f_data, f_neg;
  };
  // A non-finite loss or energy, or an energy beyond train.max_abs_energy, stops the run (DivergenceError).
  void stop_on_divergence(const RunContext& ctx, std::int64_t iteration, const IterationStats& stats) const;
  // The logged scalars of an iteration; `seconds` over the `iterations` since the last logged one.
  void log_iteration(RunContext& ctx, std::int64_t iteration, const IterationStats& stats, double seconds,
                     std::int64_t iterations, ChainTrace& trace);
  // A checkpoint every train.ckpt_every, at the end, and on SIGINT/SIGTERM (then InterruptedError).
  void checkpoint_or_stop(RunContext& ctx, std::int64_t iteration, Progress& progress);

  TrainSettings s_;
  EnergyPtr model_;
  std::shared_ptr<SamplingPrecisionEnergy> sampling_;
  bool sampling_stale_ = true;  // the model's weights changed since the twin's last sync
  Sampler& sampler_;
  Dataset& data_;
  const std::vector<std::int64_t> sample_shape_;  // the data's, read once: chains start in it every iteration
  ChainInit init_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  Evaluator evaluator_;
  std::function<void(std::int64_t, const torch::Tensor&)> negatives_hook_;
  std::string headline_;
  std::string last_metric_;
  double eval_seconds_ = 0;  // wall time spent in evaluate() by this process (the share docs/performance.md reports)
  std::int64_t d_streak_ = 0;   // iterations in a row with |d| > warn_abs_d
  std::int64_t runaway_streak_ = 0;  // iterations in a row with |d| > max_abs_d
  bool warned_ = false;         // this streak has been reported
  double base_lr_ = 0.0;        // the optimizer's configured learning rate (warm-up scales it)
};

}  // namespace stanley
