// The HDF5 wrapper and the metrics layout on it: round trips, truncation for resume, and a file whose
// writer was killed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/errors.h"
#include "store/h5_file.h"
#include "store/metrics_log.h"
#include "test_support.h"

using namespace stanley;
using stanley::testing::TempDir;

namespace {

TEST(H5File, RoundTrip) {
  TempDir dir;
  const auto path = dir / "m.h5";
  {
    H5File h5(path, H5File::Mode::kCreate);
    h5.append_ints("/a/step", {1, 2, 3});
    h5.append_int("/a/step", 4);
    h5.append_values("/a/value", {0.5, 1.5});
    h5.append_row("/b/rows", {1, 2, 3});
    h5.append_row("/b/rows", {4, 5, 6});
    h5.append_value("/c", 0.25);
    const std::vector<float> samples{1, 2, 3, 4, 5, 6};
    h5.write_array("/d/10", {3, 2}, samples.data());
    h5.set_attr("config", std::string("a: 1\n"));
    h5.set_attr("seed", std::int64_t{7});
  }
  H5File h5(path, H5File::Mode::kReadOnly);
  EXPECT_EQ(h5.read_ints("/a/step"), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(h5.read_doubles("/a/value"), (std::vector<double>{0.5, 1.5}));
  EXPECT_EQ(h5.shape("/b/rows"), (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(h5.read_doubles("/b/rows"), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(h5.shape("/c"), (std::vector<hsize_t>{1}));
  EXPECT_EQ(h5.shape("/d/10"), (std::vector<hsize_t>{3, 2}));
  EXPECT_EQ(h5.read_string_attr("config"), "a: 1\n");
  EXPECT_FALSE(h5.exists("/nothing/here"));
}

// The layout README's "HDF5 schema" documents, as the analysis scripts read it.
TEST(MetricsLog, WritesTheDocumentedLayout) {
  TempDir dir;
  const auto path = dir / "m.h5";
  {
    MetricsLog log(path, MetricsLog::Open::kCreate);
    for (int i = 0; i < 1000; ++i) log.scalar("loss", i * 10, 0.5 * i);
    log.scalar("kl", 0, 3.0);
    log.flush();
    log.scalar("kl", 100, 2.0);  // second batch extends the same datasets
    log.chain_row(10, {{"f_data", {0.25}}, {"grad_norm", {1, 2, 3}}});
    log.chain_row(20, {{"f_data", {0.5}}, {"grad_norm", {4, 5, 6}}});
    const std::vector<float> samples{1, 2, 3, 4, 5, 6};
    log.snapshot(MetricsLog::Snapshot::kTraining, 10, {3, 2}, samples.data());
    log.snapshot(MetricsLog::Snapshot::kEval, 20, {3, 2}, samples.data());
  }
  H5File h5(path, H5File::Mode::kReadOnly);
  EXPECT_EQ(h5.read_ints("/scalars/loss/step").size(), 1000u);
  EXPECT_EQ(h5.read_ints("/scalars/loss/step")[999], 9990);
  EXPECT_DOUBLE_EQ(h5.read_doubles("/scalars/loss/value")[999], 499.5);
  EXPECT_EQ(h5.read_doubles("/scalars/kl/value"), (std::vector<double>{3.0, 2.0}));
  EXPECT_EQ(h5.read_ints("/chains/iteration"), (std::vector<std::int64_t>{10, 20}));
  EXPECT_EQ(h5.shape("/chains/f_data"), (std::vector<hsize_t>{2}));
  EXPECT_EQ(h5.shape("/chains/grad_norm"), (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(h5.shape("/samples/10"), (std::vector<hsize_t>{3, 2}));
  EXPECT_EQ(h5.shape("/eval_samples/20"), (std::vector<hsize_t>{3, 2}));
}

TEST(MetricsLog, TruncateAfterDropsLaterEntries) {
  TempDir dir;
  const auto path = dir / "m.h5";
  const float z[2] = {0, 0};
  {
    MetricsLog log(path, MetricsLog::Open::kCreate);
    for (int i = 1; i <= 10; ++i) {
      log.scalar("loss", i * 10, i);
      log.chain_row(i * 10, {{"f_mean", {1.0 * i, 2.0 * i}}});
    }
    log.snapshot(MetricsLog::Snapshot::kTraining, 50, {1, 2}, z);
    log.snapshot(MetricsLog::Snapshot::kTraining, 60, {1, 2}, z);
    log.snapshot(MetricsLog::Snapshot::kEval, 60, {1, 2}, z);
  }
  {
    MetricsLog log(path, MetricsLog::Open::kContinue);
    log.truncate_after(50);
    log.scalar("loss", 60, -1.0);
  }
  H5File h5(path, H5File::Mode::kReadOnly);
  EXPECT_EQ(h5.read_ints("/scalars/loss/step"), (std::vector<std::int64_t>{10, 20, 30, 40, 50, 60}));
  EXPECT_DOUBLE_EQ(h5.read_doubles("/scalars/loss/value").back(), -1.0);
  EXPECT_EQ(h5.read_ints("/chains/iteration"), (std::vector<std::int64_t>{10, 20, 30, 40, 50}));
  EXPECT_EQ(h5.shape("/chains/f_mean"), (std::vector<hsize_t>{5, 2}));
  EXPECT_EQ(h5.list("/samples"), (std::vector<std::string>{"50"}));
  EXPECT_TRUE(h5.list("/eval_samples").empty());
}

// A writer killed with SIGKILL after a flush, with more unflushed data pending, leaves a file that
// opens and holds everything flushed.
TEST(H5File, KilledWriterLeavesReadableFile) {
  TempDir dir;
  const auto path = dir / "killed.h5";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    MetricsLog log(path, MetricsLog::Open::kCreate);
    for (int i = 0; i < 500; ++i) log.scalar("loss", i, i);
    log.chain_row(1, {{"grad_norm", {1, 2, 3}}});
    log.flush();
    for (int i = 500; i < 600; ++i) log.scalar("loss", i, i);  // never flushed
    log.chain_row(2, {{"grad_norm", {4, 5, 6}}});              // written, not flushed
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  H5File h5(path, H5File::Mode::kReadOnly);
  const auto steps = h5.read_ints("/scalars/loss/step");
  EXPECT_GE(steps.size(), 500u);
  EXPECT_EQ(steps[499], 499);
}

TEST(H5File, MissingFileIsAUserError) {
  EXPECT_THROW(H5File("/nonexistent/dir/m.h5", H5File::Mode::kReadOnly), UserError);
}

}  // namespace
