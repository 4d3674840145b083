#include "training/chain_init.h"

#include <fmt/format.h>

#include "config/registry.h"
#include "random/draws.h"

namespace stanley {

namespace {

// The fresh-noise laws, by name (init.kind, and init.noise of a persistent bank).
const Registry<bool>& noise_laws() {  // value: gaussian (else uniform)
  static const Registry<bool> table = [] {
    Registry<bool> r("chain-start noise");
    r.add("uniform", "U(low, high) per coordinate", false);
    r.add("gaussian", "N(0, std²) per coordinate", true);
    return r;
  }();
  return table;
}

const Registry<ChainInit::Kind>& start_kinds() {
  static const Registry<ChainInit::Kind> table = [] {
    Registry<ChainInit::Kind> r("chain start (train.init.kind)");
    r.add("uniform", "fresh uniform noise every iteration (Algorithm 1)", ChainInit::Kind::kUniform);
    r.add("gaussian", "fresh Gaussian noise every iteration", ChainInit::Kind::kGaussian);
    r.add("persistent", "a bank of past chains, restarted from noise with probability reinit", ChainInit::Kind::kPersistent);
    r.add("data", "training images", ChainInit::Kind::kData);
    return r;
  }();
  return table;
}

}  // namespace

ChainInit::ChainInit(const Config& cfg, Dataset* data) : data_(data) {
  const auto kind = cfg.get<std::string>("kind");
  kind_ = start_kinds().get(kind).factory;
  auto read_noise = [&](const std::string& noise) {
    gaussian_noise_ = noise_laws().get(noise).factory;
    if (gaussian_noise_) {
      std_ = cfg.get<double>("std");
    } else {
      low_ = cfg.get<double>("low");
      high_ = cfg.get<double>("high");
      cfg.require(high_ > low_, "high", fmt::format("> {} ({})", cfg.full_key("low"), low_));
    }
  };
  switch (kind_) {
    case Kind::kUniform:
    case Kind::kGaussian:
      read_noise(kind);
      break;
    case Kind::kPersistent:
      read_noise(cfg.get<std::string>("noise"));
      bank_size_ = cfg.get<long>("bank_size");
      reinit_ = cfg.get<double>("reinit");
      break;
    case Kind::kData:
      if (!data_) throw UserError(fmt::format("{}=data needs a dataset", cfg.full_key("kind")));
      break;
  }
}

torch::Tensor ChainInit::draw(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                              const torch::Device& device) const {
  std::vector<std::int64_t> shape{m};
  shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  if (gaussian_noise_) return std_ * draw::normal(shape, gen, opts);
  return low_ + (high_ - low_) * draw::uniform(shape, gen, opts);
}

torch::Tensor ChainInit::from_bank(const torch::Tensor& slots, const std::vector<std::int64_t>& sample_shape,
                                   at::Generator& gen, const torch::Device& device) const {
  const std::int64_t m = slots.size(0);
  torch::Tensor z0 = bank_.index_select(0, slots);
  // Each drawn chain restarts from noise with probability `reinit`, so the bank keeps exploring.
  std::vector<std::int64_t> mask_shape(z0.dim(), 1);
  mask_shape[0] = m;
  const auto opts = torch::TensorOptions().device(device).dtype(torch::kFloat32);
  torch::Tensor fresh = draw::uniform({m}, gen, opts).lt(reinit_).reshape(mask_shape);
  return torch::where(fresh, draw(m, sample_shape, gen, device), z0);
}

torch::Tensor ChainInit::start(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                               const torch::Device& device) {
  if (kind_ == Kind::kData) return data_->batch(m, gen, device);
  if (kind_ != Kind::kPersistent) return draw(m, sample_shape, gen, device);
  if (!bank_.defined()) bank_ = draw(bank_size_, sample_shape, gen, device);
  slots_ = draw::integers(0, bank_size_, {m}, gen, device);
  return from_bank(slots_, sample_shape, gen, device);
}

torch::Tensor ChainInit::peek(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                              const torch::Device& device) const {
  if (kind_ == Kind::kData) return data_->batch(m, gen, device);
  if (kind_ != Kind::kPersistent || !bank_.defined()) return draw(m, sample_shape, gen, device);
  const torch::Tensor slots = draw::integers(0, bank_size_, {m}, gen, device);
  return from_bank(slots, sample_shape, gen, device);
}

void ChainInit::finish(const torch::Tensor& z) {
  if (kind_ == Kind::kPersistent) bank_.index_copy_(0, slots_, z.detach());
}

}  // namespace stanley
