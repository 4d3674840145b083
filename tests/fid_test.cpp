// FID and KID against independent references: pytorch-fid's formula with scipy.linalg.sqrtm, a numpy
// KID; TorchScript Inception fixtures built by Python (torchvision's inception_v3 with random
// weights; an NVIDIA-style module) checked end to end through loading and preprocessing.
#include <gtest/gtest.h>

#include <sstream>

#include "metrics/feature_stats.h"
#include "metrics/inception_features.h"
#include "metrics/kid.h"
#include "tensor_files.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

std::vector<double> python_numbers(const fs::path& dir, const std::string& code) {
  const CommandResult r = run_python_in(dir, code);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::istringstream in(r.output);
  std::vector<double> out;
  double v;
  while (in >> v) out.push_back(v);
  return out;
}

// Correlated features with different means and covariances, as real extractor outputs are.
// `mix_seed` fixes the covariance, `seed` the draws.
torch::Tensor features(std::int64_t n, std::int64_t d, double shift, std::uint64_t seed, std::uint64_t mix_seed) {
  at::Generator mix_gen = at::detail::createCPUGenerator(mix_seed);
  const torch::Tensor mix = at::normal(0.0, 1.0, {d, d}, mix_gen, torch::kFloat64) / std::sqrt(static_cast<double>(d));
  at::Generator gen = at::detail::createCPUGenerator(seed);
  return at::normal(0.0, 1.0, {n, d}, gen, torch::kFloat64).mm(mix) + shift;
}

TEST(Frechet, EqualsPytorchFidFormulaWithScipySqrtm) {
  TempDir tmp;
  const torch::Tensor a = features(600, 64, 0.0, 1, 1), b = features(400, 64, 0.3, 2, 2);
  save_raw(tmp / "a.raw", a);
  save_raw(tmp / "b.raw", b);
  // Statistics accumulated batch by batch equal the one-shot numpy ones.
  FeatureStatsAccumulator acc;
  for (std::int64_t i = 0; i < 600; i += 128) acc.add(a.narrow(0, i, std::min<std::int64_t>(128, 600 - i)));
  const FeatureStats sa = acc.finish(), sb = feature_stats(b);
  const auto ref = python_numbers(tmp.path(), R"PY(
import numpy as np
from scipy import linalg
a = np.fromfile(f"{D}/a.raw").reshape(600, 64); b = np.fromfile(f"{D}/b.raw").reshape(400, 64)
mu1, mu2 = a.mean(0), b.mean(0)
s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
# pytorch-fid's calculate_frechet_distance
covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
if np.iscomplexobj(covmean):
    covmean = covmean.real
diff = mu1 - mu2
fid = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)
print(repr(fid), repr(np.abs(s1).max()), repr(s1[3, 5]), repr(mu1[7]))
)PY");
  ASSERT_EQ(ref.size(), 4u);
  const double fid = frechet_distance(sa, sb);
  EXPECT_NEAR(fid, ref[0], 1e-6 * std::abs(ref[0]));
  EXPECT_NEAR(sa.cov[3][5].item<double>(), ref[2], 1e-12);
  EXPECT_NEAR(sa.mean[7].item<double>(), ref[3], 1e-12);
  EXPECT_EQ(sa.n, 600);
  EXPECT_NEAR(frechet_distance(sa, sa), 0.0, 1e-8);
}

// Singular covariances (fewer samples than dimensions) stay finite and match scipy.
TEST(Frechet, RankDeficientCovariances) {
  TempDir tmp;
  const torch::Tensor a = features(20, 48, 0.0, 3, 3), b = features(30, 48, 0.1, 4, 4);
  save_raw(tmp / "a.raw", a);
  save_raw(tmp / "b.raw", b);
  const auto ref = python_numbers(tmp.path(), R"PY(
import numpy as np
from scipy import linalg
a = np.fromfile(f"{D}/a.raw").reshape(20, 48); b = np.fromfile(f"{D}/b.raw").reshape(30, 48)
s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
covmean = linalg.sqrtm(s1.dot(s2), disp=False)[0].real
d = a.mean(0) - b.mean(0)
print(repr(d.dot(d) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)))
)PY");
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_NEAR(frechet_distance(feature_stats(a), feature_stats(b)), ref[0], 1e-5 * std::abs(ref[0]));
}

TEST(Kid, UnbiasedPolynomialMmdEqualsNumpy) {
  TempDir tmp;
  const torch::Tensor x = features(50, 16, 0.0, 5, 5), y = features(70, 16, 0.2, 6, 6);
  save_raw(tmp / "x.raw", x);
  save_raw(tmp / "y.raw", y);
  const auto ref = python_numbers(tmp.path(), R"PY(
import numpy as np
x = np.fromfile(f"{D}/x.raw").reshape(50, 16); y = np.fromfile(f"{D}/y.raw").reshape(70, 16)
d = x.shape[1]
k = lambda a, b: (a @ b.T / d + 1) ** 3
m, n = len(x), len(y)
kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
mmd = (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean()
print(repr(mmd))
)PY");
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_NEAR(mmd2_polynomial_unbiased(x, y), ref[0], 1e-10 * std::max(1.0, std::abs(ref[0])));
  // Subsets as large as the smaller set: every subset of x is all of x, so with y equal in size
  // KID is the full-set MMD² exactly, whatever the permutation.
  at::Generator gen = at::detail::createCPUGenerator(0);
  const KidResult kid = kernel_inception_distance(x, y.narrow(0, 0, 50), gen, 3, 1000);
  EXPECT_NEAR(kid.mean, mmd2_polynomial_unbiased(x, y.narrow(0, 0, 50)), 1e-10);
  EXPECT_NEAR(kid.std, 0.0, 1e-10);
  // Same distribution: KID near 0; shifted: clearly positive.
  const KidResult same = kernel_inception_distance(features(2000, 16, 0.0, 7, 1), features(2000, 16, 0.0, 8, 1), gen, 20, 500);
  const KidResult shifted = kernel_inception_distance(features(2000, 16, 0.0, 7, 1), features(2000, 16, 0.5, 8, 1), gen, 20, 500);
  EXPECT_LT(std::abs(same.mean), 3 * same.std + 1e-3);
  EXPECT_GT(shifted.mean, 10 * shifted.std);
}

// pytorch-fid format: analysis/export_inception.py with random weights; C++ must resize to 299
// (bilinear, align_corners=False) and call the module as pytorch-fid does.
TEST(InceptionTorchScript, PytorchFidExportMatchesPython) {
  TempDir tmp;
  const CommandResult exported = run_command(std::string(STANLEY_PYTHON) + " " + source_dir() +
                                             "/analysis/export_inception.py --random-weights --out " + (tmp / "inc.pt").string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  at::Generator gen = at::detail::createCPUGenerator(9);
  const torch::Tensor images = at::rand({3, 3, 32, 32}, gen, torch::kFloat32) * 2 - 1;
  save_raw(tmp / "images.raw", images);
  InceptionFeatures inception(tmp / "inc.pt", "auto", torch::kCPU);
  EXPECT_EQ(inception.format(), InceptionFeatures::Format::kPytorchFid);
  const torch::Tensor f = inception.features(images);
  ASSERT_EQ(f.sizes(), (std::vector<std::int64_t>{3, 2048}));
  save_raw(tmp / "ours.raw", f);
  const auto ref = python_numbers(tmp.path(), R"PY(
import numpy as np, torch
x = torch.from_numpy(np.fromfile(f"{D}/images.raw", np.float32).reshape(3, 3, 32, 32))
m = torch.jit.load(f"{D}/inc.pt")
with torch.no_grad():
    f = m(torch.nn.functional.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)).numpy()
ours = np.fromfile(f"{D}/ours.raw", np.float32).reshape(3, 2048)
print(repr(float(np.abs(f - ours).max())), repr(float(np.abs(f).max())))
)PY");
  ASSERT_EQ(ref.size(), 2u);
  EXPECT_LT(ref[0], 1e-4 * std::max(1.0, ref[1]));
  EXPECT_GT(ref[1], 0.0);
}

// NVIDIA's format: forward(img, return_features) on 0..255 images, resizing inside the module.
TEST(InceptionTorchScript, NvidiaStyleModuleIsDetectedAndFedPixelValues) {
  TempDir tmp;
  const CommandResult made = run_python_in(tmp.path(), R"PY(
import torch
class Detector(torch.nn.Module):
    def forward(self, img, return_features: bool = False):
        x = torch.nn.functional.interpolate(img.to(torch.float32), size=(8, 8), mode="bilinear", align_corners=False)
        f = x.flatten(1)[:, :32] / 255.0
        if return_features:
            return f
        return f.sum(1)
torch.jit.script(Detector()).save(f"{D}/nv.pt")
)PY");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  InceptionFeatures nv(tmp / "nv.pt", "auto", torch::kCPU);
  EXPECT_EQ(nv.format(), InceptionFeatures::Format::kNvidia);
  const torch::Tensor grey = torch::full({2, 1, 16, 16}, 1.0);  // white, greyscale -> RGB
  const torch::Tensor f = nv.features(grey);
  ASSERT_EQ(f.sizes(), (std::vector<std::int64_t>{2, 32}));
  EXPECT_NEAR(f.min().item<double>(), 1.0, 1e-6);  // 255 / 255
  EXPECT_NEAR(f.max().item<double>(), 1.0, 1e-6);
  try {
    InceptionFeatures missing(tmp / "absent.pt", "auto", torch::kCPU);
    FAIL() << "no error for a missing file";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("features.inception.path=" + (tmp / "absent.pt").string()), std::string::npos);
  }
}

}  // namespace
