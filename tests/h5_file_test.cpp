// The HDF5 wrapper: round trips, truncation for resume, and a file whose writer was killed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/errors.h"
#include "io/h5_file.h"
#include "test_support.h"

using namespace stanley;
using stanley::testing::TempDir;

namespace {

TEST(H5File, RoundTrip) {
  TempDir dir;
  const auto path = dir / "m.h5";
  {
    H5File h5(path, H5File::Mode::kCreate);
    for (int i = 0; i < 1000; ++i) h5.append_scalar("loss", i * 10, 0.5 * i);
    h5.append_scalar("kl", 0, 3.0);
    h5.flush();
    h5.append_scalar("kl", 100, 2.0);  // second batch extends the same datasets
    h5.append_int("/chains/iteration", 10);
    h5.append_int("/chains/iteration", 20);
    h5.append_row("/chains/grad_norm", {1, 2, 3});
    h5.append_row("/chains/grad_norm", {4, 5, 6});
    h5.append_value("/chains/f_data", 0.25);
    const std::vector<float> samples{1, 2, 3, 4, 5, 6};
    h5.write_array("/samples/10", {3, 2}, samples.data());
    h5.set_attr("config", std::string("a: 1\n"));
    h5.set_attr("seed", std::int64_t{7});
  }
  H5File h5(path, H5File::Mode::kReadOnly);
  EXPECT_EQ(h5.read_ints("/scalars/loss/step").size(), 1000u);
  EXPECT_EQ(h5.read_ints("/scalars/loss/step")[999], 9990);
  EXPECT_DOUBLE_EQ(h5.read_doubles("/scalars/loss/value")[999], 499.5);
  EXPECT_EQ(h5.read_doubles("/scalars/kl/value"), (std::vector<double>{3.0, 2.0}));
  EXPECT_EQ(h5.shape("/chains/grad_norm"), (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(h5.read_doubles("/chains/grad_norm"), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(h5.shape("/chains/f_data"), (std::vector<hsize_t>{1}));
  EXPECT_EQ(h5.shape("/samples/10"), (std::vector<hsize_t>{3, 2}));
  EXPECT_EQ(h5.read_string_attr("config"), "a: 1\n");
  EXPECT_FALSE(h5.exists("/nothing/here"));
}

TEST(H5File, TruncateAfterDropsLaterEntries) {
  TempDir dir;
  const auto path = dir / "m.h5";
  {
    H5File h5(path, H5File::Mode::kCreate);
    for (int i = 1; i <= 10; ++i) {
      h5.append_scalar("loss", i * 10, i);
      h5.append_int("/chains/iteration", i * 10);
      h5.append_row("/chains/f_mean", {1.0 * i, 2.0 * i});
    }
    const float z[2] = {0, 0};
    h5.write_array("/samples/50", {1, 2}, z);
    h5.write_array("/samples/60", {1, 2}, z);
    h5.flush();
  }
  {
    H5File h5(path, H5File::Mode::kReadWrite);
    h5.truncate_after(50);
    h5.append_scalar("loss", 60, -1.0);
  }
  H5File h5(path, H5File::Mode::kReadOnly);
  EXPECT_EQ(h5.read_ints("/scalars/loss/step"), (std::vector<std::int64_t>{10, 20, 30, 40, 50, 60}));
  EXPECT_DOUBLE_EQ(h5.read_doubles("/scalars/loss/value").back(), -1.0);
  EXPECT_EQ(h5.shape("/chains/f_mean"), (std::vector<hsize_t>{5, 2}));
  EXPECT_EQ(h5.list("/samples"), (std::vector<std::string>{"50"}));
}

// A writer killed with SIGKILL after a flush, with more unflushed data pending, leaves a file that
// opens and holds everything flushed.
TEST(H5File, KilledWriterLeavesReadableFile) {
  TempDir dir;
  const auto path = dir / "killed.h5";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    H5File h5(path, H5File::Mode::kCreate);
    for (int i = 0; i < 500; ++i) h5.append_scalar("loss", i, i);
    h5.append_row("/chains/grad_norm", {1, 2, 3});
    h5.flush();
    for (int i = 500; i < 600; ++i) h5.append_scalar("loss", i, i);  // never flushed
    h5.append_row("/chains/grad_norm", {4, 5, 6});                   // written, not flushed
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
