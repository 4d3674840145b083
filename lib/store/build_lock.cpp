#include "store/build_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "config/errors.h"
#include "runtime/stop_signal.h"

namespace stanley {

BuildLock::BuildLock(const std::filesystem::path& file, const std::function<void(const std::string&)>& waiting) {
  lock_ = file.string() + ".lock";
  std::filesystem::create_directories(file.parent_path());
  fd_ = ::open(lock_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw EnvironmentError(fmt::format("cannot open the build lock {}: {}", lock_, std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (waiting) waiting(fmt::format("waiting for another process building {}", file.string()));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) throw EnvironmentError(fmt::format("cannot lock {}: {}", lock_, std::strerror(errno)));
    if (const int sig = stop_signal()) {
      ::close(fd_);
      throw InterruptedError(fmt::format("interrupted while waiting for another process building {}", file.string()), sig);
    }
  }
}

// The lock file goes with the lock, so a cache holds only its artefacts. Safe because a waiter re-checks
// for the artefact once it holds the lock (a waiter on the unlinked file then finds it built), and a
// newcomer finds the artefact and takes no lock at all.
BuildLock::~BuildLock() {
  if (fd_ < 0) return;
  ::unlink(lock_.c_str());
  ::close(fd_);  // closing releases the flock
}

}  // namespace stanley
