#include "io/png.h"

#include <fmt/format.h>
#include <stb/stb_image_write.h>

#include "io/errors.h"

namespace fs = std::filesystem;

namespace stanley {

void write_png(const fs::path& file, const std::uint8_t* pixels, int width, int height, int channels) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  const fs::path tmp = file.string() + ".tmp";
  if (!stbi_write_png(tmp.string().c_str(), width, height, channels, pixels, width * channels))
    throw UserError(fmt::format("cannot write {}", file.string()));
  fs::rename(tmp, file);
}

}  // namespace stanley
