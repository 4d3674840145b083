#include "store/run_dir.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <ctime>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

std::tm local_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

void make_subdirs(const fs::path& p) {
  fs::create_directory(p / "samples");
  fs::create_directory(p / "checkpoints");
}

}  // namespace

RunDir RunDir::create(const fs::path& results_root, const std::string& experiment,
                      const std::optional<fs::path>& explicit_dir) {
  std::error_code ec;
  if (explicit_dir) {
    const fs::path p = *explicit_dir;
    if (fs::exists(p) && !fs::is_empty(p)) {
      throw UserError(fmt::format("run directory {} already holds files; pick a new run.dir or `stanley resume {}`",
                                  p.string(), p.string()));
    }
    fs::create_directories(p, ec);
    if (ec) throw UserError(fmt::format("cannot create run directory {}: {}", p.string(), ec.message()));
    make_subdirs(p);
    return RunDir(p);
  }
  const std::tm tm = local_now();
  const fs::path day = results_root / experiment / fmt::format("{:%Y-%m-%d}", tm);
  fs::create_directories(day, ec);
  if (ec) throw UserError(fmt::format("cannot create results directory {}: {}", day.string(), ec.message()));
  const std::string stamp = fmt::format("{:%H-%M-%S}", tm);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const fs::path p = day / (attempt == 0 ? stamp : fmt::format("{}_{}", stamp, attempt));
    if (fs::create_directory(p, ec)) {  // atomic: exactly one process wins each name
      make_subdirs(p);
      return RunDir(p);
    }
    if (ec) throw UserError(fmt::format("cannot create run directory {}: {}", p.string(), ec.message()));
  }
  throw UserError(fmt::format("could not claim a run directory under {}", day.string()));
}

RunDir RunDir::open(const fs::path& dir) {
  if (!fs::exists(dir / "config.yaml")) {
    throw UserError(fmt::format("{} is not a run directory (expected {}/config.yaml)", dir.string(), dir.string()));
  }
  return RunDir(dir);
}

void RunDir::write_config(const std::string& resolved_yaml, const std::vector<std::string>& overrides) const {
  write_file_atomically(config_file(), resolved_yaml);
  YAML::Emitter out;
  out << YAML::BeginSeq;
  for (const auto& o : overrides) out << YAML::DoubleQuoted << o;
  out << YAML::EndSeq;
  write_file_atomically(overrides_file(), std::string(out.c_str()) + "\n");
}

std::vector<std::string> RunDir::read_overrides() const {
  if (!fs::exists(overrides_file())) return {};
  YAML::Node node = YAML::LoadFile(overrides_file().string());
  return node.IsSequence() ? node.as<std::vector<std::string>>() : std::vector<std::string>{};
}

void RunDir::log(const std::string& line) const {
  std::ofstream out(log_file(), std::ios::app);
  out << fmt::format("[{:%Y-%m-%d %H:%M:%S}] {}\n", local_now(), line);
}

}  // namespace stanley
