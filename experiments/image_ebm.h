#pragma once
// Image EBMs (paper Fig. 4-5): Algorithm 1 on an image dataset, FID/KID against cached reference
// statistics every eval.every iterations, sample grids as PNG. eval.protocols says which samples are
// scored: `noise` (short-run from fresh noise: fid_<x>) and/or `train` (chains started as training
// starts them, e.g. from the persistent bank: fid_<x>_train); eval.data_floor adds fid_<x>_data, real
// held-out images at the same N (what perfect samples would score), at iteration 0.
// Subclasses add evaluation (inpainting) through extra_eval.

#include <memory>

#include "data/image_dataset.h"
#include "models/energy.h"
#include "run/experiment.h"
#include "run/fid_setup.h"
#include "run/run_assembly.h"
#include "run/training_diagnostics.h"
#include "samplers/sampler_registry.h"
#include "training/chain_init.h"
#include "training/trainer.h"

namespace stanley {

class ImageEbmExperiment : public Experiment {
 public:
  void setup(const Config& cfg, const torch::Device& device) override;
  void run(RunContext& ctx) override;

 protected:
  // More metrics at each evaluation; called after FID.
  virtual void extra_eval(RunContext& /*ctx*/, std::int64_t /*iteration*/, std::map<std::string, double>& /*metrics*/) {}
  // Where evaluation chains start: fresh noise (`noise`, Algorithm 1's short-run) or as training's
  // chains start (`train`: the persistent bank, without changing it).
  enum class Protocol { kNoise, kTrain };
  // n images by K sampler steps from the protocol's starts, in batches.
  torch::Tensor generate(std::int64_t n, EvalStreams& streams, Protocol protocol = Protocol::kNoise);

  torch::Device device_ = torch::kCPU;
  std::shared_ptr<ImageDataset> data_;
  RunAssembly run_;  // data, model, sampler, chain starts, settings, trainer (run/run_assembly.h)

 private:
  std::map<std::string, double> evaluate(RunContext& ctx, std::int64_t iteration);
  // FID (and KID) of 8-bit images in [-1, 1] against each extractor's reference; names end in `suffix`.
  void score(const torch::Tensor& images, const std::string& suffix, at::Generator& gen,
             std::map<std::string, double>& metrics);
  void save_negatives(RunContext& ctx, std::int64_t iteration, const torch::Tensor& z);

  Config cfg_;
  FidSetup fid_;
  std::int64_t eval_samples_ = 0, eval_batch_ = 0, grid_every_ = 0;
  bool kid_ = false;
  std::vector<std::pair<Protocol, std::string>> protocols_;  // with each one's metric suffix
  bool data_floor_ = false;
  bool at_start_ = true;  // eval.at_start: score samples at iteration 0 (else only the data floor there)
  TrainingDiagnostics diagnostics_;
  std::int64_t kid_subsets_ = 0, kid_subset_size_ = 0;
};

std::unique_ptr<Experiment> make_image_ebm_experiment();

}  // namespace stanley
