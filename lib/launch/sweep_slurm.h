#pragma once
// The SLURM launcher: a sweep's unfinished jobs as one array job, submitted with sbatch. Each array
// task runs `stanley sweep task DIR ID`, which runs (or resumes) job ID and writes its state file.

#include <string>

#include "config/config.h"
#include "launch/sweep_manifest.h"

namespace stanley {

// The batch script for the unfinished jobs (configs/launcher/slurm.yaml's keys), written to
// DIR/slurm/array.sh; returns its path.
std::string write_array_script(const SweepManifest& m, const Config& launcher);

// Submits it; prints the job id. With `wait`, blocks until every task ends (sbatch --wait), refreshes
// the manifest and returns 0 only if every job finished.
int launch_slurm(SweepManifest& m, const Config& launcher, bool wait);

// Body of one array task: runs job `id` in this process's place and records its state.
int run_sweep_task(SweepManifest& m, int id);

}  // namespace stanley
