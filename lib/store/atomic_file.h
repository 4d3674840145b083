#pragma once
// Files that appear whole or not at all. Each writer writes a temporary sibling of its own (named with
// its pid and a per-process count, so concurrent writers of a shared cache never rename each other's file) and renames it over
// the final name; a failed write removes its temporary, and a full disk is reported as such.

#include <filesystem>
#include <functional>
#include <string>

namespace stanley {

// Calls write(tmp) for a private temporary path next to `path`, then renames it to `path`. On any
// failure the temporary is removed; running out of space (ENOSPC, EDQUOT, or a library message saying
// so) becomes an EnvironmentError naming `path`; other errors pass through unchanged.
void write_atomically(const std::filesystem::path& path, const std::function<void(const std::string& tmp)>& write);

// write_atomically for text.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Throws EnvironmentError ("disk full while writing <what>") when the filesystem holding `dir` has
// fewer than `bytes` free; a cheap check before a write that would otherwise fail halfway.
void require_free_space(const std::filesystem::path& dir, std::uintmax_t bytes, const std::string& what);

// True when an error message or errno says the device is out of space.
bool is_out_of_space(int err, const std::string& message);

}  // namespace stanley
