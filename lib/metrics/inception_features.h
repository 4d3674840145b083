#pragma once
// Inception-v3 pool3 features (2048-d) from a TorchScript file the user supplies; FID weights
// cannot be downloaded by the suite. Two formats:
//  - nvidia: NVIDIA's inception-2015-12-05.pt (clean-fid, StyleGAN): forward(x, return_features)
//    takes uint8-valued [B, 3, H, W] images in 0..255 and resizes internally.
//  - pytorch_fid: a TorchScript export of pytorch-fid's FID-Inception (analysis/export_inception.py):
//    forward(x) takes [B, 3, 299, 299] in [-1, 1]; this class resizes bilinearly first
//    (align_corners=false), as pytorch-fid does.
// auto picks nvidia when forward has a return_features argument.

#include <torch/script.h>

#include <filesystem>

#include "metrics/feature_extractor.h"

namespace stanley {

// A file features.inception.path names that does not exist or is not a TorchScript archive (a damaged zip,
// or no module records in it): a UserError naming the key and the file in one line. Run before anything is
// written; it reads the archive's index only, not the network.
void check_inception_file(const std::filesystem::path& file);

class InceptionFeatures : public FeatureExtractor {
 public:
  enum class Format { kNvidia, kPytorchFid };
  // format: "auto" | "nvidia" | "pytorch_fid". A missing file is a UserError naming the path.
  InceptionFeatures(const std::filesystem::path& file, const std::string& format, const torch::Device& device);
  std::string name() const override { return "inception"; }
  std::string fingerprint() const override { return fingerprint_; }
  torch::Tensor features(const torch::Tensor& images) override;
  Format format() const { return format_; }

 private:
  torch::jit::script::Module module_;
  Format format_;
  torch::Device device_;
  std::string fingerprint_;
};

}  // namespace stanley
