#include "launch/sweep_manifest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/errors.h"
#include "config/yaml_tree.h"
#include "store/run_dir.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

constexpr const char* kManifest = "sweep.yaml";

JobState parse_state(const std::string& s) {
  for (JobState st : {JobState::kPending, JobState::kRunning, JobState::kDone, JobState::kFailed, JobState::kDiverged})
    if (s == job_state_name(st)) return st;
  throw UserError(fmt::format("unknown job state '{}'", s));
}

}  // namespace

const char* job_state_name(JobState s) {
  switch (s) {
    case JobState::kPending: return "pending";
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
    case JobState::kDiverged: return "diverged";
  }
  return "?";
}

void SweepManifest::create() const {
  std::error_code ec;
  fs::create_directories(dir / "logs", ec);
  fs::create_directories(dir / "state", ec);
  if (ec) throw UserError(fmt::format("cannot create sweep directory {}: {}", dir.string(), ec.message()));
  for (const auto& j : jobs)
    if (!fs::exists(state_file(j.id))) write_file_atomically(state_file(j.id), "pending -1 0\n");
  save();
}

SweepManifest SweepManifest::load(const fs::path& dir) {
  const fs::path file = dir / kManifest;
  if (!fs::exists(file)) throw UserError(fmt::format("{} is not a sweep directory (no {})", dir.string(), kManifest));
  const YAML::Node root = load_yaml_file(file);
  SweepManifest m;
  m.dir = dir;
  m.command = root["command"].as<std::vector<std::string>>();
  m.launcher = root["launcher"].as<std::string>();
  for (const auto& j : root["jobs"]) {
    SweepJob job;
    job.id = j["id"].as<int>();
    job.overrides = j["overrides"].as<std::vector<std::string>>();
    m.jobs.push_back(job);
  }
  m.refresh();
  return m;
}

void SweepManifest::refresh() {
  for (auto& j : jobs) {
    std::ifstream in(state_file(j.id));
    std::string state;
    if (!(in >> state)) continue;  // not written yet: pending
    j.state = parse_state(state);
    in >> j.exit_code >> j.seconds;
  }
}

void SweepManifest::save() const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "command" << YAML::Value << YAML::Flow << command;
  out << YAML::Key << "launcher" << YAML::Value << launcher;
  out << YAML::Key << "jobs" << YAML::Value << YAML::BeginSeq;
  for (const auto& j : jobs) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << j.id;
    out << YAML::Key << "dir" << YAML::Value << std::to_string(j.id);
    out << YAML::Key << "overrides" << YAML::Value << YAML::Flow << j.overrides;
    out << YAML::Key << "state" << YAML::Value << job_state_name(j.state);
    out << YAML::Key << "exit_code" << YAML::Value << j.exit_code;
    out << YAML::Key << "seconds" << YAML::Value << j.seconds;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  write_file_atomically(dir / kManifest, std::string(out.c_str()) + "\n");
}

void SweepManifest::set_state(int id, JobState state, int exit_code, double seconds) {
  for (auto& j : jobs) {
    if (j.id != id) continue;
    j.state = state;
    j.exit_code = exit_code;
    j.seconds = seconds;
  }
  write_file_atomically(state_file(id), fmt::format("{} {} {:.1f}\n", job_state_name(state), exit_code, seconds));
}

std::size_t SweepManifest::count(JobState s) const {
  std::size_t n = 0;
  for (const auto& j : jobs) n += j.state == s;
  return n;
}

std::string format_status(const SweepManifest& m) {
  std::ostringstream out;
  out << fmt::format("sweep {} ({} jobs, launcher {}): {} done, {} running, {} pending, {} failed, {} diverged\n",
                     m.dir.string(), m.jobs.size(), m.launcher, m.count(JobState::kDone), m.count(JobState::kRunning),
                     m.count(JobState::kPending), m.count(JobState::kFailed), m.count(JobState::kDiverged));
  out << fmt::format("{:>4}  {:<9} {:>5} {:>9}  {}\n", "id", "state", "exit", "seconds", "overrides");
  for (const auto& j : m.jobs) {
    out << fmt::format("{:>4}  {:<9} {:>5} {:>9.1f}  {}\n", j.id, job_state_name(j.state),
                       j.exit_code < 0 ? std::string("-") : std::to_string(j.exit_code), j.seconds,
                       fmt::join(j.overrides, " "));
  }
  return out.str();
}

}  // namespace stanley
