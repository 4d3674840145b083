#pragma once
// Multirun: `stanley run -m OVERRIDES...` expands the sweep grammar (io/sweep_grammar.h) into jobs,
// checks that every job's config composes, and runs them through a launcher (configs/launcher/:
// local or slurm) in a sweep directory (results/multirun/<date>/<time>/, or -m run.dir=DIR). Running
// the same sweep into the same directory again skips finished jobs and resumes unfinished ones.
//
// Sweep-level overrides (not passed to jobs): launcher=local|slurm, launcher.<key>=v, jobs=N (=
// launcher.jobs), run.dir=DIR (the sweep's directory; job n runs in DIR/n).

#include <filesystem>
#include <string>
#include <vector>

namespace stanley {

// `stanley run -m ARGS`; ARGS may hold --dry-run (list the jobs, run nothing) and --wait (slurm).
int run_sweep(const std::filesystem::path& config_dir, const std::vector<std::string>& args);

// `stanley sweep status DIR`, `stanley sweep resume DIR [launcher overrides]`, `stanley sweep task DIR ID`.
int sweep_command(const std::filesystem::path& config_dir, const std::vector<std::string>& args);

}  // namespace stanley
