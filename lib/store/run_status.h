#pragma once
// A run's outcome as metrics.h5's `status` attribute says it: the one list of these words. The analysis
// scripts read them from analysis/run_status.py, generated from this list (`stanley list statuses`, written by
// `make key-table`; CTest key_table checks it is current).

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace stanley::run_status {

inline constexpr std::string_view kRunning = "running";          // started, not ended (or killed outright)
inline constexpr std::string_view kFinished = "finished";        // every iteration done
inline constexpr std::string_view kInterrupted = "interrupted";  // SIGINT/SIGTERM: checkpoint written, resumable
inline constexpr std::string_view kDiverged = "diverged";        // "diverged: <why>": an outcome, never dropped
inline constexpr std::string_view kFailed = "failed";            // "failed: <error>"

// Every status word, with what it means (for the generated Python module).
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kAll{{
    {kRunning, "started, not ended (or killed outright)"},
    {kFinished, "every iteration done"},
    {kInterrupted, "stopped by SIGINT or SIGTERM, checkpoint written: resumable"},
    {kDiverged, "stopped by a divergence, 'diverged: <why>': an outcome"},
    {kFailed, "stopped by an error, 'failed: <error>'"},
}};

// A status with its reason: "diverged: iteration 12: ...".
inline std::string with_reason(std::string_view word, const std::string& reason) {
  return std::string(word) + ": " + reason;
}
// Whether `status` is `word`, alone or with a reason.
inline bool is(const std::string& status, std::string_view word) {
  return status.compare(0, word.size(), word) == 0 && (status.size() == word.size() || status[word.size()] == ':');
}

}  // namespace stanley::run_status
