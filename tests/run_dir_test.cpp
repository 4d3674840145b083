// Run directories: unique names under concurrency, explicit directories, errors.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <cerrno>
#include <fstream>
#include <set>
#include <thread>

#include "config/errors.h"
#include "store/atomic_file.h"
#include "store/build_lock.h"
#include "store/run_dir.h"
#include "test_support.h"

using namespace stanley;
using stanley::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// One builder per cached artefact: a second BuildLock on the same file (another open file description,
// as another process has) says it waits and does not get the lock until the first is released.
TEST(BuildLock, SecondBuilderWaitsForTheFirst) {
  TempDir tmp;
  const fs::path artefact = tmp / "cache" / "features" / "net.pt";
  std::atomic<bool> waiting{false}, acquired{false};
  auto first = std::make_unique<BuildLock>(artefact, nullptr);
  std::thread second([&] {
    BuildLock lock(artefact, [&](const std::string& msg) {
      EXPECT_NE(msg.find("waiting for another process building"), std::string::npos) << msg;
      waiting = true;
    });
    acquired = true;
  });
  for (int i = 0; i < 1000 && !waiting; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(waiting.load());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(acquired.load());
  first.reset();  // released: the second builder goes on
  second.join();
  EXPECT_TRUE(acquired.load());
  EXPECT_FALSE(fs::exists(artefact.string() + ".lock"));  // the lock file goes with the lock
}

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

// Concurrent writers of one shared cache file (two sweep jobs starting together) must both succeed:
// each writes its own temporary, the last rename wins, and the file is whole.
TEST(AtomicFile, ConcurrentWritersOfOneFileBothSucceed) {
  TempDir tmp;
  const fs::path file = tmp / "cache.txt";
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      try {
        for (int i = 0; i < 50; ++i) write_file_atomically(file, std::string(1000, static_cast<char>('a' + w)));
      } catch (...) {
        ++failures;
      }
    });
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(text.size(), 1000u);
  EXPECT_EQ(std::count(text.begin(), text.end(), text[0]), 1000);
}

TEST(AtomicFile, AFailedWriteLeavesTheOldFileAndNoTemporary) {
  TempDir tmp;
  const fs::path file = tmp / "f.txt";
  write_file_atomically(file, "old");
  EXPECT_THROW(write_atomically(file,
                                [](const std::string& t) {
                                  std::ofstream(t) << "half";
                                  throw std::runtime_error("writer failed");
                                }),
               std::runtime_error);
  std::ifstream in(file);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator{}), 1);
}

TEST(AtomicFile, OutOfSpaceBecomesAnEnvironmentErrorNamingTheFile) {
  TempDir tmp;
  const fs::path file = tmp / "f.txt";
  try {
    write_atomically(file, [](const std::string&) {
      errno = ENOSPC;
      throw std::runtime_error("write failed");
    });
    FAIL() << "no exception";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("disk full while writing " + file.string()), std::string::npos) << e.what();
  }
  // A real ENOSPC: /dev/full refuses every write with it.
  EXPECT_THROW(write_atomically(file,
                                [](const std::string&) {
                                  std::ofstream full("/dev/full");
                                  full << std::string(1 << 16, 'x') << std::flush;
                                  if (!full) throw std::runtime_error("write failed");
                                }),
               EnvironmentError);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(is_out_of_space(0, "PytorchStreamWriter failed writing file data/0: file write failed"));
  EXPECT_FALSE(is_out_of_space(0, "permission denied"));
}
