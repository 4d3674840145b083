#include "store/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {

bool is_out_of_space(int err, const std::string& message) {
  if (err == ENOSPC || err == EDQUOT) return true;
  // torch's writer and HDF5 report the errno only as text.
  for (const char* needle : {"No space left", "Disk quota exceeded", "file write failed", "unable to write"})
    if (message.find(needle) != std::string::npos) return true;
  return false;
}

void write_atomically(const fs::path& path, const std::function<void(const std::string& tmp)>& write) {
  static std::atomic<unsigned> counter{0};  // threads of one process share the pid
  const fs::path tmp = path.string() + fmt::format(".tmp.{}.{}", ::getpid(), counter++);
  try {
    errno = 0;
    write(tmp.string());
    fs::rename(tmp, path);
  } catch (const std::exception& e) {
    const int err = errno;
    std::error_code ignored;
    fs::remove(tmp, ignored);
    if (is_out_of_space(err, e.what()))
      throw EnvironmentError(fmt::format("disk full while writing {} (nothing was replaced)", path.string()));
    throw;
  }
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  write_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp);
    if (!out) throw UserError(fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
  });
}

void require_free_space(const fs::path& dir, std::uintmax_t bytes, const std::string& what) {
  std::error_code ec;
  const auto info = fs::space(dir, ec);
  if (!ec && info.available < bytes)
    throw EnvironmentError(fmt::format("disk full: {} needs {:.1f} MB in {}, {:.1f} MB free", what, bytes / 1e6,
                                       dir.string(), info.available / 1e6));
}

}  // namespace stanley
