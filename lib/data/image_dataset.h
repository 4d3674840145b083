#pragma once
// Image data for EBMs: uint8 pixels held in memory, batches scaled to [-1, 1] with optional
// Gaussian data noise (σ ≈ 0.03 in the EBM literature), any split loadable for reference statistics.

#include <functional>
#include <string>

#include "data/dataset.h"
#include "data/image_set.h"

namespace stanley {

// Reads one split ("train", "test", "all", ...) of a data config; throws UserError naming the
// expected path and layout.
using ImageLoader = std::function<ImageSet(const Config& data_cfg, const std::string& split)>;

class ImageDataset : public Dataset {
 public:
  // Loads data_cfg.split through the cache under data_cfg.cache_dir.
  ImageDataset(const Config& data_cfg, ImageLoader loader);
  torch::Tensor batch(std::int64_t m, at::Generator& gen, const torch::Device& device) override;
  std::vector<std::int64_t> sample_shape() const override;

  const ImageSet& images() const { return set_; }
  const std::string& name() const { return name_; }
  const std::string& split() const { return split_; }
  // Another split of the same source (cached), e.g. "test" for reference statistics.
  ImageSet load_split(const std::string& split) const;
  // Names a set's content for cache keys: dataset name, split, shape and a pixel checksum.
  std::string content_key(const ImageSet& set, const std::string& split) const;

 private:
  Config cfg_;
  ImageLoader loader_;
  std::string name_, split_;
  double noise_ = 0;
  ImageSet set_;
};

// Dataset factories for the registry: IDX (mnist, fmnist), CIFAR-10 binary, JPEG folders.
DatasetPtr make_idx_dataset(const Config& cfg);
DatasetPtr make_cifar10_dataset(const Config& cfg);
DatasetPtr make_jpeg_folder_dataset(const Config& cfg);

}  // namespace stanley
