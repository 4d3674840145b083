#include "runtime/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace stanley {
namespace {
constexpr double kTtyRefreshSeconds = 0.2;
constexpr double kPlainEverySeconds = 15.0;  // plain mode: at most one line per this many seconds...
constexpr int kPlainLines = 20;              // ...or every 5% of the run, whichever comes first
}  // namespace

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{:02d}:{:02d}", s / 60, s % 60);
}

Progress::Progress(std::string label, std::int64_t total, std::int64_t start, std::FILE* out)
    : label_(std::move(label)), total_(total), start_(start), current_(start), out_(out),
      tty_(isatty(fileno(out)) != 0), t0_(std::chrono::steady_clock::now()), last_print_time_(t0_) {}

double Progress::rate() const {
  const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  return dt > 0 ? static_cast<double>(current_ - start_) / dt : 0.0;
}

void Progress::set_unit(std::string unit, std::int64_t per) {
  unit_ = std::move(unit);
  per_ = std::max<std::int64_t>(1, per);
}

std::string Progress::line(std::int64_t iteration) const {
  const double r = rate();
  const double eta = r > 0 ? static_cast<double>(total_ - iteration) / r : -1;
  if (per_ > 1) {
    const double per = static_cast<double>(per_);
    return fmt::format("{} {:.2f}/{} {} {:5.1f}% | {:.2f} {}/h | ETA {}{}{}", label_, iteration / per,
                       total_ / per_, unit_, total_ > 0 ? 100.0 * iteration / total_ : 100.0, r * 3600 / per, unit_,
                       format_duration(eta), metric_.empty() ? "" : " | ", metric_);
  }
  const int width = static_cast<int>(fmt::formatted_size("{}", total_));
  return fmt::format("{} {:>{}}/{} {:5.1f}% | {:.2f} it/s | ETA {}{}{}", label_, iteration, width, total_,
                     total_ > 0 ? 100.0 * iteration / total_ : 100.0, r, format_duration(eta),
                     metric_.empty() ? "" : " | ", metric_);
}

void Progress::update(std::int64_t iteration, const std::string& metric) {
  current_ = iteration;
  if (!metric.empty()) metric_ = metric;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_print_time_).count();
  if (tty_) {
    if (since < kTtyRefreshSeconds && iteration != total_) return;
    fmt::print(out_, "\r\033[K{}", line(iteration));
  } else {
    const std::int64_t every = std::max<std::int64_t>(1, (total_ - start_) / kPlainLines);
    const bool due = last_printed_ < 0 || iteration - last_printed_ >= every || since >= kPlainEverySeconds;
    if (!due && iteration != total_) return;
    fmt::print(out_, "{}\n", line(iteration));
  }
  std::fflush(out_);
  last_printed_ = iteration;
  last_print_time_ = now;
}

void Progress::finish() {
  if (tty_) fmt::print(out_, "\r\033[K{}\n", line(current_));
  else if (last_printed_ != current_) fmt::print(out_, "{}\n", line(current_));
  std::fflush(out_);
}

}  // namespace stanley
