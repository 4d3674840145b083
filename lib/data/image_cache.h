#pragma once
// Decoding a dataset is slow (CelebA: 200k JPEGs); its uint8 result is kept once per source and
// preprocessing under <cache_dir>/images/, keyed by a hash of a description the caller builds.

#include <filesystem>
#include <functional>
#include <string>

#include "data/image_set.h"

namespace stanley {

// Returns the cached set for `key` or builds, stores (atomically) and returns it.
// `key` must name everything the pixels depend on: source path, file sizes, crop, size, split.
ImageSet cached_image_set(const std::filesystem::path& cache_dir, const std::string& label, const std::string& key,
                          const std::function<ImageSet()>& build);

// "name:size:mtime" for each file: cheap evidence that the source did not change.
std::string files_fingerprint(const std::vector<std::filesystem::path>& files);

}  // namespace stanley
