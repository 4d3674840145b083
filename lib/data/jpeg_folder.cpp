#include "data/jpeg_folder.h"

#include <fmt/format.h>
#include <jpeglib.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <memory>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

// libjpeg reports errors through callbacks; longjmp back out of the decoder, then throw in C++.
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1) include "premature end of data": a truncated file would otherwise decode
// to grey padding without complaint, so they are errors here.
void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) on_error(cinfo);
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

torch::Tensor decode_jpeg(const fs::path& file) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(file.string().c_str(), "rb"));
  if (!f) throw UserError(fmt::format("cannot open {}", file.string()));
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.emit_message = on_message;
  torch::Tensor hwc;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw UserError(fmt::format("{}: corrupt or truncated JPEG ({})", file.string(), err.message));
  }
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, f.get());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  hwc = torch::empty({cinfo.output_height, cinfo.output_width, 3}, torch::kUInt8);
  const std::size_t stride = static_cast<std::size_t>(cinfo.output_width) * 3;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = hwc.data_ptr<std::uint8_t>() + stride * cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return hwc.permute({2, 0, 1}).contiguous();
}

torch::Tensor crop_and_resize(const torch::Tensor& image, const JpegPreprocess& p) {
  const std::int64_t h = image.size(1), w = image.size(2);
  const std::int64_t side = p.crop > 0 ? p.crop : std::min(h, w);
  if (side > h || side > w) throw UserError(fmt::format("data.crop={} is larger than an image of {}x{}", side, h, w));
  torch::Tensor crop = image.narrow(1, (h - side) / 2, side).narrow(2, (w - side) / 2, side);
  if (side == p.size) return crop.contiguous();
  namespace F = torch::nn::functional;
  torch::Tensor x = F::interpolate(crop.unsqueeze(0).to(torch::kFloat32),
                                   F::InterpolateFuncOptions()
                                       .size(std::vector<std::int64_t>{p.size, p.size})
                                       .mode(torch::kBilinear)
                                       .align_corners(false)
                                       .antialias(true));
  return x.squeeze(0).round().clamp(0, 255).to(torch::kUInt8);
}

std::vector<fs::path> list_jpegs(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (e.is_regular_file() && (ext == ".jpg" || ext == ".jpeg")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

ImageSet read_jpegs(const std::vector<fs::path>& files, const JpegPreprocess& p) {
  const auto n = static_cast<std::int64_t>(files.size());
  torch::Tensor out = torch::empty({n, 3, p.size, p.size}, torch::kUInt8);
  at::parallel_for(0, n, 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) out[i].copy_(crop_and_resize(decode_jpeg(files[i]), p));
  });
  return {out, torch::Tensor()};
}

}  // namespace stanley
