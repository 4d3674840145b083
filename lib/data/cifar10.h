#pragma once
// CIFAR-10, binary version: data_batch_1..5.bin (train) and test_batch.bin (test); each record is
// one label byte then 3072 pixel bytes (1024 red, 1024 green, 1024 blue, rows of 32).

#include <filesystem>

#include "data/image_set.h"

namespace stanley {

ImageSet read_cifar10_file(const std::filesystem::path& file);
// root holds the .bin files directly or in cifar-10-batches-bin/ (the tarball's folder).
ImageSet read_cifar10_split(const std::filesystem::path& root, const std::string& split);

}  // namespace stanley
