#pragma once
// Checkpoints: model, optimizer, iteration and every generator's state, written atomically
// (temporary file, then rename) to checkpoints/iter_<NNNNNNN>.pt.

#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <string>
#include <optional>
#include <vector>

#include "config/config.h"
#include "training/generators.h"

namespace stanley {

// `config_hash` (hash of the run's resolved config) lets resume refuse a checkpoint of another run.
void save_checkpoint(const std::filesystem::path& dir, std::int64_t iteration, torch::nn::Module& model,
                     torch::optim::Optimizer* optimizer, const RunGenerators* gens,
                     const std::map<std::string, torch::Tensor>& extra = {}, const std::string& config_hash = "");
// What a checkpoint records of its run's config: a hash of all of it except train.iters (a resume may
// extend or shorten a run; anything else changed makes it another run).
std::string run_identity_hash(const Config& cfg);
// The config hash a checkpoint was written with (none for checkpoints written before it was recorded).
std::optional<std::string> checkpoint_config_hash(const std::filesystem::path& file);
// Restores into the given objects; returns the checkpoint's iteration. `extra` receives the named
// tensors saved alongside (e.g. the persistent chain bank).
std::int64_t load_checkpoint(const std::filesystem::path& file, torch::nn::Module& model,
                             torch::optim::Optimizer* optimizer, RunGenerators* gens,
                             const torch::Device& device = torch::kCPU,
                             std::map<std::string, torch::Tensor>* extra = nullptr);
// The checkpoint with the highest iteration in dir, if any.
std::optional<std::filesystem::path> latest_checkpoint(const std::filesystem::path& dir);
// The newest checkpoint that opens (a truncated or corrupt file is skipped, left in place, and named in
// `skipped` with the reason).
std::optional<std::filesystem::path> latest_readable_checkpoint(const std::filesystem::path& dir,
                                                                std::vector<std::string>* skipped = nullptr);
// The iteration in a checkpoint's file name.
std::int64_t checkpoint_iteration(const std::filesystem::path& file);
// The checkpoint at exactly `iteration`.
std::filesystem::path checkpoint_path(const std::filesystem::path& dir, std::int64_t iteration);

}  // namespace stanley
