#pragma once
// Helpers shared by the test files: temporary directories, running the `stanley` binary and the
// Debian Python (numpy/scipy/h5py) used for independent reference values.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "config/key_declarations.h"

namespace stanley::testing {

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line, capturing its output.
CommandResult run_command(const std::string& command_line);
// Runs build/stanley with the given arguments (a shell-quoted string).
CommandResult run_stanley(const std::string& args);
// Starts build/stanley with the given arguments in the background, stdout and stderr to `log`;
// returns its pid, for kill() and waitpid().
pid_t spawn_stanley(const std::string& args, const std::filesystem::path& log);
// Runs a Python snippet with STANLEY_PYTHON (Debian's python3); returns its stdout.
CommandResult run_python(const std::string& code);
// The same with the Python variable D bound to `dir` (where the snippet reads and writes files).
CommandResult run_python_in(const std::filesystem::path& dir, const std::string& code);

void write_text(const std::filesystem::path& path, const std::string& text);
std::string source_dir();

// While alive, Configs check themselves against `config_dir`'s key declarations (none: a hand-made tree
// without keys.yaml) instead of those installed before (the source tree's, which every test starts with).
class ScopedKeyDeclarations {
 public:
  explicit ScopedKeyDeclarations(const std::filesystem::path& config_dir);
  ~ScopedKeyDeclarations();
  ScopedKeyDeclarations(const ScopedKeyDeclarations&) = delete;
  ScopedKeyDeclarations& operator=(const ScopedKeyDeclarations&) = delete;

 private:
  std::optional<KeyDeclarations> previous_;
};

}  // namespace stanley::testing
