#include "training/trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>

#include "runtime/stop_signal.h"
#include "training/checkpoint.h"
#include "training/optimizer.h"

namespace stanley {
namespace {
// Checkpoint entries that belong to the sampler (STANLEY's previous samples, an adapted step).
const std::string kSamplerStatePrefix = "sampler/";
}  // namespace

TrainSettings TrainSettings::from_config(const Config& cfg) {
  TrainSettings s;
  s.iters = cfg.get<long>("train.iters");
  s.batch = cfg.get<long>("train.batch");
  s.n_steps = cfg.get<long>("sampler.n_steps");
  s.log_every = cfg.get<long>("log.every");
  s.eval_every = cfg.get<long>("eval.every");
  s.ckpt_every = cfg.get<long>("train.ckpt_every");
  s.max_abs_energy = cfg.get<double>("train.max_abs_energy");
  s.energy_l2 = cfg.get<double>("train.energy_l2");
  if (cfg.has("train.clamp")) {
    const auto c = cfg.get<std::vector<double>>("train.clamp");
    cfg.require(c.size() == 2 && c[0] < c[1], "train.clamp", "null or [low, high] with low < high");
    s.clamp = std::make_pair(c[0], c[1]);
  }
  s.grad_clip = cfg.get<double>("train.grad_clip", 0.0);
  s.lr_warmup = cfg.get<long>("train.lr_warmup", 0);
  // Bounds and choices are configs/keys.yaml's, checked when the Config was built; only cross-key rules here.
  s.lr_cosine = cfg.get<std::string>("train.lr_decay", "none") == "cosine";
  s.lr_decay_to = cfg.get<double>("train.lr_decay_to", 0.0);
  s.lr_decay_iters = cfg.has("train.lr_decay_iters") ? cfg.get<long>("train.lr_decay_iters") : 0;
  s.warn_abs_d = cfg.get<double>("train.warn_abs_d", 0.0);
  s.max_abs_d = cfg.has("train.max_abs_d") ? cfg.get<double>("train.max_abs_d")
                : s.energy_l2 > 0              ? 0.5 / s.energy_l2
                                               : 0.0;
  return s;
}

double TrainSettings::learning_rate(double base_lr, std::int64_t it) const {
  if (lr_warmup > 0 && it <= lr_warmup) return base_lr * static_cast<double>(it) / static_cast<double>(lr_warmup);
  const std::int64_t end = lr_decay_iters > 0 ? lr_decay_iters : iters;
  if (!lr_cosine || end <= lr_warmup) return base_lr;
  const double progress = static_cast<double>(it - lr_warmup) / static_cast<double>(end - lr_warmup);
  const double floor = lr_decay_to * base_lr;
  return floor + (base_lr - floor) * 0.5 * (1.0 + std::cos(M_PI * std::min(1.0, progress)));
}

Trainer::Trainer(TrainSettings settings, EnergyPtr model, Sampler& sampler, Dataset& data, ChainInit init,
                 const Config& optim_cfg)
    : s_(settings), model_(std::move(model)), sampler_(sampler), data_(data), sample_shape_(data.sample_shape()),
      init_(std::move(init)),
      optimizer_(make_optimizer(optim_cfg, model_->parameters())),
      base_lr_(optim_cfg.get<double>("lr")) {}

EnergyModel& Trainer::sampling_model() {
  if (!sampling_) return *model_;
  if (sampling_stale_) sampling_->sync();  // once per iteration: the K steps reuse the converted weights
  sampling_stale_ = false;
  return *sampling_;
}

torch::Tensor Trainer::iterate(std::int64_t it, RunGenerators& gens, const torch::Device& device, ChainTrace* trace) {
  // Algorithm 1, lines 2-5: short-run chains from noise, K sampler steps.
  torch::Tensor z0 = init_.start(s_.batch, sample_shape_, gens.starts, device);
  torch::Tensor z = sampler_.sample(sampling_model(), z0, s_.n_steps, gens.chains, trace);
  if (s_.clamp) z = z.clamp(s_.clamp->first, s_.clamp->second);
  init_.finish(z);
  if (negatives_hook_) negatives_hook_(it, z);
  torch::Tensor x = data_.batch(s_.batch, gens.data, device);
  // Line 6-7: ascend mean f(x) − mean f(z).
  torch::Tensor f_data = model_->forward(x);
  torch::Tensor f_neg = model_->forward(z.detach());
  torch::Tensor loss = f_neg.mean() - f_data.mean();
  if (s_.energy_l2 > 0) loss = loss + s_.energy_l2 * (f_data.pow(2).mean() + f_neg.pow(2).mean());
  optimizer_->zero_grad();
  loss.backward();
  if (s_.grad_clip > 0) torch::nn::utils::clip_grad_norm_(model_->parameters(), s_.grad_clip);
  if (s_.has_lr_schedule()) {
    const double lr = s_.learning_rate(base_lr_, it);
    for (auto& group : optimizer_->param_groups()) group.options().set_lr(lr);
  }
  optimizer_->step();
  sampling_stale_ = true;
  return torch::stack({loss.detach(), f_data.detach().mean(), f_neg.detach().mean()});
}

void Trainer::set_evaluator(Evaluator evaluator, std::string headline_metric) {
  evaluator_ = std::move(evaluator);
  headline_ = std::move(headline_metric);
}

void Trainer::evaluate(RunContext& ctx, std::int64_t iteration) {
  if (!evaluator_) return;
  const auto began = std::chrono::steady_clock::now();
  model_->eval();
  const auto metrics = evaluator_(iteration);
  model_->train();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  eval_seconds_ += secs;
  std::string line;
  for (const auto& [name, value] : metrics) {
    if (!std::isfinite(value)) throw DivergenceError(fmt::format("iteration {}: metric {} is {}", iteration, name, value));
    ctx.metrics.scalar(name, iteration, value);
    line += fmt::format(" {}={:.4g}", name, value);
  }
  if (metrics.count(headline_)) last_metric_ = fmt::format("{}={:.4g}", headline_, metrics.at(headline_));
  ctx.dir.log(fmt::format("eval iter {} ({:.1f} s):{}", iteration, secs, line));
  ctx.metrics.flush();
}

// The early warning of a runaway (ebm-anatomy's d = mean f(data) − mean f(neg) drifting from 0): a
// line in the log and on stderr, once; divergence itself still stops the run (DivergenceError).
void Trainer::watch_health(RunContext& ctx, std::int64_t iteration, double d) {
  stop_on_runaway(ctx, iteration, d);
  if (s_.warn_abs_d <= 0) return;
  if (std::abs(d) <= s_.warn_abs_d) {
    d_streak_ = 0;
    warned_ = false;  // re-armed: a later excursion warns again
    return;
  }
  if (++d_streak_ < TrainSettings::kWarnPatience || warned_) return;
  warned_ = true;
  const std::string msg = fmt::format(
      "warning: iteration {}: |d| = |mean f(data) - mean f(neg)| = {:.3g} > train.warn_abs_d = {} for {} iterations: "
      "the energies may be running away (docs/samplers.md \"Stabilisers\")", iteration, std::abs(d), s_.warn_abs_d,
      TrainSettings::kWarnPatience);
  ctx.dir.log(msg);
  fmt::print(stderr, "\n{}\n", msg);
}

// The energy L2 bounds f, so a runaway ends on a plateau (|d| ≈ 1/α) rather than at max_abs_energy;
// without this stop such a run would finish "successfully" with chains that no longer track the data.
void Trainer::stop_on_runaway(RunContext& ctx, std::int64_t iteration, double d) {
  if (s_.max_abs_d <= 0) return;
  if (std::abs(d) <= s_.max_abs_d) {
    runaway_streak_ = 0;
    return;
  }
  if (++runaway_streak_ < TrainSettings::kRunawayPatience) return;
  // The newest checkpoint written before the excursion began is the last good one.
  const std::int64_t began = iteration - runaway_streak_ + 1;
  std::optional<std::filesystem::path> good;
  const auto dir = ctx.dir.checkpoints_dir();
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::exists(dir) ? dir : ctx.dir.path())) {
    const auto& file = entry.path();
    if (file.extension() != ".pt") continue;
    const auto at = checkpoint_iteration(file);
    if (at < began && (!good || at > checkpoint_iteration(*good))) good = file;
  }
  throw DivergenceError(fmt::format(
      "iteration {}: runaway: |d| = |mean f(data) - mean f(neg)| = {:.3g} > train.max_abs_d = {:.3g} for {} iterations "
      "(since iteration {}); {}", iteration, std::abs(d), s_.max_abs_d, TrainSettings::kRunawayPatience, began,
      good ? "last checkpoint before it: " + good->string() : std::string("no checkpoint precedes it")));
}

void Trainer::log_chain(RunContext& ctx, std::int64_t iteration, ChainTrace& trace, double f_data, double f_neg) {
  std::vector<std::pair<std::string, std::vector<double>>> row{
      {"f_data", {f_data}}, {"f_neg", {f_neg}}, {"f_diff", {f_data - f_neg}}};
  const auto& per_step = trace.per_step();
  row.insert(row.end(), per_step.begin(), per_step.end());
  ctx.metrics.chain_row(iteration, row);
  for (const auto& [name, values] : per_step) {
    double summary = 0;
    if (trace.summary(name) == ChainTrace::Summary::kMin) {
      summary = *std::min_element(values.begin(), values.end());
    } else {
      for (double v : values) summary += v;
      summary /= static_cast<double>(values.size());
    }
    ctx.metrics.scalar("chain_" + name, iteration, summary);
  }
}

std::map<std::string, torch::Tensor> Trainer::extra_state() const {
  std::map<std::string, torch::Tensor> extra;
  if (init_.persistent() && init_.bank().defined()) extra["chain_bank"] = init_.bank();
  for (const auto& [name, t] : sampler_.carried().to_tensors()) extra[kSamplerStatePrefix + name] = t;
  return extra;
}

std::int64_t Trainer::resume_or_evaluate(RunContext& ctx) {
  if (!ctx.resume_checkpoint) {
    if (s_.eval_every > 0) evaluate(ctx, 0);  // eval.every=0 turns evaluation off, the iteration-0 one included
    return 0;
  }
  std::map<std::string, torch::Tensor> extra;
  const std::int64_t start = load_checkpoint(*ctx.resume_checkpoint, *model_, optimizer_.get(), &ctx.gens, ctx.device, &extra);
  sampling_stale_ = true;
  if (extra.count("chain_bank")) init_.set_bank(extra.at("chain_bank").to(ctx.device));
  std::map<std::string, torch::Tensor> sampler_state;
  for (const auto& [name, t] : extra) {
    if (name.rfind(kSamplerStatePrefix, 0) == 0) sampler_state[name.substr(kSamplerStatePrefix.size())] = t.to(ctx.device);
  }
  sampler_.restore(CarriedState::from_tensors(sampler_state));
  ctx.dir.log(fmt::format("resumed from {} at iteration {}", ctx.resume_checkpoint->string(), start));
  return start;
}

void Trainer::stop_on_divergence(const RunContext& ctx, std::int64_t it, const IterationStats& st) const {
  if (std::isfinite(st.loss) && std::isfinite(st.f_data) && std::isfinite(st.f_neg) && std::abs(st.f_data) <= s_.max_abs_energy &&
      std::abs(st.f_neg) <= s_.max_abs_energy)
    return;
  const auto last = latest_checkpoint(ctx.dir.checkpoints_dir());
  throw DivergenceError(fmt::format(
      "iteration {}: loss={} mean f(data)={} mean f(negatives)={} (limit train.max_abs_energy={}); {}", it, st.loss, st.f_data,
      st.f_neg, s_.max_abs_energy, last ? "last good checkpoint: " + last->string() : std::string("no checkpoint was written yet")));
}

void Trainer::log_iteration(RunContext& ctx, std::int64_t it, const IterationStats& st, double secs, std::int64_t iterations,
                            ChainTrace& trace) {
  ctx.metrics.scalar("loss", it, st.loss);
  ctx.metrics.scalar("f_data", it, st.f_data);
  ctx.metrics.scalar("f_neg", it, st.f_neg);
  ctx.metrics.scalar("f_diff", it, st.f_data - st.f_neg);
  ctx.metrics.scalar("it_per_s", it, secs > 0 ? static_cast<double>(iterations) / secs : 0.0);
  // Gradient evaluations of ∇f by the sampler so far (M chains × (K steps × per step + per call)): the cost axis
  // on which samplers with different per-step costs compare.
  ctx.metrics.scalar("grad_evals", it, static_cast<double>(it) * s_.batch *
                                           (s_.n_steps * sampler_.gradients_per_step() + sampler_.gradients_per_call()));
  if (sampler_.adaptable()) ctx.metrics.scalar("sampler_step_size", it, sampler_.step_size());
  log_chain(ctx, it, trace, st.f_data, st.f_neg);
}

void Trainer::checkpoint_or_stop(RunContext& ctx, std::int64_t it, Progress& progress) {
  const int stop = stop_signal();
  if (it % s_.ckpt_every == 0 || it == s_.iters || stop) {
    ctx.metrics.flush();  // the checkpoint never runs ahead of the metrics it resumes against
    save_checkpoint(ctx.dir.checkpoints_dir(), it, *model_, optimizer_.get(), &ctx.gens, extra_state(),
                    run_identity_hash(ctx.cfg));
  }
  if (stop && it < s_.iters) {
    progress.finish();
    const std::string msg = fmt::format("interrupted by {} at iteration {}; checkpoint written; `stanley resume {}` continues",
                                        stop == SIGTERM ? "SIGTERM" : "SIGINT", it, ctx.dir.path().string());
    ctx.dir.log(msg);
    throw InterruptedError(msg, stop);
  }
}

void Trainer::run(RunContext& ctx) {
  const auto run_began = std::chrono::steady_clock::now();
  const std::int64_t start = resume_or_evaluate(ctx);
  model_->train();
  Progress progress("train", s_.iters, start);
  auto t_log = std::chrono::steady_clock::now();
  std::int64_t it_log = start;
  std::vector<double> ms_per_iteration;  // per logged interval: the timing `make gpu-check` reads from the log

  for (std::int64_t it = start + 1; it <= s_.iters; ++it) {
    const bool log_now = it % s_.log_every == 0;
    ChainTrace trace;
    const auto stats = iterate(it, ctx.gens, ctx.device, log_now ? &trace : nullptr).cpu();
    const IterationStats st{stats[0].item<double>(), stats[1].item<double>(), stats[2].item<double>()};
    stop_on_divergence(ctx, it, st);
    watch_health(ctx, it, st.f_data - st.f_neg);
    if (log_now) {
      const auto now = std::chrono::steady_clock::now();
      const double secs = std::chrono::duration<double>(now - t_log).count();
      log_iteration(ctx, it, st, secs, it - it_log, trace);
      if (it > it_log) ms_per_iteration.push_back(1e3 * secs / static_cast<double>(it - it_log));
      t_log = now;
      it_log = it;
    }
    if (s_.eval_every > 0 && it % s_.eval_every == 0) evaluate(ctx, it);
    if (log_now) ctx.metrics.flush();
    checkpoint_or_stop(ctx, it, progress);
    progress.update(it, last_metric_);
  }
  progress.finish();
  ctx.metrics.flush();
  std::string median;
  if (!ms_per_iteration.empty()) {
    std::nth_element(ms_per_iteration.begin(), ms_per_iteration.begin() + ms_per_iteration.size() / 2, ms_per_iteration.end());
    median = fmt::format("; median {:.3f} ms per iteration over {} logged intervals",
                         ms_per_iteration[ms_per_iteration.size() / 2], ms_per_iteration.size());
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_began).count();
  ctx.dir.log(fmt::format("finished {} iterations at {:.2f} it/s{}; evaluation {:.1f} s of {:.1f} s in this process ({:.0f}%)",
                          s_.iters, progress.rate(), median, eval_seconds_, total, total > 0 ? 100 * eval_seconds_ / total : 0.0));
}

}  // namespace stanley
