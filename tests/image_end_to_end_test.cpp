// Image experiments through the `stanley` binary at scale=smoke: Fashion-MNIST with fid_fmnist,
// inpainting, CIFAR-10 from files in its binary format, persistent chains across kill and resume,
// `stanley stats`, and the errors for missing data.
#include <gtest/gtest.h>

#include <cmath>

#include "store/h5_file.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

std::string fmnist(const fs::path& dir, const fs::path& cache, const std::string& extra = "") {
  return "run experiment=fmnist scale=smoke threads=1 run.dir=" + dir.string() + " data.cache_dir=" + cache.string() + " " + extra;
}

// A feature network trained per (data, settings) rather than the shipped frozen one (tests/frozen_metric_test.py).
const char* kTrainedNet = " features.classifier.weights=null";

TEST(ImageEndToEnd, FmnistSmokeLogsFidKidAndGrids) {
  TempDir tmp;
  const CommandResult r = run_stanley(fmnist(tmp / "run", tmp / "cache", kTrainedNet));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  const auto fid = h5.read_doubles("/scalars/fid_fmnist/value");
  EXPECT_EQ(h5.read_ints("/scalars/fid_fmnist/step"), (std::vector<std::int64_t>{0, 10, 20}));
  for (double v : fid) EXPECT_GT(v, 0.0);
  EXPECT_TRUE(h5.exists("/scalars/kid_fmnist"));
  EXPECT_EQ(h5.shape("/samples/10"), (std::vector<hsize_t>{16, 1, 28, 28}));
  EXPECT_TRUE(h5.exists("/eval_samples/20"));
  for (const char* png : {"iter_0000010.png", "iter_0000020.png", "eval_0000000.png", "eval_0000020.png"})
    EXPECT_TRUE(fs::exists(tmp / "run" / "samples" / png)) << png;
  // The feature network is trained once and its accuracy logged; a second run reuses the cache.
  const std::string log = r.output;
  EXPECT_NE(log.find("trained feature network fmnist"), std::string::npos) << log;
  const CommandResult again = run_stanley(fmnist(tmp / "run2", tmp / "cache", kTrainedNet));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output.find("trained feature network"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("feature network fmnist: test accuracy"), std::string::npos);
  // Same seed, same cache: the same FID curve.
  H5File h5b(tmp / "run2" / "metrics.h5", H5File::Mode::kReadOnly);
  EXPECT_EQ(h5b.read_doubles("/scalars/fid_fmnist/value"), fid);
}

// The stabilisers and evaluation protocols do what their keys say: negatives clamped, the early
// warning written, the bank protocol and the data floor scored; grad_evals counts M·K per iteration.
TEST(ImageEndToEnd, StabilisersAndProtocols) {
  TempDir tmp;
  const CommandResult r = run_stanley(fmnist(
      tmp / "run", tmp / "cache",
      "sampler=langevin train.clamp=[-0.5,0.5] train.grad_clip=1.0 train.lr_warmup=5 train.warn_abs_d=1e-9 "
      "'++train.init={kind: persistent, low: -1.0, high: 1.0, bank_size: 64, reinit: 0.05, noise: uniform}' "
      "eval.protocols=[noise,train] eval.data_floor=true"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("warning: iteration 20: |d|"), std::string::npos) << r.output;
  // With both protocols scored, the progress line shows the one training uses.
  EXPECT_NE(r.output.find("| fid_fmnist_train="), std::string::npos) << r.output;
  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  for (double v : h5.read_doubles("/samples/20")) {
    ASSERT_GE(v, -0.5);
    ASSERT_LE(v, 0.5);
  }
  EXPECT_EQ(h5.read_ints("/scalars/fid_fmnist_train/step"), (std::vector<std::int64_t>{0, 10, 20}));
  EXPECT_EQ(h5.read_ints("/scalars/fid_fmnist_data/step"), (std::vector<std::int64_t>{0}));
  // Real images score far below untrained samples.
  EXPECT_LT(h5.read_doubles("/scalars/fid_fmnist_data/value")[0], 0.5 * h5.read_doubles("/scalars/fid_fmnist/value")[0]);
  // smoke: M = 16, K = 5, one gradient per Langevin step.
  EXPECT_DOUBLE_EQ(h5.read_doubles("/scalars/grad_evals/value").back(), 20.0 * 16 * 5);
  // eval.at_start=false (the twin's): at iteration 0 only the data floor, the same value; samples from 10 on.
  ASSERT_EQ(run_stanley(fmnist(tmp / "late", tmp / "cache", "eval.protocols=[noise,train] eval.data_floor=true "
                                                             "eval.at_start=false")).exit_code, 0);
  H5File late(tmp / "late" / "metrics.h5", H5File::Mode::kReadOnly);
  EXPECT_EQ(late.read_ints("/scalars/fid_fmnist_train/step"), (std::vector<std::int64_t>{10, 20}));
  EXPECT_EQ(late.read_ints("/scalars/fid_fmnist_data/step"), (std::vector<std::int64_t>{0}));
  EXPECT_EQ(late.read_doubles("/scalars/fid_fmnist_data/value"), h5.read_doubles("/scalars/fid_fmnist_data/value"));
  const CommandResult bad = run_stanley(fmnist(tmp / "bad", tmp / "cache", "train.clamp=[1,0]"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("train.clamp must be null or [low, high] with low < high"), std::string::npos) << bad.output;
}

TEST(ImageEndToEnd, InpaintingLogsPsnrAndGrids) {
  TempDir tmp;
  const CommandResult r = run_stanley("run experiment=fmnist_inpaint scale=smoke threads=1 inpaint.n_images=8 inpaint.n_steps=5 "
                                      "run.dir=" + (tmp / "run").string() + " data.cache_dir=" + (tmp / "cache").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  const auto psnr = h5.read_doubles("/scalars/inpaint_psnr/value");
  ASSERT_EQ(psnr.size(), 3u);
  for (double v : psnr) EXPECT_TRUE(std::isfinite(v));
  EXPECT_TRUE(fs::exists(tmp / "run" / "samples" / "inpaint_0000020.png"));
}

// Two runs starting together on a cold cache (a sweep's jobs): the feature network is trained once; the
// other run waits for it (or, if it starts late, finds it) and loads its file.
TEST(ImageEndToEnd, ConcurrentRunsTrainTheFeatureNetworkOnce) {
  TempDir tmp;
  const std::string bin = STANLEY_BINARY;
  const CommandResult r = run_command(bin + " " + fmnist(tmp / "a", tmp / "cache", std::string("train.iters=2") + kTrainedNet) + " > " +
                                      (tmp / "a.txt").string() + " 2>&1 & " + bin + " " +
                                      fmnist(tmp / "b", tmp / "cache", std::string("train.iters=2") + kTrainedNet) + " > " + (tmp / "b.txt").string() +
                                      " 2>&1; s=$?; wait $! || s=1; cat " + (tmp / "a.txt").string() + " " +
                                      (tmp / "b.txt").string() + "; exit $s");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = r.output.find(what); at != std::string::npos; at = r.output.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("trained feature network"), 1u) << r.output;
  // Whether the second run starts while the first still trains depends on the machine's load; the
  // waiting itself is shown deterministically by BuildLock.SecondBuilderWaitsForTheFirst.
  EXPECT_LE(count("waiting for another process building"), 1u) << r.output;
  H5File a(tmp / "a" / "metrics.h5", H5File::Mode::kReadOnly), b(tmp / "b" / "metrics.h5", H5File::Mode::kReadOnly);
  EXPECT_EQ(a.read_string_attr("status"), "finished");
  EXPECT_EQ(b.read_string_attr("status"), "finished");
}

// Persistent chains: the bank is in every checkpoint, so a killed run resumes to the same numbers.
TEST(ImageEndToEnd, PersistentBankResumesToTheSameNumbers) {
  TempDir tmp;
  const std::string pcd = "train.init.kind=persistent +train.init.noise=uniform +train.init.bank_size=100 "
                          "+train.init.reinit=0.05 train.iters=20 train.ckpt_every=10";
  ASSERT_EQ(run_stanley(fmnist(tmp / "whole", tmp / "cache", pcd)).exit_code, 0);
  // Stop at 10 (a run that ends there), then extend the same directory to 20 by resuming.
  ASSERT_EQ(run_stanley(fmnist(tmp / "cut", tmp / "cache", pcd)).exit_code, 0);
  fs::remove(tmp / "cut" / "checkpoints" / "iter_0000020.pt");
  H5File(tmp / "cut" / "metrics.h5", H5File::Mode::kReadWrite).set_attr("status", std::string("interrupted"));
  const CommandResult resumed = run_stanley("resume " + (tmp / "cut").string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  H5File a(tmp / "whole" / "metrics.h5", H5File::Mode::kReadOnly), b(tmp / "cut" / "metrics.h5", H5File::Mode::kReadOnly);
  EXPECT_EQ(a.read_doubles("/scalars/loss/value"), b.read_doubles("/scalars/loss/value"));
  EXPECT_EQ(a.read_doubles("/scalars/fid_fmnist/value"), b.read_doubles("/scalars/fid_fmnist/value"));
}

TEST(ImageEndToEnd, Cifar10FromBinaryFiles) {
  TempDir tmp;
  const CommandResult made = run_python_in(tmp.path(), R"PY(
import numpy as np, os
rng = np.random.default_rng(0)
os.makedirs(f"{D}/cifar/cifar-10-batches-bin")
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    rec = np.concatenate([rng.integers(0, 10, (20, 1)), rng.integers(0, 256, (20, 3072))], 1).astype(np.uint8)
    rec.tofile(f"{D}/cifar/cifar-10-batches-bin/{name}")
)PY");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const CommandResult r = run_stanley("run experiment=cifar10 scale=smoke threads=1 data.root=" + (tmp / "cifar").string() +
                                      " run.dir=" + (tmp / "run").string() + " data.cache_dir=" + (tmp / "cache").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  EXPECT_EQ(h5.shape("/samples/2"), (std::vector<hsize_t>{8, 3, 32, 32}));
}

TEST(ImageEndToEnd, MissingDataIsOneLineNamingThePath) {
  TempDir tmp;
  const CommandResult r = run_stanley("run experiment=cifar10 scale=smoke data.root=" + (tmp / "nope").string() +
                                      " run.root=" + (tmp / "results").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_NE(r.output.find("data.root=" + (tmp / "nope").string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("data_batch_1..5.bin"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(tmp / "results"));
}

TEST(ImageEndToEnd, InceptionWithoutAFileIsUnavailableAndSaysSo) {
  TempDir tmp;
  const CommandResult r = run_stanley(fmnist(tmp / "run", tmp / "cache", "eval.extractors=[classifier,inception]"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("fid_inception unavailable"), std::string::npos) << r.output;
  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  EXPECT_FALSE(h5.exists("/scalars/fid_inception"));
  EXPECT_TRUE(h5.exists("/scalars/fid_fmnist"));
  // A named file that is not there is bad input: one line, exit 2, no run directory.
  const CommandResult missing = run_stanley(fmnist(tmp / "run2", tmp / "cache",
                                                   "eval.extractors=[inception] features.inception.path=/nonexistent.pt"));
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("features.inception.path=/nonexistent.pt: no such file"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(tmp / "run2"));
}

// A damaged file a run reads (the frozen feature network, an Inception export) is bad input: exit 2, one
// line naming the key and the file, and no run directory (checked before it is made).
TEST(ImageEndToEnd, ADamagedFeatureFileIsOneLineAndNoRunDirectory) {
  TempDir tmp;
  const fs::path shipped = fs::path(STANLEY_SOURCE_DIR) / "assets" / "fid_fmnist" / "classifier.pt";
  fs::copy_file(shipped, tmp / "truncated.pt");
  fs::resize_file(tmp / "truncated.pt", fs::file_size(shipped) / 2);
  write_text(tmp / "garbage.pt", "not a network\n");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"features.classifier.weights=" + (tmp / "truncated.pt").string(),
       "features.classifier.weights: " + (tmp / "truncated.pt").string() + " is damaged"},
      {"features.classifier.weights=" + (tmp / "garbage.pt").string(),
       "features.classifier.weights: " + (tmp / "garbage.pt").string() + " is damaged"},
      {"eval.extractors=[inception] features.inception.path=" + (tmp / "garbage.pt").string(),
       "features.inception.path=" + (tmp / "garbage.pt").string() + ": not a loadable TorchScript file"}};
  for (const auto& [args, fragment] : cases) {
    const CommandResult r = run_stanley(fmnist(tmp / "run", tmp / "cache", args));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_NE(r.output.find(fragment), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(tmp / "run")) << args;
  }
}

TEST(ImageEndToEnd, StatsCommandBuildsReferenceStatistics) {
  TempDir tmp;
  const CommandResult r = run_stanley("stats data=fmnist scale=smoke threads=1 data.cache_dir=" + (tmp / "cache").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("reference statistics fid_fmnist: 512 images of fmnist-test"), std::string::npos) << r.output;
  ASSERT_TRUE(fs::exists(tmp / "cache" / "stats"));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp / "cache" / "stats"), fs::directory_iterator{}), 1);
}

}  // namespace
