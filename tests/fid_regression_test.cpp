// CI regression check on FID: Fashion-MNIST at scale=ci (a minute on 2 cores) must learn (fid_fmnist
// falls by at least 40%) and land within 20% of the recorded baseline. A change that slows or
// breaks learning, sampling, the feature network or the FID itself moves the number. After an
// intended change, record the new value with the command in tests/baselines/fmnist_ci.txt.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "io/h5_file.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

std::map<std::string, double> read_baseline(const fs::path& file) {
  std::ifstream in(file);
  std::map<std::string, double> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string key;
    double value;
    if (fields >> key >> value) out[key] = value;
  }
  return out;
}

TEST(FidRegression, FmnistCiScaleLearnsAndMatchesTheBaseline) {
  TempDir tmp;
  const auto baseline = read_baseline(fs::path(source_dir()) / "tests" / "baselines" / "fmnist_ci.txt");
  ASSERT_TRUE(baseline.count("fid_fmnist_last") && baseline.count("rel_tol")) << "baseline file incomplete";
  const CommandResult r = run_stanley("run experiment=fmnist scale=ci sampler=stanley threads=2 run.dir=" +
                                      (tmp / "run").string() + " data.cache_dir=" + (tmp / "cache").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  const auto fid = h5.read_doubles("/scalars/fid_fmnist/value");
  ASSERT_EQ(fid.size(), 3u);
  std::cout << "fid_fmnist: " << fid[0] << " " << fid[1] << " " << fid[2] << "\n";
  EXPECT_LT(fid.back(), 0.6 * fid.front()) << "fid_fmnist did not fall by 40%";
  const double expected = baseline.at("fid_fmnist_last");
  EXPECT_NEAR(fid.back(), expected, baseline.at("rel_tol") * expected)
      << "fid_fmnist at the end moved from the recorded baseline";
}

}  // namespace
