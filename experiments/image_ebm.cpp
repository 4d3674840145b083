#include "experiments/image_ebm.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "data/image_grid.h"
#include "metrics/feature_stats.h"
#include "metrics/kid.h"
#include "random/draws.h"
#include "run/run_assembly.h"

namespace stanley {
namespace {
// The first 64 images as a PNG grid and as a float32 array in metrics.h5.
void record_images(RunContext& ctx, const std::string& png_name, MetricsLog::Snapshot kind, std::int64_t iteration,
                   const torch::Tensor& images) {
  const torch::Tensor shown = images.narrow(0, 0, std::min<std::int64_t>(64, images.size(0))).detach().cpu().contiguous();
  save_image_grid(ctx.dir.samples_dir() / png_name, shown);
  std::vector<hsize_t> dims(shown.sizes().begin(), shown.sizes().end());
  ctx.metrics.snapshot(kind, iteration, dims, shown.data_ptr<float>());
}
}  // namespace

void ImageEbmExperiment::setup(const Config& cfg, const torch::Device& device) {
  cfg_ = cfg;
  device_ = device;
  AssemblyOptions options;
  options.check_data = [&](const DatasetPtr& data) {
    if (!std::dynamic_pointer_cast<ImageDataset>(data))
      throw UserError(fmt::format("experiment={} needs an image dataset (data=fmnist, cifar10, flowers, celeba)",
                                  cfg.get<std::string>("experiment")));
  };
  check_feature_files(cfg);  // before the run directory exists: a damaged file leaves nothing behind
  run_ = assemble_run(cfg, device, options);
  data_ = std::dynamic_pointer_cast<ImageDataset>(run_.data);
  eval_samples_ = cfg.get<long>("eval.n_samples");
  eval_batch_ = cfg.get<long>("eval.batch");
  grid_every_ = cfg.get<long>("log.grid_every");
  kid_ = cfg.get<bool>("eval.kid");
  kid_subsets_ = cfg.get<long>("eval.kid_subsets");
  kid_subset_size_ = cfg.get<long>("eval.kid_subset_size");
  for (const auto& name : cfg.get<std::vector<std::string>>("eval.protocols")) {
    if (name == "noise") protocols_.emplace_back(Protocol::kNoise, "");
    else if (name == "train") protocols_.emplace_back(Protocol::kTrain, "_train");
    else throw UserError(fmt::format("eval.protocols: '{}' is not one of noise, train", name));
  }
  data_floor_ = cfg.get<bool>("eval.data_floor");
  at_start_ = cfg.get<bool>("eval.at_start");
  // A named Inception file that is not there is bad input: refused here, before the run directory exists.
  const auto extractors = cfg.get<std::vector<std::string>>("eval.extractors");
  if (std::find(extractors.begin(), extractors.end(), "inception") != extractors.end() &&
      cfg.has("features.inception.path") && !std::filesystem::exists(cfg.get<std::string>("features.inception.path"))) {
    throw UserError(fmt::format("features.inception.path={}: no such file; supply NVIDIA's inception-2015-12-05.pt or a "
                                "pytorch-fid export made by analysis/export_inception.py",
                                cfg.get<std::string>("features.inception.path")));
  }
  diagnostics_ = TrainingDiagnostics::from_config(cfg);
  if (eval_samples_ < 2 || eval_batch_ <= 0 || grid_every_ < 0)
    throw UserError("eval.n_samples >= 2, eval.batch > 0 and log.grid_every >= 0 are required");
}

void ImageEbmExperiment::run(RunContext& ctx) {
  ctx.metrics.set_attr("sampling_arithmetic", run_.sampling_arithmetic);
  // Feature networks and reference statistics are built here, not in setup: they write the cache.
  fid_ = setup_fid(cfg_, *data_, device_, [&](const std::string& line) {
    ctx.dir.log(line);
    fmt::print(stderr, "{}\n", line);
  });
  // The progress line shows the chains as training runs them when that protocol is scored: it is what the
  // figures report, and short-run FID of a bank-trained model says little about it.
  const auto shown = std::find_if(protocols_.begin(), protocols_.end(), [](const auto& p) { return p.first == Protocol::kTrain; });
  const std::string suffix = shown != protocols_.end() ? shown->second : protocols_.front().second;
  const std::string headline = fid_.extractors.empty() ? "" : "fid_" + fid_.extractors.front()->name() + suffix;
  run_.trainer->set_evaluator([this, &ctx](std::int64_t it) { return evaluate(ctx, it); }, headline);
  run_.trainer->set_negatives_hook([this, &ctx](std::int64_t it, const torch::Tensor& z) { save_negatives(ctx, it, z); });
  run_.trainer->run(ctx);
}

torch::Tensor ImageEbmExperiment::generate(std::int64_t n, EvalStreams& streams, Protocol protocol) {
  std::vector<torch::Tensor> parts;
  const auto shape = data_->sample_shape();
  // A fork: evaluation chains must not become the training chains' carried state.
  const SamplerPtr sampler = run_.sampler->fork();
  const ChainInit& starts = run_.trainer->chain_init();
  for (std::int64_t i = 0; i < n; i += eval_batch_) {
    const std::int64_t b = std::min(eval_batch_, n - i);
    torch::Tensor z0 = protocol == Protocol::kTrain ? starts.peek(b, shape, streams.starts, device_)
                                                    : starts.draw(b, shape, streams.starts, device_);
    parts.push_back(sampler->sample(run_.trainer->sampling_model(), z0, run_.settings.n_steps, streams.chains, nullptr).detach());
  }
  torch::Tensor z = torch::cat(parts);
  if (!torch::isfinite(z).all().item<bool>()) throw DivergenceError("evaluation samples contain NaN or Inf");
  return z;
}

void ImageEbmExperiment::score(const torch::Tensor& images, const std::string& suffix, at::Generator& gen,
                               std::map<std::string, double>& metrics) {
  for (std::size_t e = 0; e < fid_.extractors.size(); ++e) {
    auto& extractor = *fid_.extractors[e];
    FeatureStatsAccumulator acc;
    std::vector<torch::Tensor> kept;
    for (std::int64_t i = 0; i < images.size(0); i += eval_batch_) {
      torch::Tensor f = extractor.features(images.narrow(0, i, std::min(eval_batch_, images.size(0) - i)));
      acc.add(f);
      if (kid_) kept.push_back(f);
    }
    metrics["fid_" + extractor.name() + suffix] = frechet_distance(acc.finish(), fid_.references[e].stats);
    if (kid_) {
      const KidResult kid = kernel_inception_distance(torch::cat(kept), fid_.references[e].kid_features, gen,
                                                      kid_subsets_, kid_subset_size_);
      metrics["kid_" + extractor.name() + suffix] = kid.mean;
    }
  }
}

std::map<std::string, double> ImageEbmExperiment::evaluate(RunContext& ctx, std::int64_t iteration) {
  std::map<std::string, double> metrics;
  EvalStreams streams = ctx.gens.evaluation(iteration);
  const bool score_samples = iteration > 0 || at_start_;
  for (std::size_t p = 0; score_samples && p < protocols_.size(); ++p) {
    const auto& [protocol, suffix] = protocols_[p];
    // Scored as saved pictures are: clamped to [-1, 1] and quantised to 8 bits.
    const torch::Tensor samples = to_unit_range(to_uint8(generate(eval_samples_, streams, protocol)));
    score(samples, suffix, streams.scoring, metrics);
    if (p == 0) record_images(ctx, fmt::format("eval_{:07d}.png", iteration), MetricsLog::Snapshot::kEval, iteration, samples);
  }
  if (data_floor_ && iteration == 0) {
    // Real images the reference never saw (the reference is eval.ref_split): N of the training split
    // when the reference is the test split, else of the test split.
    const std::string split = cfg_.get<std::string>("eval.ref_split") == "test" ? "train" : "test";
    const ImageSet real = split == data_->split() ? data_->images() : data_->load_split(split);
    at::Generator pick = make_generator(torch::kCPU, derive_seed(cfg_.get<std::uint64_t>("seed"), "eval/data_floor"));
    const std::int64_t n = std::min<std::int64_t>(eval_samples_, real.images.size(0));
    const torch::Tensor idx = draw::permutation(real.images.size(0), pick, torch::kCPU).narrow(0, 0, n);
    score(to_unit_range(real.images.index_select(0, idx)).to(device_), "_data", streams.scoring, metrics);
  }
  for (const auto& [name, value] : diagnostics_.measure(*run_.model, run_.trainer->chain_init(), *data_, device_, iteration))
    metrics[name] = value;
  extra_eval(ctx, iteration, metrics);
  return metrics;
}

void ImageEbmExperiment::save_negatives(RunContext& ctx, std::int64_t iteration, const torch::Tensor& z) {
  if (grid_every_ == 0 || iteration % grid_every_ != 0) return;
  record_images(ctx, fmt::format("iter_{:07d}.png", iteration), MetricsLog::Snapshot::kTraining, iteration, z);
}

std::unique_ptr<Experiment> make_image_ebm_experiment() { return std::make_unique<ImageEbmExperiment>(); }

}  // namespace stanley
