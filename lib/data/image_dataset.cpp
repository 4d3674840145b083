#include "data/image_dataset.h"

#include <fmt/format.h>

#include <fstream>
#include <set>

#include "data/cifar10.h"
#include "data/idx.h"
#include "data/image_cache.h"
#include "data/jpeg_folder.h"
#include "random/draws.h"

namespace fs = std::filesystem;

namespace stanley {

ImageDataset::ImageDataset(const Config& data_cfg, ImageLoader loader)
    : cfg_(data_cfg), loader_(std::move(loader)) {
  name_ = cfg_.get<std::string>("name");
  split_ = cfg_.get<std::string>("split");
  noise_ = cfg_.get<double>("noise");
  if (noise_ < 0) throw UserError(fmt::format("{} must be >= 0", cfg_.full_key("noise")));
  set_ = load_split(split_);
  if (set_.images.size(0) == 0) throw UserError(fmt::format("{}: split '{}' has no images", cfg_.full_key("root"), split_));
}

ImageSet ImageDataset::load_split(const std::string& split) const { return loader_(cfg_, split); }

std::string ImageDataset::content_key(const ImageSet& set, const std::string& split) const {
  const torch::Tensor flat = set.images.flatten().to(torch::kInt64);
  const torch::Tensor weights = torch::arange(flat.numel(), torch::kInt64).remainder(251).add(1);
  return fmt::format("{}|{}|{}|sum{}|wsum{}", name_, split, fmt::join(set.images.sizes(), "x"), flat.sum().item<std::int64_t>(),
                     flat.mul(weights).sum().item<std::int64_t>());
}

torch::Tensor ImageDataset::batch(std::int64_t m, at::Generator& gen, const torch::Device& device) {
  torch::Tensor idx = draw::integers(0, set_.images.size(0), {m}, gen, torch::kCPU);
  torch::Tensor x = to_unit_range(set_.images.index_select(0, idx)).to(device);
  if (noise_ > 0) x = x + noise_ * draw::normal(x.sizes(), gen, x.options());
  return x;
}

std::vector<std::int64_t> ImageDataset::sample_shape() const {
  const auto s = set_.images.sizes();
  return {s[1], s[2], s[3]};
}

namespace {

fs::path root_of(const Config& cfg) { return cfg.get<std::string>("root"); }

// The first max_images (0: all) of a set, so small runs need not hold a whole dataset.
ImageSet take_first(ImageSet set, std::int64_t max_images) {
  if (max_images <= 0 || max_images >= set.images.size(0)) return set;
  set.images = set.images.narrow(0, 0, max_images).clone();
  if (set.labels.defined()) set.labels = set.labels.narrow(0, 0, max_images).clone();
  return set;
}

ImageSet load_idx(const Config& cfg, const std::string& split) {
  const fs::path root = root_of(cfg);
  std::vector<fs::path> sources;
  if (fs::is_directory(root))
    for (const auto& e : fs::directory_iterator(root)) sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  const std::string key = fmt::format("idx|{}|{}|{}", fs::absolute(root).string(), split, files_fingerprint(sources));
  ImageSet set = cached_image_set(cfg.get<std::string>("cache_dir"), cfg.get<std::string>("name") + "-" + split, key,
                                  [&] { return read_idx_split(root, split); });
  return take_first(std::move(set), cfg.get<long>("max_images", 0));
}

ImageSet load_cifar10(const Config& cfg, const std::string& split) {
  const fs::path root = root_of(cfg);
  if (!fs::is_directory(root)) {
    throw UserError(fmt::format("data.root={}: no such directory; expected CIFAR-10 binary version "
                                "(cifar-10-batches-bin/ with data_batch_1..5.bin, test_batch.bin)", root.string()));
  }
  std::vector<fs::path> sources;
  for (const fs::path& dir : {root, root / "cifar-10-batches-bin"})
    if (fs::is_directory(dir))
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".bin") sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  const std::string key = fmt::format("cifar10|{}|{}|{}", fs::absolute(root).string(), split, files_fingerprint(sources));
  ImageSet set = cached_image_set(cfg.get<std::string>("cache_dir"), "cifar10-" + split, key,
                                  [&] { return read_cifar10_split(root, split); });
  return take_first(std::move(set), cfg.get<long>("max_images", 0));
}

// CelebA's list_eval_partition.txt: "<file> <0 train | 1 valid | 2 test>" per line.
std::set<std::string> partition_members(const fs::path& file, const std::string& split) {
  const std::map<std::string, std::string> code{{"train", "0"}, {"valid", "1"}, {"test", "2"}};
  if (!code.count(split)) throw UserError(fmt::format("data.split: '{}' is not one of all, train, valid, test", split));
  std::ifstream in(file);
  if (!in) throw UserError(fmt::format("data.split={} needs the partition file {} (or data.split=all)", split, file.string()));
  std::set<std::string> members;
  std::string name, part;
  while (in >> name >> part)
    if (part == code.at(split)) members.insert(name);
  return members;
}

ImageSet load_jpeg_folder(const Config& cfg, const std::string& split) {
  const fs::path root = root_of(cfg);
  const fs::path dir = root / cfg.get<std::string>("subdir");
  if (!fs::is_directory(dir)) {
    throw UserError(fmt::format("data.root={}: no folder {}; expected {}", root.string(), dir.string(),
                                cfg.get<std::string>("layout")));
  }
  std::vector<fs::path> files = list_jpegs(dir);
  if (split != "all") {
    const auto members = partition_members(root / cfg.get<std::string>("partition_file"), split);
    files.erase(std::remove_if(files.begin(), files.end(),
                               [&](const fs::path& f) { return !members.count(f.filename().string()); }),
                files.end());
  }
  const std::int64_t max_images = cfg.get<long>("max_images", 0);
  if (max_images > 0 && static_cast<std::int64_t>(files.size()) > max_images) files.resize(max_images);
  if (files.empty()) throw UserError(fmt::format("{}: no .jpg files for split '{}'; expected {}", dir.string(), split, cfg.get<std::string>("layout")));
  JpegPreprocess p{cfg.get<long>("crop"), cfg.get<long>("size")};
  if (p.size <= 0 || p.crop < 0) throw UserError("data.size > 0 and data.crop >= 0 are required");
  const std::string key = fmt::format("jpeg|{}|{}|crop{}|size{}|{}", fs::absolute(dir).string(), split, p.crop, p.size,
                                      files_fingerprint(files));
  return cached_image_set(cfg.get<std::string>("cache_dir"),
                          fmt::format("{}-{}-{}px", cfg.get<std::string>("name"), split, p.size), key,
                          [&] { return read_jpegs(files, p); });
}

}  // namespace

DatasetPtr make_idx_dataset(const Config& cfg) { return std::make_shared<ImageDataset>(cfg, load_idx); }
DatasetPtr make_cifar10_dataset(const Config& cfg) { return std::make_shared<ImageDataset>(cfg, load_cifar10); }
DatasetPtr make_jpeg_folder_dataset(const Config& cfg) { return std::make_shared<ImageDataset>(cfg, load_jpeg_folder); }

}  // namespace stanley
