#include "samplers/chain_ops.h"

namespace stanley {

torch::Tensor per_sample_norm(const torch::Tensor& t) { return t.flatten(1).norm(2, 1); }

torch::Tensor per_chain(const torch::Tensor& mask, const torch::Tensor& like) {
  std::vector<std::int64_t> view(like.dim(), 1);
  view[0] = like.size(0);
  return mask.view(view);
}

torch::Tensor log_gaussian(const torch::Tensor& x, const GaussianKernel& k) {
  const torch::Tensor sd = k.std.expand_as(x);
  return -(0.5 * ((x - k.mean) / sd).pow(2) + sd.log()).flatten(1).sum(1);
}

torch::Tensor kernel_draw(const GaussianKernel& k, const torch::Tensor& noise) { return torch::addcmul(k.mean, k.std, noise); }

}  // namespace stanley
