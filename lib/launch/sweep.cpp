#include "launch/sweep.h"

#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ctime>

#include "config/compose.h"
#include "config/config.h"
#include "config/sweep_grammar.h"
#include "launch/sweep_estimate.h"
#include "launch/sweep_local.h"
#include "launch/sweep_manifest.h"
#include "launch/sweep_slurm.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// configs/launcher/<name>.yaml with the launcher overrides applied (`jobs=N` is launcher.jobs=N).
Config launcher_config(const fs::path& config_dir, const std::string& name, const std::vector<std::string>& overrides) {
  const fs::path file = config_dir / "launcher" / (name + ".yaml");
  if (!fs::exists(file)) throw UserError(fmt::format("unknown launcher '{}' (launcher=local or launcher=slurm)", name));
  return compose_group(config_dir, "launcher", name, overrides);
}

struct SweepArgs {
  std::vector<std::string> job_overrides;       // swept and fixed job overrides
  std::vector<std::string> launcher_overrides;  // launcher.*, jobs=
  std::string launcher = "local";
  bool launcher_given = false;
  std::string dir;                              // run.dir=
  bool dry_run = false, wait = false;
};

SweepArgs split_args(const std::vector<std::string>& args) {
  SweepArgs a;
  for (const auto& s : args) {
    if (s == "--dry-run") a.dry_run = true;
    else if (s == "--wait") a.wait = true;
    else if (starts_with(s, "--")) throw UserError(fmt::format("unknown option '{}' for run -m (--dry-run, --wait)", s));
    else if (starts_with(s, "launcher=")) a.launcher = s.substr(9), a.launcher_given = true;
    else if (starts_with(s, "launcher.") || starts_with(s, "jobs=")) a.launcher_overrides.push_back(s);
    else if (starts_with(s, "run.dir=")) a.dir = s.substr(8);
    else a.job_overrides.push_back(s);
  }
  return a;
}

int dispatch(SweepManifest& m, const fs::path& config_dir, const std::string& launcher,
             const std::vector<std::string>& launcher_overrides, bool wait, bool user_threads) {
  const Config cfg = launcher_config(config_dir, launcher, launcher_overrides);
  if (launcher == "slurm") return launch_slurm(m, cfg, wait);
  const int jobs = cfg.get<int>("jobs");  // in [1, 1024], as launcher.jobs is declared
  const int cores = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  // Jobs share the cores: each gets cores/jobs intra-op threads unless the sweep sets threads itself.
  return launch_local(m, jobs, user_threads ? 0 : std::max(1, cores / jobs));
}

bool sets_threads(const std::vector<std::string>& overrides) {
  return std::any_of(overrides.begin(), overrides.end(), [](const std::string& s) { return starts_with(s, "threads="); });
}

}  // namespace

int run_sweep(const fs::path& config_dir, const std::vector<std::string>& args) {
  const SweepArgs a = split_args(args);
  const auto expanded = expand_sweep(a.job_overrides);
  // Every job composes before anything runs: a typo fails now, not after an hour of other jobs.
  std::vector<ComposedConfig> composed;
  for (const auto& job : expanded) composed.push_back(compose_config(config_dir, job));
  launcher_config(config_dir, a.launcher, a.launcher_overrides);

  fs::path dir = a.dir;
  if (dir.empty()) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    dir = fs::path(Config(composed.front().root).get<std::string>("run.root")) / "multirun" /
          fmt::format("{:%Y-%m-%d}", tm) / fmt::format("{:%H-%M-%S}", tm);
  }
  SweepManifest m;
  m.dir = dir;
  m.command = args;
  m.launcher = a.launcher;
  for (std::size_t i = 0; i < expanded.size(); ++i) m.jobs.push_back(SweepJob{static_cast<int>(i), expanded[i]});

  if (a.dry_run) {
    fmt::print("{} jobs into {} (launcher {}):\n", m.jobs.size(), dir.string(), a.launcher);
    // Hours per job from measured iteration times (configs/measured/iteration_ms.yaml), training only.
    const auto measured = load_measured_iterations(config_dir);
    double total = 0;
    std::size_t unknown = 0;
    std::string basis;
    for (std::size_t i = 0; i < m.jobs.size(); ++i) {
      const auto e = estimate_job(composed[i].root, measured);
      fmt::print("{:>4}  {}{}\n", m.jobs[i].id, fmt::join(m.jobs[i].overrides, " "),
                 e ? fmt::format("   ~{:.2f} h", e->hours) : std::string("   (no measured iteration time)"));
      if (e) total += e->hours, basis = e->basis;
      else ++unknown;
    }
    if (unknown < m.jobs.size())
      fmt::print("estimated {:.1f} device-hours of training for {} jobs{} (scaled from {}; evaluation not included)\n",
                 total, m.jobs.size() - unknown, unknown ? fmt::format(", {} jobs without a measurement", unknown) : "",
                 basis);
    return 0;
  }
  if (fs::exists(dir / "sweep.yaml")) {
    SweepManifest existing = SweepManifest::load(dir);
    std::vector<std::vector<std::string>> before, now;
    for (const auto& j : existing.jobs) before.push_back(j.overrides);
    for (const auto& j : m.jobs) now.push_back(j.overrides);
    if (before != now)
      throw UserError(fmt::format("{} holds a different sweep ({} jobs); pick a new run.dir", dir.string(), before.size()));
    existing.launcher = a.launcher;
    fmt::print(stderr, "sweep {}: continuing ({} of {} done)\n", dir.string(), existing.count(JobState::kDone),
               existing.jobs.size());
    return dispatch(existing, config_dir, a.launcher, a.launcher_overrides, a.wait, sets_threads(a.job_overrides));
  }
  m.create();
  fmt::print(stderr, "sweep directory: {}\n", dir.string());
  return dispatch(m, config_dir, a.launcher, a.launcher_overrides, a.wait, sets_threads(a.job_overrides));
}

int sweep_command(const fs::path& config_dir, const std::vector<std::string>& args) {
  if (args.size() < 2) throw UserError("sweep takes: status DIR | resume DIR [launcher overrides] [--wait] | task DIR ID");
  const std::string& sub = args[0];
  SweepManifest m = SweepManifest::load(args[1]);
  if (sub == "status") {
    fmt::print("{}", format_status(m));
    return 0;
  }
  if (sub == "resume") {
    // The sweep's own launcher settings, then any given now.
    const SweepArgs orig = split_args(m.command);
    const SweepArgs now = split_args(std::vector<std::string>(args.begin() + 2, args.end()));
    std::vector<std::string> launcher_overrides = orig.launcher_overrides;
    launcher_overrides.insert(launcher_overrides.end(), now.launcher_overrides.begin(), now.launcher_overrides.end());
    m.launcher = now.launcher_given ? now.launcher : orig.launcher;
    return dispatch(m, config_dir, m.launcher, launcher_overrides, now.wait, sets_threads(orig.job_overrides));
  }
  if (sub == "task") {
    if (args.size() != 3) throw UserError("sweep task takes DIR ID");
    return run_sweep_task(m, std::stoi(args[2]));
  }
  throw UserError(fmt::format("unknown sweep command '{}' (status, resume, task)", sub));
}

}  // namespace stanley
