#pragma once
// One builder per cached artefact (feature network, reference statistics): the jobs of a sweep start
// together on a cold cache, and without this each would train the same feature network. An
// exclusive flock on <file>.lock: the first process builds, the others wait, then load its file. The
// kernel drops the lock when its holder dies, so a killed builder never blocks anyone; the lock file
// is removed with the lock (callers re-check for the artefact after taking it).

#include <filesystem>
#include <functional>
#include <string>

namespace stanley {

class BuildLock {
 public:
  // Blocks until the lock is held; `waiting` is called once if another process holds it.
  BuildLock(const std::filesystem::path& file, const std::function<void(const std::string&)>& waiting);
  ~BuildLock();
  BuildLock(const BuildLock&) = delete;
  BuildLock& operator=(const BuildLock&) = delete;

 private:
  int fd_ = -1;
  std::string lock_;
};

}  // namespace stanley
