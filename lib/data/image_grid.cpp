#include "data/image_grid.h"

#include <cmath>

#include "data/image_set.h"
#include "store/png.h"

namespace stanley {

torch::Tensor tile_images(const torch::Tensor& images, std::int64_t cols, std::int64_t pad) {
  const std::int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  const std::int64_t rows = (n + cols - 1) / cols;
  torch::Tensor u8 = to_uint8(images.cpu());
  // White gutters between tiles, as torchvision's save_image draws them (pad_value 1).
  torch::Tensor grid = torch::full({rows * (h + pad) + pad, cols * (w + pad) + pad, c}, 255, torch::kUInt8);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t r = i / cols, q = i % cols;
    grid.narrow(0, pad + r * (h + pad), h).narrow(1, pad + q * (w + pad), w).copy_(u8[i].permute({1, 2, 0}));
  }
  return grid;
}

void save_image_grid(const std::filesystem::path& file, const torch::Tensor& images, std::int64_t cols) {
  if (cols <= 0) cols = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(images.size(0)))));
  torch::Tensor grid = tile_images(images, cols).contiguous();
  write_png(file, grid.data_ptr<std::uint8_t>(), static_cast<int>(grid.size(1)), static_cast<int>(grid.size(0)),
            static_cast<int>(grid.size(2)));
}

}  // namespace stanley
