#pragma once
// Running one job of a sweep as a separate `stanley` process: a fresh `stanley run`, or `stanley
// resume` when its run directory already holds a run (an interrupted attempt).

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "launch/sweep_manifest.h"

namespace stanley {

// This program's own path (/proc/self/exe): jobs run the same build as the sweep.
std::filesystem::path self_binary();

// The job's command-line arguments; `threads` > 0 adds threads=N to a fresh run.
std::vector<std::string> job_arguments(const SweepManifest& m, const SweepJob& job, int threads);

// Exit status of `stanley` -> job state: 0 done, 3 diverged, 130/143 (SIGINT/SIGTERM, checkpointed)
// pending, anything else failed.
JobState state_from_exit(int exit_code);

// What a job's run directory says of its outcome, when it has one: done for status=finished, diverged
// for status=diverged (a job whose process ended while the sweep was being stopped is not rerun).
std::optional<JobState> recorded_outcome(const std::filesystem::path& job_dir);

// How a job relates to the signals its launcher gets.
enum class JobSignals {
  kFromLauncher,  // a process group of its own: only the launcher stops it (the local sweep forwards one SIGINT)
  kWithLauncher,  // the launcher's group (a SLURM task: the scheduler signals every process of the step)
};

// Starts the job (stdout and stderr appended to its log file); returns the child's pid.
pid_t spawn_job(const std::filesystem::path& binary, const std::vector<std::string>& args,
                const std::filesystem::path& log_file, JobSignals signals);

// How far a running job is, in [0, 1]: the last "train A/B" progress line in its log (0 before one).
double job_progress(const std::filesystem::path& log_file);

// Exit code of a waitpid status (128 + signal for a killed child).
int exit_code_of(int wait_status);

}  // namespace stanley
