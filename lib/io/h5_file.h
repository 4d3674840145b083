#pragma once
// A small wrapper over HDF5's C++ API (H5Cpp) for run metrics.
//
// Layout written by the trainer (see README, "HDF5 schema"):
//   /scalars/<name>/step   int64   [n]   extendable, chunked
//   /scalars/<name>/value  float64 [n]
//   /chains/iteration      int64   [n]   one row per log interval
//   /chains/<stat>         float64 [n] or [n, K]
//   /samples/<iteration>   float32 [N, ...]
//   root attributes: config, config_hash, git_sha, torch_version, seed, threads, ...
// Scalars are buffered and written in batches by flush(), which also flushes the file to disk so a
// run killed at any moment leaves a file that opens.

#include <H5Cpp.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace stanley {

class H5File {
 public:
  enum class Mode { kCreate, kReadWrite, kReadOnly };
  H5File(const std::filesystem::path& path, Mode mode);
  ~H5File();
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;

  // Buffered; written at the next flush().
  void append_scalar(const std::string& name, std::int64_t step, double value);
  // Appends one row to an extendable dataset at `path`: [n] when row has one value and was created so,
  // [n, len] otherwise. The first call fixes the shape.
  void append_row(const std::string& path, const std::vector<double>& row);
  void append_value(const std::string& path, double value) { append_row(path, {value}); }
  void append_int(const std::string& path, std::int64_t value);
  // A fixed-size float32 array (sample snapshots). Replaces an existing dataset of that name.
  void write_array(const std::string& path, const std::vector<hsize_t>& shape, const float* data);

  void set_attr(const std::string& name, const std::string& value);
  void set_attr(const std::string& name, std::int64_t value);
  void set_attr(const std::string& name, double value);

  void flush();

  // Forget everything logged after `step` (resuming from a checkpoint taken at `step`).
  void truncate_after(std::int64_t step);

  // Reading, for tests, resume and tools.
  bool exists(const std::string& path) const;
  std::vector<std::int64_t> read_ints(const std::string& path) const;
  std::vector<double> read_doubles(const std::string& path) const;  // flattened
  std::vector<hsize_t> shape(const std::string& path) const;
  std::string read_string_attr(const std::string& name) const;
  std::vector<std::string> list(const std::string& group) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  H5::DataSet open_or_create_extendable(const std::string& path, const H5::PredType& type, hsize_t width);
  void extend_and_write(H5::DataSet& ds, const H5::PredType& type, const void* data, hsize_t width);
  void resize_rows(const std::string& path, hsize_t rows);

  std::filesystem::path path_;
  H5::H5File file_;
  struct Pending {
    std::vector<std::int64_t> steps;
    std::vector<double> values;
  };
  std::map<std::string, Pending> pending_;
};

}  // namespace stanley
