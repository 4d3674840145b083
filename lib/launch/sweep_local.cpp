#include "launch/sweep_local.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <map>
#include <thread>

#include "launch/sweep_job.h"
#include "runtime/progress.h"
#include "runtime/stop_signal.h"

namespace stanley {
namespace {

struct Running {
  int id;
  std::chrono::steady_clock::time_point start;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The jobs still to run, in order; a job whose run directory already records its outcome (the sweep was
// stopped after the job ended but before the manifest said so) takes that outcome instead.
std::deque<int> jobs_to_run(SweepManifest& m) {
  std::deque<int> queue;
  for (const auto& j : m.jobs) {
    if (j.state == JobState::kDone || j.state == JobState::kDiverged) continue;
    if (const auto outcome = recorded_outcome(m.job_dir(j.id))) {
      m.set_state(j.id, *outcome, *outcome == JobState::kDone ? 0 : 3, 0.0);
      continue;
    }
    queue.push_back(j.id);
  }
  return queue;
}

// Records a job that ended with `status`; true when it failed.
bool record_end(SweepManifest& m, const Running& r, int status) {
  const int code = exit_code_of(status);
  const JobState state = state_from_exit(code);
  m.set_state(r.id, state, code, seconds_since(r.start));
  if (state != JobState::kDone)
    fmt::print(stderr, "\nsweep: job {} {} (exit {}); log: {}\n", r.id, job_state_name(state), code, m.log_file(r.id).string());
  return state == JobState::kFailed;
}

// Jobs stop where they are; their checkpoints stay, and the next attempt resumes from them. A job that
// finished (or diverged) while the sweep stopped keeps its outcome. Returns the sweep's exit status.
int stop_jobs(SweepManifest& m, std::map<pid_t, Running>& running) {
  for (const auto& [pid, r] : running) ::kill(pid, SIGINT);
  for (const auto& [pid, r] : running) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    const int code = exit_code_of(status);
    const JobState state = state_from_exit(code);
    m.set_state(r.id, state == JobState::kFailed ? JobState::kPending : state, code, seconds_since(r.start));
  }
  running.clear();
  m.save();
  fmt::print(stderr, "\nsweep interrupted: {} of {} jobs done; run the same command again, or `stanley sweep resume {}`\n",
             m.count(JobState::kDone), m.jobs.size(), m.dir.string());
  return 130;
}

}  // namespace

int launch_local(SweepManifest& m, int jobs, int threads_per_job) {
  std::deque<int> queue = jobs_to_run(m);
  const std::size_t finished_before = m.jobs.size() - queue.size();
  fmt::print(stderr, "sweep {}: {} jobs, {} to run, {} at a time ({})\n", m.dir.string(), m.jobs.size(), queue.size(),
             jobs, threads_per_job > 0 ? fmt::format("{} threads each", threads_per_job) : std::string("threads as set"));

  // SIGHUP too: the terminal closed, and the jobs, in process groups of their own, are stopped with the sweep.
  const StopSignals stop(/*hangup=*/true, /*second_stops_at_once=*/false);

  const auto binary = self_binary();
  std::map<pid_t, Running> running;
  // Counted in thousandths of a job, running jobs by their own progress lines, so the ETA moves
  // between job events.
  constexpr std::int64_t kPerJob = 1000;
  Progress progress("sweep", static_cast<std::int64_t>(m.jobs.size()) * kPerJob,
                    static_cast<std::int64_t>(finished_before) * kPerJob);
  progress.set_unit("jobs", kPerJob);
  std::size_t failed = 0;
  auto show = [&] {
    double in_flight = 0;
    for (const auto& [pid, r] : running) in_flight += job_progress(m.log_file(r.id));
    const auto ended = static_cast<double>(m.count(JobState::kDone) + m.count(JobState::kDiverged) + m.count(JobState::kFailed));
    progress.update(static_cast<std::int64_t>((ended + in_flight) * kPerJob),
                    fmt::format("{} running, {} failed, {} diverged", running.size(), m.count(JobState::kFailed),
                                m.count(JobState::kDiverged)));
  };
  auto report = [&] {
    m.save();
    show();
  };

  auto last_report = std::chrono::steady_clock::now();
  while (!stop_signal() && (!queue.empty() || !running.empty())) {
    while (!stop_signal() && !queue.empty() && static_cast<int>(running.size()) < jobs) {
      const int id = queue.front();
      queue.pop_front();
      const pid_t pid = spawn_job(binary, job_arguments(m, m.jobs[id], threads_per_job), m.log_file(id), JobSignals::kFromLauncher);
      running[pid] = Running{id, std::chrono::steady_clock::now()};
      m.set_state(id, JobState::kRunning);
      report();
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0 && running.count(pid)) {
      const Running r = running.at(pid);
      running.erase(pid);
      failed += record_end(m, r, status);
      report();
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (seconds_since(last_report) > 5.0) {
      show();
      last_report = std::chrono::steady_clock::now();
    }
  }
  if (stop_signal()) return stop_jobs(m, running);
  progress.finish();
  return failed ? 1 : 0;
}

}  // namespace stanley
