#pragma once
// A sweep's directory: sweep.yaml (the manifest: the command's overrides, the launcher and each job's
// overrides and state), one run directory per job (<dir>/<id>/), each job's console output
// (<dir>/logs/<id>.txt) and its state (<dir>/state/<id>), written atomically by whoever runs the job
// (the local launcher, or a SLURM array task), so concurrent tasks never write one shared file.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stanley {

enum class JobState { kPending, kRunning, kDone, kFailed, kDiverged };
const char* job_state_name(JobState s);

struct SweepJob {
  int id = 0;
  std::vector<std::string> overrides;  // as passed to `stanley run` (without run.dir)
  JobState state = JobState::kPending;
  int exit_code = -1;
  double seconds = 0;                  // wall time of the last attempt
};

struct SweepManifest {
  std::filesystem::path dir;
  std::vector<std::string> command;    // the sweep's overrides as given
  std::string launcher;                // local | slurm
  std::vector<SweepJob> jobs;

  std::filesystem::path job_dir(int id) const { return dir / std::to_string(id); }
  std::filesystem::path log_file(int id) const { return dir / "logs" / (std::to_string(id) + ".txt"); }
  std::filesystem::path state_file(int id) const { return dir / "state" / std::to_string(id); }

  // Creates the directory layout and writes sweep.yaml.
  void create() const;
  // Reads sweep.yaml and every job's state file.
  static SweepManifest load(const std::filesystem::path& dir);
  // Re-reads the state files (other processes write them).
  void refresh();
  // Rewrites sweep.yaml from the current states.
  void save() const;

  void set_state(int id, JobState state, int exit_code = -1, double seconds = 0);
  std::size_t count(JobState s) const;
  // A job interrupted while running (its process gone) counts as pending: it resumes.
  bool finished(const SweepJob& job) const { return job.state == JobState::kDone; }
};

// The manifest as a table (id, state, exit, seconds, overrides) for `stanley sweep status`.
std::string format_status(const SweepManifest& m);

}  // namespace stanley
