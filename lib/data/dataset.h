#pragma once
// The data seam: a source of training batches of a fixed sample shape.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <vector>

#include "config/config.h"
#include "config/registry.h"

namespace stanley {

class Dataset {
 public:
  virtual ~Dataset() = default;
  // m samples, [m, ...sample_shape()], on `device`, drawn with `gen` (a CPU generator).
  virtual torch::Tensor batch(std::int64_t m, at::Generator& gen, const torch::Device& device) = 0;
  virtual std::vector<std::int64_t> sample_shape() const = 0;
};
using DatasetPtr = std::shared_ptr<Dataset>;

using DatasetFactory = std::function<DatasetPtr(const Config&)>;
Registry<DatasetFactory>& dataset_registry();
// Builds the dataset named by `name` in the `data` config section.
DatasetPtr make_dataset(const Config& data_cfg);

}  // namespace stanley
