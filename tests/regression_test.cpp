// CI regression checks against tests/baselines/<check>.yaml (written by `make update-reference`): the
// check's command at seed 0 must land within the recorded reference ± tolerance, the tolerance being
// the 99% prediction interval of one new seed from at least five seeds' spread. A change that moves
// the metric by more than seed-to-seed noise fails here, naming the metric, reference, tolerance and
// value. An intended change re-records with `make update-reference`.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include "store/h5_file.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

class Regression : public ::testing::TestWithParam<std::string> {};

TEST_P(Regression, Seed0StaysWithinTheSeedSpread) {
  TempDir tmp;
  const fs::path file = fs::path(source_dir()) / "tests" / "baselines" / (GetParam() + ".yaml");
  ASSERT_TRUE(fs::exists(file)) << file << " missing: run `make update-reference`";
  const YAML::Node ref = YAML::LoadFile(file.string());
  ASSERT_GE(ref["values"].size(), 5u) << "the tolerance needs at least 5 seeds";
  std::string args = "run";
  for (const auto& o : ref["command"]) args += " " + o.as<std::string>();
  args += " seed=0 run.dir=" + (tmp / "run").string();
  if (GetParam().rfind("fmnist", 0) == 0) args += " data.cache_dir=" + (tmp / "cache").string();
  const CommandResult r = run_stanley(args);
  ASSERT_EQ(r.exit_code, 0) << r.output;

  H5File h5(tmp / "run" / "metrics.h5", H5File::Mode::kReadOnly);
  const std::string metric = ref["metric"].as<std::string>();
  const auto values = h5.read_doubles("/scalars/" + metric + "/value");
  ASSERT_FALSE(values.empty());
  const double value = values.back(), reference = ref["reference"].as<double>(), tol = ref["tolerance"].as<double>();
  std::cout << fmt::format("{} {}: {:.4f} (reference {:.4f} ± {:.4f})\n", GetParam(), metric, value, reference, tol);
  EXPECT_LE(std::abs(value - reference), tol)
      << fmt::format("{}: {} = {:.4f} is outside the reference {:.4f} ± {:.4f} ({})", GetParam(), metric, value,
                     reference, tol, file.string());
  if (metric == "fid_fmnist") {
    EXPECT_LT(values.back(), 0.6 * values.front()) << "fid_fmnist did not fall by 40%";
  }
}

INSTANTIATE_TEST_SUITE_P(Baselines, Regression,
                         ::testing::Values("fmnist_ci", "rings_smoke_stanley", "rings_smoke_langevin"),
                         [](const auto& info) { return info.param; });

}  // namespace
