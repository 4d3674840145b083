#pragma once
// Raw tensor files for exchanging arrays with the Python reference scripts (numpy.fromfile).

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

namespace stanley::testing {

inline void save_raw(const std::filesystem::path& file, const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous().cpu();
  std::ofstream out(file, std::ios::binary);
  out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.numel() * c.element_size()));
}

inline torch::Tensor load_raw(const std::filesystem::path& file, torch::ScalarType dtype, std::vector<std::int64_t> shape) {
  torch::Tensor t = torch::empty(shape, dtype);
  std::ifstream in(file, std::ios::binary);
  in.read(static_cast<char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
  if (!in) throw std::runtime_error("short read: " + file.string());
  return t;
}

}  // namespace stanley::testing
