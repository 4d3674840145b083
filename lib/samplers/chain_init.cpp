#include "samplers/chain_init.h"

#include <fmt/format.h>

namespace stanley {

ChainInit::ChainInit(const Config& cfg) {
  const auto kind = cfg.get<std::string>("kind");
  if (kind == "uniform") {
    kind_ = Kind::kUniform;
    low_ = cfg.get<double>("low");
    high_ = cfg.get<double>("high");
  } else if (kind == "gaussian") {
    kind_ = Kind::kGaussian;
    std_ = cfg.get<double>("std");
  } else {
    throw UserError(fmt::format("{}: '{}' is not one of uniform, gaussian", cfg.full_key("kind"), kind));
  }
}

torch::Tensor ChainInit::draw(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                              const torch::Device& device) const {
  std::vector<std::int64_t> shape{m};
  shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  if (kind_ == Kind::kUniform) return low_ + (high_ - low_) * at::rand(shape, gen, opts);
  return std_ * at::normal(0.0, 1.0, shape, gen, opts);
}

}  // namespace stanley
