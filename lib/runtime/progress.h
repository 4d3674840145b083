#pragma once
// Progress of a long loop: one refreshing line on a terminal, plain periodic lines otherwise
// (logs, CI). Shows iteration, it/s, ETA and the latest metric.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace stanley {

class Progress {
 public:
  Progress(std::string label, std::int64_t total, std::int64_t start = 0, std::FILE* out = stderr);
  // `metric` is shown verbatim, e.g. "kl_density=0.41".
  void update(std::int64_t iteration, const std::string& metric = "");
  void finish();
  double rate() const;  // iterations per second since start
  // Counts in units of 1/`per` of `unit` (a sweep counts thousandths of a job): shown as fractions of
  // `unit`, with the rate per hour, since such units are slow.
  void set_unit(std::string unit, std::int64_t per);

 private:
  std::string line(std::int64_t iteration) const;
  std::string label_;
  std::int64_t total_, start_, last_printed_ = -1, current_ = 0;
  std::FILE* out_;
  bool tty_;
  std::string metric_;
  std::string unit_;
  std::int64_t per_ = 1;
  std::chrono::steady_clock::time_point t0_, last_print_time_;
};

std::string format_duration(double seconds);

}  // namespace stanley
