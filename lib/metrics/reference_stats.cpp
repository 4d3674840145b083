#include "metrics/reference_stats.h"

#include <fmt/format.h>

#include <optional>

#include "config/config.h"
#include "config/yaml_tree.h"
#include "store/atomic_file.h"
#include "store/build_lock.h"

namespace fs = std::filesystem;

namespace stanley {

torch::Tensor image_features(FeatureExtractor& extractor, const torch::Tensor& images_u8, std::int64_t batch,
                             const torch::Device& device) {
  std::vector<torch::Tensor> parts;
  for (std::int64_t i = 0; i < images_u8.size(0); i += batch) {
    const std::int64_t b = std::min(batch, images_u8.size(0) - i);
    parts.push_back(extractor.features(to_unit_range(images_u8.narrow(0, i, b).to(device))));
  }
  return torch::cat(parts);
}

ReferenceStats reference_stats(FeatureExtractor& extractor, const ImageSet& images, const std::string& label,
                               const std::string& source_key, const fs::path& cache_dir, std::int64_t kid_keep,
                               const torch::Device& device) {
  // v2: features in chunks of 64 images (ClassifierFeatures::features), which moves digits at ~1e-9.
  const std::string key = fmt::format("refstats-v2|{}|{}|{}|n{}|kid{}", source_key, extractor.name(),
                                      extractor.fingerprint(), images.images.size(0), kid_keep);
  ReferenceStats r;
  r.file = cache_dir / "stats" / fmt::format("{}-{}-{}.pt", label, extractor.name(), hash_text(key));
  std::optional<BuildLock> building;  // one process of a sweep computes them, the others load its file
  if (!fs::exists(r.file)) building.emplace(r.file, nullptr);
  if (fs::exists(r.file)) {
    torch::serialize::InputArchive in;
    in.load_from(r.file.string());
    torch::Tensor n;
    in.read("mean", r.stats.mean);
    in.read("cov", r.stats.cov);
    in.read("n", n);
    in.read("kid_features", r.kid_features);
    r.stats.n = n.item<std::int64_t>();
    return r;
  }
  torch::Tensor f = image_features(extractor, images.images, 500, device);
  r.stats = feature_stats(f);
  r.kid_features = f.narrow(0, 0, std::min(kid_keep, f.size(0))).clone();
  torch::serialize::OutputArchive out;
  out.write("mean", r.stats.mean);
  out.write("cov", r.stats.cov);
  out.write("n", torch::tensor(r.stats.n, torch::kInt64));
  out.write("kid_features", r.kid_features);
  write_atomically(r.file, [&](const std::string& tmp) { out.save_to(tmp); });
  return r;
}

}  // namespace stanley
