#include "data/cifar10.h"

#include <fmt/format.h>

#include <fstream>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {
constexpr std::int64_t kPixels = 3 * 32 * 32;
constexpr std::int64_t kRecord = 1 + kPixels;
constexpr const char* kLayout =
    "expected CIFAR-10 binary version: data_batch_1.bin .. data_batch_5.bin and test_batch.bin, "
    "records of 1 label byte + 3072 pixel bytes";
}  // namespace

ImageSet read_cifar10_file(const fs::path& file) {
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
  if (ec) throw UserError(fmt::format("cannot read {}: {}", file.string(), ec.message()));
  if (size == 0 || size % kRecord != 0) {
    throw UserError(fmt::format("{}: {} bytes is not a whole number of {}-byte records (truncated?); {}", file.string(),
                                size, kRecord, kLayout));
  }
  const std::int64_t n = size / kRecord;
  torch::Tensor raw = torch::empty({n, kRecord}, torch::kUInt8);
  std::ifstream in(file, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(raw.data_ptr<std::uint8_t>()), size))
    throw UserError(fmt::format("{}: read failed", file.string()));
  torch::Tensor labels = raw.select(1, 0).to(torch::kInt64);
  if (labels.max().item<std::int64_t>() > 9) throw UserError(fmt::format("{}: label byte above 9; {}", file.string(), kLayout));
  torch::Tensor images = raw.narrow(1, 1, kPixels).reshape({n, 3, 32, 32}).contiguous();
  return {images, labels};
}

ImageSet read_cifar10_split(const fs::path& root, const std::string& split) {
  std::vector<std::string> names;
  if (split == "train") {
    for (int i = 1; i <= 5; ++i) names.push_back(fmt::format("data_batch_{}.bin", i));
  } else if (split == "test") {
    names.push_back("test_batch.bin");
  } else {
    throw UserError(fmt::format("data.split: '{}' is not one of train, test", split));
  }
  fs::path dir = root;
  if (!fs::exists(dir / names[0]) && fs::exists(root / "cifar-10-batches-bin" / names[0])) dir = root / "cifar-10-batches-bin";
  std::vector<torch::Tensor> images, labels;
  for (const auto& name : names) {
    if (!fs::exists(dir / name)) throw UserError(fmt::format("data.root={}: missing {}; {}", root.string(), name, kLayout));
    ImageSet part = read_cifar10_file(dir / name);
    images.push_back(part.images);
    labels.push_back(part.labels);
  }
  return {torch::cat(images), torch::cat(labels)};
}

}  // namespace stanley
