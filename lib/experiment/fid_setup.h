#pragma once
// Builds the feature extractors an image run's config names (eval.extractors) and their cached
// reference statistics; shared by image experiments and `stanley stats`.

#include <functional>

#include "data/image_dataset.h"
#include "metrics/feature_extractor.h"
#include "metrics/reference_stats.h"

namespace stanley {

struct FidSetup {
  std::vector<FeatureExtractorPtr> extractors;
  std::vector<ReferenceStats> references;  // one per extractor
  std::vector<std::string> unavailable;    // metrics that cannot be computed, with the reason
};

// cfg: the whole run config (eval.*, features.*, data.cache_dir). `log` gets one line per event.
FidSetup setup_fid(const Config& cfg, const ImageDataset& data, const torch::Device& device,
                   const std::function<void(const std::string&)>& log);

}  // namespace stanley
