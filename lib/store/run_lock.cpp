#include "store/run_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

std::string host_name() {
  char buf[256] = {0};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

// Whether `pid` is a live process here: kill(pid, 0) also succeeds for a zombie (killed, not yet
// reaped by its parent), so /proc/<pid>/stat's state decides.
bool alive(long pid) {
  if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) return false;
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string line;
  if (!std::getline(stat, line)) return true;  // no procfs: trust kill()
  const auto close = line.rfind(')');
  const char state = close != std::string::npos && close + 2 < line.size() ? line[close + 2] : '?';
  return state != 'Z' && state != 'X';
}

}  // namespace

RunLock::RunLock(const fs::path& run_dir) : path_(file(run_dir)) {
  const std::string me = host_name();
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
      const std::string text = fmt::format("{} {}\n", ::getpid(), me);
      const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!ok) throw UserError(fmt::format("cannot write the run lock {}", path_.string()));
      return;
    }
    if (errno != EEXIST) throw UserError(fmt::format("cannot create the run lock {}: {}", path_.string(), std::strerror(errno)));
    long pid = 0;
    std::string host;
    std::ifstream(path_) >> pid >> host;
    const bool stale = host == me && !alive(pid);
    if (!stale) {
      throw UserError(fmt::format("run directory {} is in use by process {} on {} (lock {}); wait for it, or stop it",
                                  run_dir.string(), pid, host.empty() ? "?" : host, path_.string()));
    }
    std::error_code ec;
    fs::remove(path_, ec);  // its writer is gone: take the lock over
  }
  throw UserError(fmt::format("could not take the run lock {}", path_.string()));
}

RunLock::~RunLock() {
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace stanley
