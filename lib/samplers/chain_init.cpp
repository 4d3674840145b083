#include "samplers/chain_init.h"

#include <fmt/format.h>

namespace stanley {

ChainInit::ChainInit(const Config& cfg, Dataset* data) : data_(data) {
  const auto kind = cfg.get<std::string>("kind");
  auto read_noise = [&](const std::string& noise) {
    if (noise == "uniform") {
      low_ = cfg.get<double>("low");
      high_ = cfg.get<double>("high");
      cfg.require(high_ > low_, "high", fmt::format("> {} ({})", cfg.full_key("low"), low_));
    } else if (noise == "gaussian") {
      gaussian_noise_ = true;
      std_ = cfg.get<double>("std");
      cfg.require(std_ > 0, "std", "> 0");
    } else {
      throw UserError(fmt::format("{}: '{}' is not one of uniform, gaussian", cfg.full_key("noise"), noise));
    }
  };
  if (kind == "uniform" || kind == "gaussian") {
    kind_ = kind == "uniform" ? Kind::kUniform : Kind::kGaussian;
    read_noise(kind);
  } else if (kind == "persistent") {
    kind_ = Kind::kPersistent;
    read_noise(cfg.get<std::string>("noise"));
    bank_size_ = cfg.get<long>("bank_size");
    reinit_ = cfg.get<double>("reinit");
    if (bank_size_ <= 0 || reinit_ < 0 || reinit_ > 1)
      throw UserError(fmt::format("{} > 0 and 0 <= {} <= 1 are required", cfg.full_key("bank_size"), cfg.full_key("reinit")));
  } else if (kind == "data") {
    kind_ = Kind::kData;
    if (!data_) throw UserError(fmt::format("{}=data needs a dataset", cfg.full_key("kind")));
  } else {
    throw UserError(fmt::format("{}: '{}' is not one of uniform, gaussian, persistent, data", cfg.full_key("kind"), kind));
  }
}

torch::Tensor ChainInit::draw(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                              const torch::Device& device) const {
  std::vector<std::int64_t> shape{m};
  shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  if (gaussian_noise_) return std_ * at::normal(0.0, 1.0, shape, gen, opts);
  return low_ + (high_ - low_) * at::rand(shape, gen, opts);
}

torch::Tensor ChainInit::start(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                               const torch::Device& device) {
  if (kind_ == Kind::kData) return data_->batch(m, gen, device);
  if (kind_ != Kind::kPersistent) return draw(m, sample_shape, gen, device);
  if (!bank_.defined()) bank_ = draw(bank_size_, sample_shape, gen, device);
  const auto opts = torch::TensorOptions().device(device);
  slots_ = at::randint(0, bank_size_, {m}, gen, opts.dtype(torch::kLong));
  torch::Tensor z0 = bank_.index_select(0, slots_);
  // Each drawn chain restarts from noise with probability `reinit`, so the bank keeps exploring.
  std::vector<std::int64_t> mask_shape(z0.dim(), 1);
  mask_shape[0] = m;
  torch::Tensor fresh = at::rand({m}, gen, opts.dtype(torch::kFloat32)).lt(reinit_).reshape(mask_shape);
  return torch::where(fresh, draw(m, sample_shape, gen, device), z0);
}

void ChainInit::finish(const torch::Tensor& z) {
  if (kind_ == Kind::kPersistent) bank_.index_copy_(0, slots_, z.detach());
}

}  // namespace stanley
