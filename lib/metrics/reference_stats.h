#pragma once
// Reference statistics of real images per (dataset, split, extractor): computed once, cached under
// <cache_dir>/stats/, reused by every run and by `stanley stats`.

#include <filesystem>
#include <functional>

#include "data/image_set.h"
#include "metrics/feature_extractor.h"
#include "metrics/feature_stats.h"

namespace stanley {

struct ReferenceStats {
  FeatureStats stats;
  torch::Tensor kid_features;  // up to kid_keep rows of features, for KID
  std::filesystem::path file;
};

// Features of images [N, C, H, W] (uint8), batch by batch, scaled to [-1, 1].
torch::Tensor image_features(FeatureExtractor& extractor, const torch::Tensor& images_u8, std::int64_t batch,
                             const torch::Device& device);

// `source_key` names the data (dataset, root, split, files); cached by it and the extractor.
ReferenceStats reference_stats(FeatureExtractor& extractor, const ImageSet& images, const std::string& label,
                               const std::string& source_key, const std::filesystem::path& cache_dir,
                               std::int64_t kid_keep, const torch::Device& device);

}  // namespace stanley
