#pragma once
// The seam between FID/KID and the network that embeds images. Every metric is named after its
// extractor (fid_inception, fid_fmnist, ...), so numbers from different networks never mix.

#include <torch/torch.h>

#include <memory>
#include <string>

#include "config/config.h"

namespace stanley {

class FeatureExtractor {
 public:
  virtual ~FeatureExtractor() = default;
  // Suffix of the metric names: fid_<name>, kid_<name>.
  virtual std::string name() const = 0;
  // Identifies the weights and preprocessing, for reference-statistics cache keys.
  virtual std::string fingerprint() const = 0;
  // images: [B, C, H, W] in [-1, 1] on any device -> float32 [B, D] on the CPU.
  virtual torch::Tensor features(const torch::Tensor& images) = 0;
};
using FeatureExtractorPtr = std::shared_ptr<FeatureExtractor>;

}  // namespace stanley
