// Image readers against files written in each real format by an independent writer (Python:
// numpy, gzip, Pillow), pixel for pixel; the dataset cache; clear errors on bad input.
#include <gtest/gtest.h>

#include "config/errors.h"
#include "data/cifar10.h"
#include "data/idx.h"
#include "data/image_dataset.h"
#include "data/image_grid.h"
#include "data/jpeg_folder.h"
#include "tensor_files.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

// Runs a Python snippet with `D` bound to the temp directory; fails the test on error.
void python_in(const fs::path& dir, const std::string& code) {
  const CommandResult r = run_python_in(dir, code);
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IdxReader, GzippedAndPlainMatchTheWrittenBytes) {
  TempDir tmp;
  python_in(tmp.path(), R"PY(
import gzip, numpy as np
rng = np.random.default_rng(0)
for stem, n in (("train", 7), ("t10k", 5)):
    img = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    lab = rng.integers(0, 10, n, dtype=np.uint8)
    img.tofile(f"{D}/{stem}_pixels.raw"); lab.tofile(f"{D}/{stem}_labels.raw")
    hi = b"\x00\x00\x08\x03" + np.array([n, 28, 28], ">u4").tobytes() + img.tobytes()
    hl = b"\x00\x00\x08\x01" + np.array([n], ">u4").tobytes() + lab.tobytes()
    if stem == "train":   # gzipped
        open(f"{D}/{stem}-images-idx3-ubyte.gz", "wb").write(gzip.compress(hi))
        open(f"{D}/{stem}-labels-idx1-ubyte.gz", "wb").write(gzip.compress(hl))
    else:                 # plain
        open(f"{D}/{stem}-images-idx3-ubyte", "wb").write(hi)
        open(f"{D}/{stem}-labels-idx1-ubyte", "wb").write(hl)
)PY");
  for (const auto& [split, stem, n] : {std::tuple{"train", "train", 7}, std::tuple{"test", "t10k", 5}}) {
    const ImageSet set = read_idx_split(tmp.path(), split);
    ASSERT_EQ(set.images.sizes(), (std::vector<std::int64_t>{n, 1, 28, 28}));
    EXPECT_TRUE(set.images.equal(load_raw(tmp / (std::string(stem) + "_pixels.raw"), torch::kUInt8, {n, 1, 28, 28})));
    EXPECT_TRUE(set.labels.equal(load_raw(tmp / (std::string(stem) + "_labels.raw"), torch::kUInt8, {n}).to(torch::kLong)));
  }
}

TEST(IdxReader, TruncatedAndMissingFilesSayWhat) {
  TempDir tmp;
  python_in(tmp.path(), R"PY(
import numpy as np
open(f"{D}/train-images-idx3-ubyte", "wb").write(b"\x00\x00\x08\x03" + np.array([10, 28, 28], ">u4").tobytes() + bytes(100))
)PY");
  EXPECT_NE(error_of([&] { read_idx(tmp / "train-images-idx3-ubyte"); }).find("truncated IDX file"), std::string::npos);
  EXPECT_NE(error_of([&] { read_idx_split(tmp / "nowhere", "train"); }).find("data.root=" + (tmp / "nowhere").string()),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_idx_split(tmp.path(), "train"); }).find("missing train-labels-idx1-ubyte"), std::string::npos);
}

TEST(Cifar10Reader, RecordsDecodeToChannelPlanes) {
  TempDir tmp;
  python_in(tmp.path(), R"PY(
import numpy as np, os
rng = np.random.default_rng(1)
os.makedirs(f"{D}/cifar-10-batches-bin")
imgs, labs = [], []
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    img = rng.integers(0, 256, (3, 3, 32, 32), dtype=np.uint8)   # [N, C, H, W]
    lab = rng.integers(0, 10, 3, dtype=np.uint8)
    rec = np.concatenate([lab[:, None], img.reshape(3, -1)], axis=1)
    rec.tofile(f"{D}/cifar-10-batches-bin/{name}")
    if name != "test_batch.bin":
        imgs.append(img); labs.append(lab)
np.concatenate(imgs).tofile(f"{D}/train_pixels.raw"); np.concatenate(labs).tofile(f"{D}/train_labels.raw")
)PY");
  const ImageSet train = read_cifar10_split(tmp.path(), "train");
  ASSERT_EQ(train.images.sizes(), (std::vector<std::int64_t>{15, 3, 32, 32}));
  EXPECT_TRUE(train.images.equal(load_raw(tmp / "train_pixels.raw", torch::kUInt8, {15, 3, 32, 32})));
  EXPECT_TRUE(train.labels.equal(load_raw(tmp / "train_labels.raw", torch::kUInt8, {15}).to(torch::kLong)));
  EXPECT_EQ(read_cifar10_split(tmp.path(), "test").images.size(0), 3);

  fs::resize_file(tmp / "cifar-10-batches-bin" / "data_batch_3.bin", 3073 * 2 + 100);
  EXPECT_NE(error_of([&] { read_cifar10_split(tmp.path(), "train"); }).find("truncated?"), std::string::npos);
  fs::remove(tmp / "cifar-10-batches-bin" / "test_batch.bin");
  EXPECT_NE(error_of([&] { read_cifar10_split(tmp.path(), "test"); }).find("missing test_batch.bin"), std::string::npos);
}

// Pillow decodes with the same libjpeg-turbo, so pixels must agree exactly; crop and resize must
// agree with torch.nn.functional.interpolate(antialias=True) in Python to one grey level.
TEST(JpegFolder, DecodeCropAndResizeMatchPillowAndTorch) {
  TempDir tmp;
  python_in(tmp.path(), R"PY(
import numpy as np, os, torch
from PIL import Image
rng = np.random.default_rng(2)
os.makedirs(f"{D}/jpg")
y, x = np.mgrid[0:45, 0:60]
for i in range(3):
    base = np.stack([np.sin(x / (5 + i)) , np.cos(y / 7), np.sin((x + y) / 9)], -1) * 100 + 128
    img = np.clip(base + rng.normal(0, 10, base.shape), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{D}/jpg/image_{i + 1:05d}.jpg", quality=90)
Image.fromarray(np.full((30, 30), 77, np.uint8)).save(f"{D}/jpg/image_00004.jpg")   # greyscale JPEG
decoded = [np.asarray(Image.open(f"{D}/jpg/image_{i + 1:05d}.jpg").convert("RGB")) for i in range(4)]
decoded[0].transpose(2, 0, 1).copy().tofile(f"{D}/decoded0.raw")
decoded[3].transpose(2, 0, 1).copy().tofile(f"{D}/decoded3.raw")
t = torch.from_numpy(decoded[0].transpose(2, 0, 1).copy()).float()[None]
crop = t[:, :, 0:45, 7:52]            # largest centred square of 45x60
r = torch.nn.functional.interpolate(crop, size=(16, 16), mode="bilinear", align_corners=False, antialias=True)
r.round().clamp(0, 255).to(torch.uint8)[0].numpy().tofile(f"{D}/resized0.raw")
open(f"{D}/jpg/image_00005.jpg", "wb").write(open(f"{D}/jpg/image_00001.jpg", "rb").read()[:400])  # truncated
)PY");
  EXPECT_TRUE(decode_jpeg(tmp / "jpg" / "image_00001.jpg").equal(load_raw(tmp / "decoded0.raw", torch::kUInt8, {3, 45, 60})));
  EXPECT_TRUE(decode_jpeg(tmp / "jpg" / "image_00004.jpg").equal(load_raw(tmp / "decoded3.raw", torch::kUInt8, {3, 30, 30})));
  const torch::Tensor resized = crop_and_resize(decode_jpeg(tmp / "jpg" / "image_00001.jpg"), {0, 16});
  const torch::Tensor expected = load_raw(tmp / "resized0.raw", torch::kUInt8, {3, 16, 16});
  EXPECT_LE((resized.to(torch::kInt) - expected.to(torch::kInt)).abs().max().item<int>(), 1);

  const std::string err = error_of([&] { decode_jpeg(tmp / "jpg" / "image_00005.jpg"); });
  EXPECT_NE(err.find("image_00005.jpg: corrupt or truncated JPEG"), std::string::npos) << err;
  EXPECT_EQ(list_jpegs(tmp / "jpg").size(), 5u);
}

Config image_config(const std::string& yaml) { return Config(YAML::Load(yaml), "data"); }

TEST(ImageDataset, JpegFolderThroughTheCacheWithPartitions) {
  TempDir tmp;
  python_in(tmp.path(), R"PY(
import numpy as np, os
from PIL import Image
os.makedirs(f"{D}/celeba/img_align_celeba")
rng = np.random.default_rng(3)
with open(f"{D}/celeba/list_eval_partition.txt", "w") as f:
    for i in range(6):
        Image.fromarray(rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)).save(f"{D}/celeba/img_align_celeba/{i + 1:06d}.jpg")
        f.write(f"{i + 1:06d}.jpg {0 if i < 4 else 2}\n")
)PY");
  const std::string yaml = "{name: celeba, root: " + (tmp / "celeba").string() +
                           ", subdir: img_align_celeba, layout: CelebA, split: train, partition_file: list_eval_partition.txt,"
                           " crop: 20, size: 8, noise: 0.0, max_images: 0, cache_dir: " + (tmp / "cache").string() + "}";
  auto data = std::dynamic_pointer_cast<ImageDataset>(make_dataset(image_config(yaml)));
  ASSERT_TRUE(data);
  EXPECT_EQ(data->images().images.sizes(), (std::vector<std::int64_t>{4, 3, 8, 8}));
  EXPECT_EQ(data->load_split("test").images.size(0), 2);
  EXPECT_EQ(data->load_split("all").images.size(0), 6);
  EXPECT_EQ(data->sample_shape(), (std::vector<std::int64_t>{3, 8, 8}));
  const auto cached = std::distance(fs::directory_iterator(tmp / "cache" / "images"), fs::directory_iterator{});
  EXPECT_EQ(cached, 3);  // one file per (split, preprocessing)
  auto again = std::dynamic_pointer_cast<ImageDataset>(make_dataset(image_config(yaml)));
  EXPECT_TRUE(again->images().images.equal(data->images().images));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp / "cache" / "images"), fs::directory_iterator{}), cached);
  // Batches are images scaled to [-1, 1] (no data noise here).
  at::Generator gen = at::detail::createCPUGenerator(0);
  const torch::Tensor x = data->batch(10, gen, torch::kCPU);
  EXPECT_LE(x.abs().max().item<double>(), 1.0);
  // ... and each is exactly one of the stored images.
  const torch::Tensor stored = data->images().images.flatten(1).to(torch::kInt);
  for (std::int64_t i = 0; i < 10; ++i) {
    const torch::Tensor d = (stored - to_uint8(x[i]).flatten().to(torch::kInt)).abs().sum(1);
    EXPECT_EQ(d.min().item<int>(), 0) << "batch element " << i;
  }
  EXPECT_NE(error_of([&] { data->load_split("valid"); }).find("no .jpg files for split 'valid'"), std::string::npos);
}

TEST(ImageDataset, MissingRootNamesTheExpectedPathAndWritesNothing) {
  TempDir tmp;
  const std::string yaml = "{name: flowers, root: " + (tmp / "flowers").string() +
                           ", subdir: jpg, layout: \"Oxford Flowers 102's jpg/ folder\", split: all, partition_file: none,"
                           " crop: 0, size: 8, noise: 0.0, max_images: 0, cache_dir: " + (tmp / "cache").string() + "}";
  const std::string err = error_of([&] { make_dataset(image_config(yaml)); });
  EXPECT_NE(err.find("data.root=" + (tmp / "flowers").string()), std::string::npos) << err;
  EXPECT_NE(err.find("jpg/ folder"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(tmp / "cache"));
}

// The real Fashion-MNIST from Debian's dataset-fashion-mnist: the suite's always-present image set.
TEST(ImageDataset, DebianFashionMnist) {
  TempDir tmp;
  const std::string yaml = "{name: fmnist, root: /usr/share/datasets/fashion-mnist, split: train, noise: 0.03,"
                           " max_images: 0, cache_dir: " + (tmp / "cache").string() + "}";
  auto data = std::dynamic_pointer_cast<ImageDataset>(make_dataset(image_config(yaml)));
  ASSERT_TRUE(data);
  EXPECT_EQ(data->images().images.sizes(), (std::vector<std::int64_t>{60000, 1, 28, 28}));
  EXPECT_EQ(data->images().labels.max().item<std::int64_t>(), 9);
  const ImageSet test = data->load_split("test");
  EXPECT_EQ(test.images.size(0), 10000);
  // Every class has 6,000 training images.
  EXPECT_TRUE(torch::bincount(data->images().labels).eq(6000).all().item<bool>());
}

// Grids: tile i sits at row i / cols, column i % cols, behind 2-pixel white gutters; the PNG read
// back by Pillow holds the same bytes.
TEST(ImageGrid, TilesAndPngRoundTrip) {
  TempDir tmp;
  const torch::Tensor images = torch::linspace(-1, 1, 5 * 3 * 4 * 6).reshape({5, 3, 4, 6});
  const torch::Tensor grid = tile_images(images, 3);
  ASSERT_EQ(grid.sizes(), (std::vector<std::int64_t>{2 * 6 + 2, 3 * 8 + 2, 3}));
  EXPECT_TRUE(grid.narrow(0, 2 + 6, 4).narrow(1, 2 + 8, 6).equal(to_uint8(images[4]).permute({1, 2, 0})));
  EXPECT_EQ(grid[0][0][0].item<int>(), 255);
  save_image_grid(tmp / "g.png", images, 3);
  save_raw(tmp / "g.raw", grid);
  python_in(tmp.path(), R"PY(
import numpy as np
from PIL import Image
png = np.asarray(Image.open(f"{D}/g.png"))
raw = np.fromfile(f"{D}/g.raw", np.uint8).reshape(png.shape)
assert (png == raw).all(), "PNG differs"
)PY");
}

}  // namespace
