#pragma once
// A small wrapper over HDF5's C++ API (H5Cpp): extendable datasets, arrays, root attributes. It knows
// no layout: a run's metrics.h5 layout belongs to MetricsLog (io/metrics_log.h), the diagnostics file's
// to DiagnoseReport. flush() flushes the file to disk, so a writer killed after it leaves a file that
// opens.

#include <H5Cpp.h>

#include <cstdint>
#include <filesystem>
#include <optional>
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

  // Appends one row to an extendable dataset at `path`: [n] when row has one value and was created so,
  // [n, len] otherwise. The first call fixes the shape.
  void append_row(const std::string& path, const std::vector<double>& row);
  void append_value(const std::string& path, double value) { append_row(path, {value}); }
  void append_int(const std::string& path, std::int64_t value) { append_ints(path, {value}); }
  // Appends values to a one-dimensional extendable dataset (created on first use).
  void append_ints(const std::string& path, const std::vector<std::int64_t>& values);
  void append_values(const std::string& path, const std::vector<double>& values);
  // A fixed-size float32 array (sample snapshots). Replaces an existing dataset of that name.
  void write_array(const std::string& path, const std::vector<hsize_t>& shape, const float* data);

  void set_attr(const std::string& name, const std::string& value);
  void set_attr(const std::string& name, std::int64_t value);
  void set_attr(const std::string& name, double value);

  void flush();

  // Shrinks (or grows) an extendable dataset to `rows` rows; removes a dataset or group.
  void resize_rows(const std::string& path, hsize_t rows);
  void remove(const std::string& path);

  // Reading, for tests, resume and tools.
  bool exists(const std::string& path) const;
  std::vector<std::int64_t> read_ints(const std::string& path) const;
  std::vector<double> read_doubles(const std::string& path) const;  // flattened
  std::vector<hsize_t> shape(const std::string& path) const;
  std::string read_string_attr(const std::string& name) const;
  bool has_attr(const std::string& name) const;
  std::vector<std::string> list(const std::string& group) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  H5::DataSet open_or_create_extendable(const std::string& path, const H5::PredType& type, hsize_t width);
  void extend_and_write(H5::DataSet& ds, const H5::PredType& type, const void* data, hsize_t width);

  std::filesystem::path path_;
  std::optional<H5::H5File> file_;  // reset in the destructor, where its close errors are silenced
};

}  // namespace stanley
