#pragma once
// Builds the feature extractors an image run's config names (eval.extractors) and their cached
// reference statistics; shared by image experiments and `stanley stats`.

#include <functional>

#include "config/registry.h"
#include "data/image_dataset.h"
#include "metrics/feature_extractor.h"
#include "metrics/reference_stats.h"

namespace stanley {

struct FidSetup {
  std::vector<FeatureExtractorPtr> extractors;
  std::vector<ReferenceStats> references;  // one per extractor
  std::vector<std::string> unavailable;    // metrics that cannot be computed, with the reason
};

using FidLog = std::function<void(const std::string&)>;
// An extractor from the whole run config, or nullptr with the reason in `unavailable` when it cannot be
// built here (no Inception file).
using ExtractorFactory = std::function<FeatureExtractorPtr(const Config& cfg, const ImageDataset& data,
                                                           const torch::Device& device, const FidLog& log,
                                                           std::vector<std::string>& unavailable)>;
// classifier (the suite's own feature network, trained on the dataset) and inception (a TorchScript
// file the user supplies). A new extractor: one line there.
Registry<ExtractorFactory>& extractor_registry();

// The files the configured extractors will read (features.classifier.weights, features.inception.path),
// checked before a run directory is made: a missing or damaged one is a UserError naming key and file.
void check_feature_files(const Config& cfg);

// cfg: the whole run config (eval.*, features.*, data.cache_dir). `log` gets one line per event.
FidSetup setup_fid(const Config& cfg, const ImageDataset& data, const torch::Device& device,
                   const FidLog& log);

}  // namespace stanley
