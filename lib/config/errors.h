#pragma once
#include <stdexcept>
#include <string>

namespace stanley {

// The first line of a library's message (libtorch appends a multi-line trace): for one-line errors.
inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// A mistake in the user's input (config, override, path): reported as one line, exit code 2, no trace.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run that left the numerically sane regime (NaN, exploding energies): stops loudly, exit code 3.
class DivergenceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace stanley

namespace stanley {

// The environment failed the run (disk full, unwritable directory): one line, exit code 4.
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run stopped by SIGINT or SIGTERM after finishing its iteration and writing a checkpoint: exit code
// 128 + signal (130, 143); `stanley resume` continues it exactly.
class InterruptedError : public std::runtime_error {
 public:
  InterruptedError(const std::string& what, int signal) : std::runtime_error(what), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Whether a process's exit code is that of an InterruptedError (or of a child killed by SIGINT/SIGTERM,
// as a shell reports it): the work is checkpointed or unstarted, and the same command continues it.
inline bool interrupted_exit(int exit_code) { return exit_code == 130 || exit_code == 143; }

}  // namespace stanley
