#pragma once
// One writer per run directory: RUN_DIR/.lock holds the writer's pid and host while a `run` or
// `resume` works on it. A second writer is refused with one line naming the holder; a lock left by a
// process that no longer exists on this host (killed) is stale and taken over. Readers never lock.

#include <filesystem>

namespace stanley {

class RunLock {
 public:
  // Takes the lock or throws UserError naming the holder.
  explicit RunLock(const std::filesystem::path& run_dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  static std::filesystem::path file(const std::filesystem::path& run_dir) { return run_dir / ".lock"; }

 private:
  std::filesystem::path path_;
};

}  // namespace stanley
