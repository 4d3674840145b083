#pragma once
// The CPU feature network for MNIST-like data: a small convolutional classifier, trained (seeded) on
// the dataset's train split and scored on the test split. Its 128-d penultimate layer gives fid_<name>
// (e.g. fid_fmnist). Not Inception: its numbers are comparable with each other, never with published
// FIDs. With `weights` set (Fashion-MNIST: the network shipped in assets/fid_fmnist/, made by
// scripts/freeze_fid_fmnist.sh) it is loaded from that file, so the metric is the same on every machine
// and every day; otherwise the suite trains it and caches it per (data, settings).

#include <filesystem>

#include "data/image_set.h"
#include "metrics/feature_extractor.h"

namespace stanley {

struct ClassifierSettings {
  std::string name = "fmnist";  // metric suffix
  std::int64_t width = 32;      // channels of the first conv; the second has 2·width
  std::int64_t epochs = 2;
  std::int64_t batch = 128;
  double lr = 1e-3;
  std::uint64_t seed = 0;
  std::string weights;          // a frozen network's file (its width is read from it); empty: train and cache
  static ClassifierSettings from_config(const Config& cfg);
};

class ClassifierNetImpl : public torch::nn::Module {
 public:
  ClassifierNetImpl(std::int64_t channels, std::int64_t side, std::int64_t width, std::int64_t classes);
  torch::Tensor embed(const torch::Tensor& x);  // penultimate layer, [B, 128]
  torch::Tensor forward(const torch::Tensor& x);  // logits

 private:
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(ClassifierNet);

// A frozen network file (features.classifier.weights) that does not exist or does not open as one: a
// UserError naming the key and the file in one line. Run before anything is written.
void check_classifier_file(const std::filesystem::path& file);

class ClassifierFeatures : public FeatureExtractor {
 public:
  // Loads the frozen network (settings.weights), or the cached one for (data, settings), or trains it on
  // `train` and scores it on `test`.
  // `source_key` identifies the data (name, path, files); `log` receives progress lines.
  ClassifierFeatures(const ClassifierSettings& s, const ImageSet& train, const ImageSet& test,
                     const std::string& source_key, const std::filesystem::path& cache_dir,
                     const std::function<void(const std::string&)>& log);
  std::string name() const override { return settings_.name; }
  std::string fingerprint() const override { return fingerprint_; }
  torch::Tensor features(const torch::Tensor& images) override;
  double test_accuracy() const { return test_accuracy_; }
  const std::filesystem::path& cache_file() const { return cache_file_; }

 private:
  // Loads a network archive (model, test_accuracy, width) into net_.
  void load(const std::filesystem::path& file, std::int64_t channels, std::int64_t side, std::int64_t classes);
  ClassifierSettings settings_;
  ClassifierNet net_{nullptr};
  double test_accuracy_ = 0;
  std::string fingerprint_;
  std::filesystem::path cache_file_;
};

}  // namespace stanley
