#pragma once
// PNG files through stb_image_write (Debian libstb-dev), written atomically.

#include <cstdint>
#include <filesystem>

namespace stanley {

// Interleaved 8-bit pixels, rows top to bottom, `channels` 1 (grey) or 3 (RGB).
void write_png(const std::filesystem::path& file, const std::uint8_t* pixels, int width, int height, int channels);

}  // namespace stanley
