#include "store/h5_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "config/errors.h"

namespace stanley {
namespace {

constexpr hsize_t kChunkRows = 256;

// H5Cpp's destructors print "DataSet::~DataSet - H5Dclose failed" to std::cerr when a close fails
// (a full disk), whatever dontPrint() says. Writers hold this while their HDF5 objects die, so a
// failure reaches the user once, as the exception the caller reports.
class QuietH5Destructors {
 public:
  QuietH5Destructors() : old_(std::cerr.rdbuf(nullptr)) {}
  ~QuietH5Destructors() { std::cerr.rdbuf(old_); }
  QuietH5Destructors(const QuietH5Destructors&) = delete;
  QuietH5Destructors& operator=(const QuietH5Destructors&) = delete;

 private:
  std::streambuf* old_;
};

H5::LinkCreatPropList intermediate_groups() {
  H5::LinkCreatPropList lcpl;
  lcpl.setCreateIntermediateGroup(true);
  return lcpl;
}

}  // namespace

H5File::H5File(const std::filesystem::path& path, Mode mode) : path_(path) {
  H5::Exception::dontPrint();  // errors surface as exceptions, not as stacks on stderr
  try {
    switch (mode) {
      case Mode::kCreate: file_.emplace(path.string(), H5F_ACC_TRUNC); break;
      case Mode::kReadWrite: file_.emplace(path.string(), H5F_ACC_RDWR); break;
      case Mode::kReadOnly: file_.emplace(path.string(), H5F_ACC_RDONLY); break;
    }
  } catch (const H5::Exception& e) {
    throw UserError(fmt::format("cannot open HDF5 file {}: {}", path.string(), e.getDetailMsg()));
  }
}

H5File::~H5File() {
  QuietH5Destructors quiet;
  try {
    flush();
  } catch (...) {
    // Destructors must not throw; the last flush() already reported any write error.
  }
  file_.reset();
}

bool H5File::exists(const std::string& path) const {
  // nameExists checks one link; walk the path so missing parents answer false instead of failing.
  std::string prefix;
  std::size_t start = path.front() == '/' ? 1 : 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    prefix = path.substr(0, slash);
    if (!file_->nameExists(prefix)) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

H5::DataSet H5File::open_or_create_extendable(const std::string& path, const H5::PredType& type, hsize_t width) {
  if (exists(path)) return file_->openDataSet(path);
  const int rank = width == 0 ? 1 : 2;
  hsize_t dims[2] = {0, width}, maxdims[2] = {H5S_UNLIMITED, width};
  hsize_t chunk[2] = {kChunkRows, std::max<hsize_t>(width, 1)};
  if (rank == 2) chunk[0] = std::max<hsize_t>(1, 4096 / std::max<hsize_t>(width, 1));
  H5::DataSpace space(rank, dims, maxdims);
  H5::DSetCreatPropList props;
  props.setChunk(rank, chunk);
  return file_->createDataSet(path, type, space, props, H5::DSetAccPropList::DEFAULT, intermediate_groups());
}

void H5File::extend_and_write(H5::DataSet& ds, const H5::PredType& type, const void* data, hsize_t width) {
  H5::DataSpace space = ds.getSpace();
  const int rank = space.getSimpleExtentNdims();
  hsize_t dims[2] = {0, 0};
  space.getSimpleExtentDims(dims);
  const hsize_t row_width = rank == 2 ? dims[1] : 1;
  const hsize_t rows = width / row_width;
  if (rows * row_width != width) {
    throw std::runtime_error(fmt::format("HDF5 {}: row of {} values does not fit width {}", ds.getObjName(), width, row_width));
  }
  hsize_t new_dims[2] = {dims[0] + rows, dims[1]};
  ds.extend(new_dims);
  H5::DataSpace file_space = ds.getSpace();
  hsize_t offset[2] = {dims[0], 0}, count[2] = {rows, dims[1]};
  file_space.selectHyperslab(H5S_SELECT_SET, count, offset);
  H5::DataSpace mem_space(rank, count);
  ds.write(data, type, mem_space, file_space);
}


void H5File::append_row(const std::string& path, const std::vector<double>& row) {
  QuietH5Destructors quiet;
  const hsize_t width = row.size() == 1 ? 0 : row.size();
  H5::DataSet ds = open_or_create_extendable(path, H5::PredType::NATIVE_DOUBLE, width);
  extend_and_write(ds, H5::PredType::NATIVE_DOUBLE, row.data(), row.size());
}

void H5File::append_ints(const std::string& path, const std::vector<std::int64_t>& values) {
  QuietH5Destructors quiet;
  H5::DataSet ds = open_or_create_extendable(path, H5::PredType::NATIVE_INT64, 0);
  extend_and_write(ds, H5::PredType::NATIVE_INT64, values.data(), values.size());
}

void H5File::append_values(const std::string& path, const std::vector<double>& values) {
  QuietH5Destructors quiet;
  H5::DataSet ds = open_or_create_extendable(path, H5::PredType::NATIVE_DOUBLE, 0);
  extend_and_write(ds, H5::PredType::NATIVE_DOUBLE, values.data(), values.size());
}

void H5File::write_array(const std::string& path, const std::vector<hsize_t>& shape, const float* data) {
  QuietH5Destructors quiet;
  if (exists(path)) file_->unlink(path);
  H5::DataSpace space(static_cast<int>(shape.size()), shape.data());
  H5::DataSet ds = file_->createDataSet(path, H5::PredType::NATIVE_FLOAT, space, H5::DSetCreatPropList::DEFAULT,
                                       H5::DSetAccPropList::DEFAULT, intermediate_groups());
  ds.write(data, H5::PredType::NATIVE_FLOAT);
}

void H5File::set_attr(const std::string& name, const std::string& value) {
  QuietH5Destructors quiet;
  H5::Group root = file_->openGroup("/");
  if (root.attrExists(name)) root.removeAttr(name);
  H5::StrType type(H5::PredType::C_S1, std::max<std::size_t>(value.size(), 1));
  H5::Attribute attr = root.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  attr.write(type, value.empty() ? std::string(" ") : value);
}

void H5File::set_attr(const std::string& name, std::int64_t value) {
  QuietH5Destructors quiet;
  H5::Group root = file_->openGroup("/");
  if (root.attrExists(name)) root.removeAttr(name);
  root.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_INT64, &value);
}

void H5File::set_attr(const std::string& name, double value) {
  QuietH5Destructors quiet;
  H5::Group root = file_->openGroup("/");
  if (root.attrExists(name)) root.removeAttr(name);
  root.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

void H5File::flush() {
  QuietH5Destructors quiet;
  file_->flush(H5F_SCOPE_GLOBAL);
}

std::vector<hsize_t> H5File::shape(const std::string& path) const {
  H5::DataSpace space = file_->openDataSet(path).getSpace();
  std::vector<hsize_t> dims(space.getSimpleExtentNdims());
  space.getSimpleExtentDims(dims.data());
  return dims;
}

std::vector<std::int64_t> H5File::read_ints(const std::string& path) const {
  H5::DataSet ds = file_->openDataSet(path);
  std::vector<std::int64_t> out(ds.getSpace().getSimpleExtentNpoints());
  if (!out.empty()) ds.read(out.data(), H5::PredType::NATIVE_INT64);
  return out;
}

std::vector<double> H5File::read_doubles(const std::string& path) const {
  H5::DataSet ds = file_->openDataSet(path);
  std::vector<double> out(ds.getSpace().getSimpleExtentNpoints());
  if (!out.empty()) ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
  return out;
}

std::string H5File::read_string_attr(const std::string& name) const {
  H5::Attribute attr = file_->openGroup("/").openAttribute(name);
  std::string value;
  attr.read(attr.getStrType(), value);
  return value;
}

bool H5File::has_attr(const std::string& name) const { return file_->openGroup("/").attrExists(name); }

std::vector<std::string> H5File::list(const std::string& group) const {
  std::vector<std::string> out;
  if (!exists(group)) return out;
  H5::Group g = file_->openGroup(group);
  for (hsize_t i = 0; i < g.getNumObjs(); ++i) out.push_back(g.getObjnameByIdx(i));
  return out;
}

void H5File::resize_rows(const std::string& path, hsize_t rows) {
  QuietH5Destructors quiet;
  H5::DataSet ds = file_->openDataSet(path);
  H5::DataSpace space = ds.getSpace();
  hsize_t dims[2] = {0, 0};
  space.getSimpleExtentDims(dims);
  dims[0] = std::min(dims[0], rows);
  ds.extend(dims);  // H5Dset_extent: shrinks as well as grows
}

void H5File::remove(const std::string& path) {
  QuietH5Destructors quiet;
  file_->unlink(path);
}

}  // namespace stanley
