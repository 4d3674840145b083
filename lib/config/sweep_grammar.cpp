#include "config/sweep_grammar.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>

#include "config/errors.h"

namespace stanley {
namespace {

struct Axis {
  std::string prefix;                // "key=" (with any +/++ marker)
  std::vector<std::string> values;
  bool zip = false;
};

bool is_integer(const std::string& s) { return std::regex_match(s, std::regex(R"([+-]?\d+)")); }

std::vector<std::string> expand_range(const std::string& args, const std::string& text) {
  const auto parts = split_top_level(args);
  if (parts.size() < 2 || parts.size() > 3)
    throw UserError(fmt::format("sweep '{}': range takes (start, stop[, step])", text));
  const bool integers = is_integer(parts[0]) && is_integer(parts[1]) && (parts.size() == 2 || is_integer(parts[2]));
  double start = 0, stop = 0, step = 1;
  try {
    start = std::stod(parts[0]);
    stop = std::stod(parts[1]);
    if (parts.size() == 3) step = std::stod(parts[2]);
  } catch (const std::exception&) {
    throw UserError(fmt::format("sweep '{}': range bounds must be numbers", text));
  }
  if (step == 0) throw UserError(fmt::format("sweep '{}': range step must not be 0", text));
  std::vector<std::string> out;
  for (int i = 0;; ++i) {
    const double v = start + i * step;
    if ((step > 0 && v >= stop - 1e-12 * std::abs(step)) || (step < 0 && v <= stop + 1e-12 * std::abs(step))) break;
    if (i >= 100000) throw UserError(fmt::format("sweep '{}': more than 100000 values", text));
    out.push_back(integers ? std::to_string(static_cast<long long>(std::llround(v))) : fmt::format("{}", v));
  }
  if (out.empty()) throw UserError(fmt::format("sweep '{}': the range is empty", text));
  return out;
}

Axis parse_axis(const std::string& text) {
  const auto eq = text.find('=');
  Axis axis;
  if (eq == std::string::npos) {  // ~key: the same in every job
    axis.values = {text};
    return axis;
  }
  axis.prefix = text.substr(0, eq + 1);
  const std::string value = text.substr(eq + 1);
  static const std::regex call(R"((range|zip)\((.*)\))");
  std::smatch m;
  if (std::regex_match(value, m, call)) {
    if (m[1] == "range") {
      axis.values = expand_range(m[2], text);
    } else {
      axis.values = split_top_level(m[2]);
      axis.zip = true;
    }
  } else {
    axis.values = split_top_level(value);
  }
  for (const auto& v : axis.values)
    if (v.empty() && axis.values.size() > 1) throw UserError(fmt::format("sweep '{}': empty value in the list", text));
  return axis;
}

}  // namespace

std::vector<std::string> split_top_level(const std::string& text) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '{' || c == '(') ++depth;
    if (c == ']' || c == '}' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::vector<JobOverrides> expand_sweep(const std::vector<std::string>& overrides) {
  std::vector<Axis> axes;
  std::size_t zip_length = 0;
  std::string zip_first;
  for (const auto& text : overrides) {
    Axis a = parse_axis(text);
    if (a.zip) {
      if (zip_first.empty()) {
        zip_first = text;
        zip_length = a.values.size();
      } else if (a.values.size() != zip_length) {
        throw UserError(fmt::format("sweep: zip lists differ in length ('{}' has {}, '{}' has {})", zip_first,
                                    zip_length, text, a.values.size()));
      }
    }
    axes.push_back(std::move(a));
  }
  // Odometer over the non-zip axes and one shared zip index; the first axis varies slowest.
  std::vector<std::size_t> sizes;
  bool zip_counted = false;
  for (const auto& a : axes) {
    if (a.zip) {
      sizes.push_back(zip_counted ? 1 : a.values.size());
      zip_counted = true;
    } else {
      sizes.push_back(a.values.size());
    }
  }
  std::size_t total = 1;
  for (auto s : sizes) total *= s;
  if (total > 10000) throw UserError(fmt::format("sweep: {} jobs (more than 10000)", total));
  std::vector<JobOverrides> jobs;
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::size_t n = 0; n < total; ++n) {
    std::size_t rest = n;
    for (std::size_t i = axes.size(); i-- > 0;) {
      index[i] = rest % sizes[i];
      rest /= sizes[i];
    }
    std::size_t zip_index = 0;
    for (std::size_t i = 0; i < axes.size(); ++i)
      if (axes[i].zip && sizes[i] > 1) zip_index = index[i];
    JobOverrides job;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto& a = axes[i];
      job.push_back(a.prefix + a.values[a.zip ? zip_index : index[i]]);
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace stanley
