#include "launch/sweep_slurm.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "launch/sweep_job.h"
#include "store/run_dir.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

// A command's stdout (popen), and its exit code.
std::pair<std::string, int> capture(const std::string& command) {
  std::FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw UserError(fmt::format("cannot run: {}", command));
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = ::pclose(p);
  return {out, exit_code_of(status)};
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string write_array_script(const SweepManifest& m, const Config& cfg) {
  std::vector<int> ids;
  for (const auto& j : m.jobs)
    if (j.state != JobState::kDone && j.state != JobState::kDiverged) ids.push_back(j.id);
  if (ids.empty()) return "";
  std::string array = fmt::format("{}", fmt::join(ids, ","));
  if (cfg.has("max_parallel")) array += fmt::format("%{}", cfg.get<int>("max_parallel"));
  std::string s = "#!/bin/bash\n";
  s += fmt::format("#SBATCH --job-name=stanley-sweep\n#SBATCH --array={}\n", array);
  s += fmt::format("#SBATCH --output={}/logs/%a.txt\n#SBATCH --open-mode=append\n", fs::absolute(m.dir).string());
  s += fmt::format("#SBATCH --time={}\n#SBATCH --cpus-per-task={}\n", cfg.get<std::string>("time"),
                   cfg.get<int>("cpus_per_task"));
  if (cfg.has("partition")) s += fmt::format("#SBATCH --partition={}\n", cfg.get<std::string>("partition"));
  if (cfg.get<int>("gpus_per_task") > 0) s += fmt::format("#SBATCH --gres=gpu:{}\n", cfg.get<int>("gpus_per_task"));
  if (cfg.has("mem")) s += fmt::format("#SBATCH --mem={}\n", cfg.get<std::string>("mem"));
  for (const auto& line : cfg.get<std::vector<std::string>>("extra")) s += fmt::format("#SBATCH {}\n", line);
  s += fmt::format("exec {} sweep task {} \"$SLURM_ARRAY_TASK_ID\"\n", shell_quote(self_binary().string()),
                   shell_quote(fs::absolute(m.dir).string()));
  const fs::path path = m.dir / "slurm" / "array.sh";
  fs::create_directories(path.parent_path());
  write_file_atomically(path, s);
  return path.string();
}

int launch_slurm(SweepManifest& m, const Config& cfg, bool wait) {
  const std::string script = write_array_script(m, cfg);
  if (script.empty()) {
    fmt::print(stderr, "sweep {}: every job already finished\n", m.dir.string());
    return 0;
  }
  for (const auto& j : m.jobs)
    if (j.state == JobState::kFailed || j.state == JobState::kRunning) m.set_state(j.id, JobState::kPending);
  m.save();
  const auto [out, code] = capture(fmt::format("sbatch --parsable {}{} 2>&1", wait ? "--wait " : "", shell_quote(script)));
  // --parsable prints "jobid[;cluster]" on the first line.
  const std::string first = out.substr(0, out.find('\n'));
  const std::string job_id = first.substr(0, first.find(';'));
  if (job_id.empty() || job_id.find_first_not_of("0123456789") != std::string::npos)
    throw UserError(fmt::format("sbatch failed (exit {}): {}", code, out));
  fmt::print("submitted SLURM array job {} ({})\n", job_id, script);
  std::fflush(stdout);
  if (!wait) return 0;
  m.refresh();
  m.save();
  fmt::print("{}", format_status(m));
  const std::size_t unfinished = m.jobs.size() - m.count(JobState::kDone) - m.count(JobState::kDiverged);
  return unfinished == 0 ? 0 : 1;
}

int run_sweep_task(SweepManifest& m, int id) {
  if (id < 0 || id >= static_cast<int>(m.jobs.size()))
    throw UserError(fmt::format("sweep {} has no job {}", m.dir.string(), id));
  const int threads = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  const char* cpus = std::getenv("SLURM_CPUS_PER_TASK");
  const auto start = std::chrono::steady_clock::now();
  m.set_state(id, JobState::kRunning);
  const pid_t pid = spawn_job(self_binary(), job_arguments(m, m.jobs[id], cpus ? std::atoi(cpus) : threads), m.log_file(id),
                              JobSignals::kWithLauncher);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const int code = exit_code_of(status);
  m.set_state(id, state_from_exit(code), code,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return code;
}

}  // namespace stanley
