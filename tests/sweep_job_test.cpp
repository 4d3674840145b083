// Pieces of a local sweep that need no child process: reading a job's progress from its log.
#include <gtest/gtest.h>

#include "launch/sweep_job.h"
#include "store/h5_file.h"
#include "test_support.h"

using namespace stanley;
using stanley::testing::TempDir;
using stanley::testing::write_text;

TEST(SweepJob, ProgressIsTheLastTrainLineOfTheLog) {
  TempDir tmp;
  EXPECT_EQ(job_progress(tmp / "missing.txt"), 0.0);
  write_text(tmp / "a.txt", "run directory: x\nfeature network fmnist: test accuracy 0.88\n");
  EXPECT_EQ(job_progress(tmp / "a.txt"), 0.0);
  // Long logs: only the tail is read, and the last line counts.
  std::string log(20000, '.');
  log += "\ntrain  25/500   5.0% | 9.4 it/s | ETA 00:50\ntrain 476/500  95.2% | 9.45 it/s | ETA 00:03\n";
  write_text(tmp / "b.txt", log);
  EXPECT_DOUBLE_EQ(job_progress(tmp / "b.txt"), 476.0 / 500.0);
  write_text(tmp / "c.txt", "train 600/500\n");
  EXPECT_EQ(job_progress(tmp / "c.txt"), 1.0);
}

// A job whose run already finished (its process ended while the sweep was being stopped) is not rerun:
// the sweep reads the outcome from the run's metrics.h5.
TEST(SweepJob, RecordedOutcomeComesFromTheRunsStatus) {
  TempDir tmp;
  EXPECT_FALSE(recorded_outcome(tmp / "nothing").has_value());
  const auto with_status = [&](const std::string& name, const std::string& status) {
    std::filesystem::create_directories(tmp / name);
    H5File h5(tmp / name / "metrics.h5", H5File::Mode::kCreate);
    h5.set_attr("status", status);
    return tmp / name;
  };
  EXPECT_EQ(recorded_outcome(with_status("a", "finished")), JobState::kDone);
  EXPECT_EQ(recorded_outcome(with_status("b", "diverged: iteration 3")), JobState::kDiverged);
  EXPECT_FALSE(recorded_outcome(with_status("c", "running")).has_value());
  EXPECT_FALSE(recorded_outcome(with_status("d", "interrupted")).has_value());
}
