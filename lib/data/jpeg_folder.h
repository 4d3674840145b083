#pragma once
// Folders of JPEGs (Oxford Flowers 102 jpg/, CelebA img_align_celeba/): decoded with libjpeg-turbo
// (the decoder Pillow uses, so pixels match), centre-cropped, resized with antialiased bilinear.

#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "data/image_set.h"

namespace stanley {

// One JPEG as uint8 [3, H, W] (grayscale JPEGs are expanded to RGB). Corrupt or truncated files
// are UserErrors naming the file.
torch::Tensor decode_jpeg(const std::filesystem::path& file);

struct JpegPreprocess {
  std::int64_t crop = 0;  // centred square crop side; 0: the largest centred square
  std::int64_t size = 64; // output side after resizing
};
// Crop then resize one decoded image: uint8 [3, H, W] -> uint8 [3, size, size].
torch::Tensor crop_and_resize(const torch::Tensor& image, const JpegPreprocess& p);

// The *.jpg / *.jpeg files of dir, sorted by name.
std::vector<std::filesystem::path> list_jpegs(const std::filesystem::path& dir);
// Decodes and preprocesses every file (in parallel over files).
ImageSet read_jpegs(const std::vector<std::filesystem::path>& files, const JpegPreprocess& p);

}  // namespace stanley
