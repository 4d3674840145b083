#include "test_support.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sys/wait.h>

#include "config/key_declarations.h"

namespace fs = std::filesystem;

namespace {
// Every test's Configs check themselves against the source tree's declarations (configs/keys.yaml), as the
// command's do; a test of a hand-made config tree installs its own (KeyDeclarations::install).
[[maybe_unused]] const bool kDeclarationsInstalled = [] {
  stanley::KeyDeclarations::install(stanley::KeyDeclarations::load(fs::path(STANLEY_SOURCE_DIR) / "configs"));
  return true;
}();
}  // namespace

namespace stanley::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("stanley_test_" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

CommandResult run_command(const std::string& command_line) {
  CommandResult result{-1, ""};
  FILE* pipe = popen((command_line + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) result.output += buf.data();
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandResult run_stanley(const std::string& args) {
  return run_command(std::string(STANLEY_BINARY) + " --config-dir " + source_dir() + "/configs " + args);
}

pid_t spawn_stanley(const std::string& args, const fs::path& log) {
  const std::string cmd = "exec " + std::string(STANLEY_BINARY) + " --config-dir " + source_dir() + "/configs " + args +
                          " > " + log.string() + " 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);  // as a shell starts a command: kill(-pid, SIGINT) is what a terminal's Ctrl-C sends
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

CommandResult run_python(const std::string& code) {
  TempDir dir;
  const fs::path script = dir / "reference.py";
  write_text(script, code);
  return run_command(std::string(STANLEY_PYTHON) + " " + script.string());
}

CommandResult run_python_in(const fs::path& dir, const std::string& code) {
  return run_python("D = '" + dir.string() + "'\n" + code);
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string source_dir() { return STANLEY_SOURCE_DIR; }

ScopedKeyDeclarations::ScopedKeyDeclarations(const fs::path& config_dir) {
  if (const KeyDeclarations* installed = KeyDeclarations::installed()) previous_ = *installed;
  KeyDeclarations::install(KeyDeclarations::load(config_dir));
}

ScopedKeyDeclarations::~ScopedKeyDeclarations() { KeyDeclarations::install(std::move(previous_)); }

}  // namespace stanley::testing
