#pragma once
// Where short-run chains start (Algorithm 1: from noise, afresh every iteration).

#include <torch/torch.h>

#include "io/config.h"

namespace stanley {

class ChainInit {
 public:
  enum class Kind { kUniform, kGaussian };
  // Reads `kind` (uniform | gaussian), `low`/`high` for uniform, `std` for gaussian.
  explicit ChainInit(const Config& cfg);
  torch::Tensor draw(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                     const torch::Device& device) const;

 private:
  Kind kind_;
  double low_ = -1, high_ = 1, std_ = 1;
};

}  // namespace stanley
