#include "data/image_cache.h"

#include <fmt/format.h>

#include "config/config.h"
#include "config/yaml_tree.h"
#include "store/atomic_file.h"

namespace fs = std::filesystem;

namespace stanley {

ImageSet cached_image_set(const fs::path& cache_dir, const std::string& label, const std::string& key,
                          const std::function<ImageSet()>& build) {
  const fs::path file = cache_dir / "images" / fmt::format("{}-{}.pt", label, hash_text(key));
  if (fs::exists(file)) {
    torch::serialize::InputArchive in;
    in.load_from(file.string());
    ImageSet set;
    in.read("images", set.images);
    torch::Tensor has_labels;
    in.read("has_labels", has_labels);
    if (has_labels.item<bool>()) in.read("labels", set.labels);
    return set;
  }
  ImageSet set = build();
  fs::create_directories(file.parent_path());
  torch::serialize::OutputArchive out;
  out.write("images", set.images);
  out.write("has_labels", torch::tensor(set.labels.defined()));
  if (set.labels.defined()) out.write("labels", set.labels);
  out.write("key", torch::tensor(std::vector<std::int64_t>(key.begin(), key.end())));
  write_atomically(file, [&](const std::string& tmp) { out.save_to(tmp); });
  return set;
}

std::string files_fingerprint(const std::vector<fs::path>& files) {
  std::string out;
  for (const auto& f : files) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    const auto mtime = fs::last_write_time(f, ec).time_since_epoch().count();
    out += fmt::format("{}:{}:{};", f.filename().string(), ec ? 0 : size, ec ? 0 : mtime);
  }
  return out;
}

}  // namespace stanley
