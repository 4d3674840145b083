#pragma once
// Where chains start. Algorithm 1 (the paper's short-run): fresh noise every iteration. Also a
// persistent bank (PCD, Tieleman 2008; Du & Mordatch 2019's replay buffer) and starts from data.

#include <torch/torch.h>

#include "config/config.h"
#include "data/dataset.h"

namespace stanley {

class ChainInit {
 public:
  enum class Kind { kUniform, kGaussian, kPersistent, kData };
  // Reads `kind` (uniform | gaussian | persistent | data); `low`/`high` (uniform noise), `std`
  // (gaussian noise); persistent: `bank_size`, `reinit` (probability a drawn chain restarts from
  // noise), `noise` (uniform | gaussian: the bank's fresh states). `data` needs the dataset.
  explicit ChainInit(const Config& cfg, Dataset* data = nullptr);

  // Fresh noise (uniform or gaussian as configured); what evaluation and diagnostics start from.
  torch::Tensor draw(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                     const torch::Device& device) const;
  // Starts of one training iteration's chains.
  torch::Tensor start(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                      const torch::Device& device);
  // What `start` would hand out, without touching the bank: evaluation of the chains training runs.
  torch::Tensor peek(std::int64_t m, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                     const torch::Device& device) const;
  // The chains' final states; a persistent bank stores them in the slots `start` handed out.
  void finish(const torch::Tensor& z);

  bool persistent() const { return kind_ == Kind::kPersistent; }
  // The bank (undefined until the first persistent start), saved with checkpoints.
  const torch::Tensor& bank() const { return bank_; }
  void set_bank(torch::Tensor bank) { bank_ = std::move(bank); }

 private:
  torch::Tensor from_bank(const torch::Tensor& slots, const std::vector<std::int64_t>& sample_shape, at::Generator& gen,
                          const torch::Device& device) const;
  Kind kind_;
  bool gaussian_noise_ = false;
  double low_ = -1, high_ = 1, std_ = 1;
  std::int64_t bank_size_ = 0;
  double reinit_ = 0;
  Dataset* data_ = nullptr;
  torch::Tensor bank_, slots_;
};

}  // namespace stanley
