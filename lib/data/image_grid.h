#pragma once
// Sample grids: a batch of images in [-1, 1] tiled into one picture, saved as PNG.

#include <torch/torch.h>

#include <filesystem>

namespace stanley {

// [N, C, H, W] in [-1, 1] -> uint8 [rows*(H+pad)+pad, cols*(W+pad)+pad, C], `cols` per row.
torch::Tensor tile_images(const torch::Tensor& images, std::int64_t cols, std::int64_t pad = 2);
// tile_images then write_png; cols <= 0: a square-ish grid.
void save_image_grid(const std::filesystem::path& file, const torch::Tensor& images, std::int64_t cols = 0);

}  // namespace stanley
