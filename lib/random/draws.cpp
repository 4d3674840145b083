#include "random/draws.h"

namespace stanley::draw {
namespace {
// The options a draw is made with: the target's dtype on the generator's device.
torch::TensorOptions on_generator(const torch::TensorOptions& target, const at::Generator& gen) {
  return target.device(gen.device());
}
torch::Tensor moved(const torch::Tensor& t, const torch::Device& target) {
  return t.device() == target ? t : t.to(target);
}
}  // namespace

torch::Tensor normal(at::IntArrayRef sizes, at::Generator& gen, const torch::TensorOptions& target) {
  return moved(at::normal(0.0, 1.0, sizes, gen, on_generator(target, gen)), target.device());
}

torch::Tensor normal_like(const torch::Tensor& like, at::Generator& gen) {
  return normal(like.sizes(), gen, like.options());
}

torch::Tensor uniform(at::IntArrayRef sizes, at::Generator& gen, const torch::TensorOptions& target) {
  return moved(at::rand(sizes, gen, on_generator(target, gen)), target.device());
}

torch::Tensor integers(std::int64_t low, std::int64_t high, at::IntArrayRef sizes, at::Generator& gen,
                       const torch::Device& target) {
  return moved(at::randint(low, high, sizes, gen, on_generator(torch::kLong, gen)), target);
}

torch::Tensor permutation(std::int64_t n, at::Generator& gen, const torch::Device& target) {
  return moved(at::randperm(n, gen, on_generator(torch::kLong, gen)), target);
}

std::uint64_t seed_from(at::Generator& gen) {
  return static_cast<std::uint64_t>(integers(0, 1LL << 62, {1}, gen, torch::kCPU).item<std::int64_t>());
}

}  // namespace stanley::draw
