#include "launch/sweep_job.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "config/errors.h"
#include "store/h5_file.h"
#include "store/run_status.h"

namespace fs = std::filesystem;

namespace stanley {

fs::path self_binary() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's path (/proc/self/exe): " + ec.message());
  return p;
}

std::vector<std::string> job_arguments(const SweepManifest& m, const SweepJob& job, int threads) {
  const fs::path dir = m.job_dir(job.id);
  // A job killed before its first checkpoint starts over: its directory is the sweep's own.
  if (fs::exists(dir / "config.yaml")) return {"resume", "--from-scratch", dir.string()};
  // A directory without config.yaml holds nothing of the job's yet (killed while being created).
  std::error_code ec;
  fs::remove_all(dir, ec);
  std::vector<std::string> args{"run"};
  args.insert(args.end(), job.overrides.begin(), job.overrides.end());
  if (threads > 0) args.push_back(fmt::format("threads={}", threads));
  args.push_back("run.dir=" + dir.string());
  return args;
}

JobState state_from_exit(int exit_code) {
  if (exit_code == 0) return JobState::kDone;
  if (exit_code == 3) return JobState::kDiverged;
  if (interrupted_exit(exit_code)) return JobState::kPending;  // interrupted, checkpointed: resumes
  return JobState::kFailed;
}

std::optional<JobState> recorded_outcome(const fs::path& job_dir) {
  const fs::path file = job_dir / "metrics.h5";
  if (!fs::exists(file)) return std::nullopt;
  try {
    const H5File h5(file, H5File::Mode::kReadOnly);
    if (!h5.has_attr("status")) return std::nullopt;
    const std::string status = h5.read_string_attr("status");
    if (status == run_status::kFinished) return JobState::kDone;
    if (run_status::is(status, run_status::kDiverged)) return JobState::kDiverged;
  } catch (const std::exception&) {
    // Unreadable (a live writer, a torn file): the job runs and its own resume sorts it out.
  }
  return std::nullopt;
}

pid_t spawn_job(const fs::path& binary, const std::vector<std::string>& args, const fs::path& log_file,
                JobSignals signals) {
  const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw UserError(fmt::format("cannot write the job log {}", log_file.string()));
  std::vector<std::string> argv_store{binary.string()};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    // A terminal's Ctrl-C then reaches only the sweep, which passes one SIGINT on. In the sweep's group
    // each job got two (the terminal's, then the sweep's), and the second stops a run at once, before
    // its checkpoint.
    if (signals == JobSignals::kFromLauncher) ::setpgid(0, 0);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

double job_progress(const fs::path& log_file) {
  std::ifstream in(log_file, std::ios::binary);
  if (!in) return 0.0;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff tail = std::min<std::streamoff>(size, 4096);  // progress lines are short
  in.seekg(size - tail);
  std::string text(static_cast<std::size_t>(tail), '\0');
  in.read(text.data(), tail);
  const auto at = text.rfind("train ");
  if (at == std::string::npos) return 0.0;
  long done = 0, total = 0;
  if (std::sscanf(text.c_str() + at, "train %ld/%ld", &done, &total) != 2 || total <= 0) return 0.0;
  return std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
}

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

}  // namespace stanley
