#pragma once
// The local launcher: a sweep's unfinished jobs as separate `stanley` processes, `jobs` at a time.

#include "launch/sweep_manifest.h"

namespace stanley {

// Runs every job not done or diverged (pending, interrupted and failed ones; interrupted ones resume
// from their checkpoint). Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the running jobs (one SIGINT each:
// they run in process groups of their own, so they checkpoint first), records them as pending and
// returns 130: running the sweep again continues. Returns 0 when every job finished (done or
// diverged), 1 when one failed.
int launch_local(SweepManifest& m, int jobs, int threads_per_job);

}  // namespace stanley
