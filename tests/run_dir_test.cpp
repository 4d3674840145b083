// Run directories: unique names under concurrency, explicit directories, errors.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "io/errors.h"
#include "io/run_dir.h"
#include "test_support.h"

using namespace stanley;
using stanley::testing::TempDir;
namespace fs = std::filesystem;

namespace {

TEST(RunDir, RunsStartedInTheSameSecondNeverShare) {
  TempDir root;
  std::vector<fs::path> made(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] { made[i] = RunDir::create(root.path(), "rings", std::nullopt).path(); });
  }
  for (auto& t : threads) t.join();
  std::set<fs::path> unique(made.begin(), made.end());
  EXPECT_EQ(unique.size(), made.size());
  for (const auto& p : made) {
    EXPECT_TRUE(fs::is_directory(p / "samples"));
    EXPECT_TRUE(fs::is_directory(p / "checkpoints"));
    EXPECT_EQ(p.parent_path().parent_path(), root.path() / "rings");
  }
}

TEST(RunDir, ExplicitDirectoryMustBeNewOrEmpty) {
  TempDir root;
  const fs::path p = root / "mine";
  RunDir d = RunDir::create(root.path(), "rings", p);
  EXPECT_EQ(d.path(), p);
  d.write_config("a: 1\n", {"sampler=stanley", "sampler.th=0.5"});
  EXPECT_THROW(RunDir::create(root.path(), "rings", p), UserError);
}

TEST(RunDir, OverridesRoundTrip) {
  TempDir root;
  RunDir d = RunDir::create(root.path(), "rings", std::nullopt);
  const std::vector<std::string> overrides{"sampler=stanley", "+x.y='a b'", "~z"};
  d.write_config("a: 1\n", overrides);
  EXPECT_EQ(RunDir::open(d.path()).read_overrides(), overrides);
}

TEST(RunDir, UnwritableRootIsAUserError) {
  TempDir root;
  stanley::testing::write_text(root / "file", "x");
  // A path through a regular file fails for every user, root included.
  EXPECT_THROW(RunDir::create(root / "file", "rings", std::nullopt), UserError);
  EXPECT_THROW(RunDir::create(root.path(), "rings", root / "file" / "run"), UserError);
}

TEST(RunDir, OpenNeedsAConfig) { EXPECT_THROW(RunDir::open("/nonexistent"), UserError); }

}  // namespace
