#pragma once
// IDX files (MNIST, Fashion-MNIST), gzipped or plain: zlib's gzread reads both.

#include <torch/torch.h>

#include <filesystem>

#include "config/config.h"
#include "data/image_set.h"

namespace stanley {

// The whole file as a uint8 tensor of the dimensions in its header (only unsigned-byte IDX).
torch::Tensor read_idx(const std::filesystem::path& file);
// <root>/<train|t10k>-images-idx3-ubyte[.gz] and the matching labels, as [N, 1, 28, 28].
ImageSet read_idx_split(const std::filesystem::path& root, const std::string& split);

}  // namespace stanley
