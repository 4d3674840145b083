#include "store/png.h"

#include <fmt/format.h>
#include <stb/stb_image_write.h>

#include <cerrno>
#include <cstring>

#include "config/errors.h"
#include "store/atomic_file.h"

namespace fs = std::filesystem;

namespace stanley {

void write_png(const fs::path& file, const std::uint8_t* pixels, int width, int height, int channels) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  write_atomically(file, [&](const std::string& tmp) {
    if (!stbi_write_png(tmp.c_str(), width, height, channels, pixels, width * channels))
      throw std::runtime_error(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
  });
}

}  // namespace stanley
