#include "data/idx.h"

#include <fmt/format.h>
#include <zlib.h>

#include <memory>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

void read_exact(gzFile f, void* dst, std::size_t n, const fs::path& file, const char* what) {
  std::size_t done = 0;
  auto* out = static_cast<char*>(dst);
  while (done < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
    const int got = gzread(f, out + done, chunk);
    if (got <= 0) {
      throw UserError(fmt::format("{}: truncated IDX file: {} needs {} bytes, found {}", file.string(), what, n, done));
    }
    done += static_cast<std::size_t>(got);
  }
}

}  // namespace

torch::Tensor read_idx(const fs::path& file) {
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(file.string().c_str(), "rb"));
  if (!f) throw UserError(fmt::format("cannot open IDX file {}", file.string()));
  unsigned char magic[4];
  read_exact(f.get(), magic, 4, file, "the header");
  // Magic: two zero bytes, type code (0x08 = unsigned byte), number of dimensions.
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] == 0 || magic[3] > 4)
    throw UserError(fmt::format("{}: not an unsigned-byte IDX file (magic {:02x}{:02x}{:02x}{:02x})", file.string(),
                                magic[0], magic[1], magic[2], magic[3]));
  std::vector<std::int64_t> dims(magic[3]);
  std::int64_t total = 1;
  for (auto& d : dims) {
    unsigned char b[4];
    read_exact(f.get(), b, 4, file, "the dimensions");
    d = (std::int64_t{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3];  // big-endian
    total *= d;
  }
  torch::Tensor out = torch::empty(dims, torch::kUInt8);
  read_exact(f.get(), out.data_ptr<std::uint8_t>(), static_cast<std::size_t>(total), file, "the data");
  return out;
}

ImageSet read_idx_split(const fs::path& root, const std::string& split) {
  if (split != "train" && split != "test") throw UserError(fmt::format("data.split: '{}' is not one of train, test", split));
  if (!fs::is_directory(root)) {
    throw UserError(fmt::format(
        "data.root={}: no such directory; expected the IDX files train-images-idx3-ubyte[.gz], "
        "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] "
        "(Fashion-MNIST: apt install dataset-fashion-mnist)", root.string()));
  }
  const std::string stem = split == "train" ? "train" : "t10k";
  auto find = [&](const std::string& kind) {
    for (const char* ext : {".gz", ""}) {
      const fs::path p = root / (stem + "-" + kind + ext);
      if (fs::exists(p)) return p;
    }
    throw UserError(fmt::format("data.root={}: missing {}-{}[.gz]", root.string(), stem, kind));
  };
  const fs::path images_file = find("images-idx3-ubyte"), labels_file = find("labels-idx1-ubyte");
  torch::Tensor images = read_idx(images_file);
  torch::Tensor labels = read_idx(labels_file);
  if (images.dim() != 3 || labels.dim() != 1 || images.size(0) != labels.size(0)) {
    throw UserError(fmt::format("{} and {}: expected images [N, H, W] and labels [N], found {} and {}", images_file.string(),
                                labels_file.string(), fmt::join(images.sizes(), "x"), fmt::join(labels.sizes(), "x")));
  }
  return {images.unsqueeze(1).contiguous(), labels.to(torch::kInt64)};
}

}  // namespace stanley
