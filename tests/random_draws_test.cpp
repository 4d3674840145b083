// The one owner of random draws (lib/random/draws.h): on the generator's own device the numbers are
// those of torch's direct draw (so routing every call site through it changed no CPU result), and a
// draw for another device is made on the generator's device and moved there.
#include <gtest/gtest.h>

#include "random/draws.h"
#include "random/streams.h"

namespace stanley {
namespace {

TEST(RandomDraws, OnTheGeneratorsDeviceTheNumbersAreTorchsOwn) {
  at::Generator a = make_generator(torch::kCPU, 7), b = make_generator(torch::kCPU, 7);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  EXPECT_TRUE(torch::equal(draw::normal({5, 33}, a, f64), at::normal(0.0, 1.0, {5, 33}, b, f64)));
  EXPECT_TRUE(torch::equal(draw::uniform({17}, a, torch::kFloat32), at::rand({17}, b, torch::kFloat32)));
  EXPECT_TRUE(torch::equal(draw::integers(3, 11, {40}, a, torch::kCPU), at::randint(3, 11, {40}, b, torch::kLong)));
  EXPECT_TRUE(torch::equal(draw::permutation(50, a, torch::kCPU), at::randperm(50, b, torch::kLong)));
  const torch::Tensor like = torch::zeros({4, 1, 3, 3}, f64);
  EXPECT_TRUE(torch::equal(draw::normal_like(like, a), at::normal(0.0, 1.0, like.sizes(), b, f64)));
}

TEST(RandomDraws, DtypeAndDeviceFollowTheTarget) {
  at::Generator gen = make_generator(torch::kCPU, 1);
  const torch::Tensor n = draw::normal({3}, gen, torch::TensorOptions().dtype(torch::kFloat64));
  EXPECT_EQ(n.scalar_type(), torch::kFloat64);
  EXPECT_EQ(draw::integers(0, 5, {3}, gen, torch::kCPU).scalar_type(), torch::kLong);
  EXPECT_EQ(draw::permutation(6, gen, torch::kCPU).scalar_type(), torch::kLong);
  // Another device than the generator's: drawn on the CPU, then moved (the meta device stands in for a
  // GPU on a CPU-only build; a direct draw there would bypass the generator).
  const torch::Tensor moved = draw::uniform({4}, gen, torch::TensorOptions().device(torch::kMeta));
  EXPECT_TRUE(moved.is_meta());
  EXPECT_EQ(draw::permutation(9, gen, torch::kMeta).device().type(), torch::kMeta);
}

TEST(RandomDraws, SeedsComeFromTheGeneratorAlone) {
  at::Generator a = make_generator(torch::kCPU, 3), b = make_generator(torch::kCPU, 3);
  const std::uint64_t s = draw::seed_from(a);
  EXPECT_EQ(s, draw::seed_from(b));
  EXPECT_LT(s, 1ULL << 62);
  EXPECT_NE(draw::seed_from(a), s);  // the stream moved on
}

TEST(RandomDraws, GlobalSeedScopeRestoresTheGlobalStream) {
  const double untouched = [] {
    at::Generator global = default_generator(torch::kCPU);
    const torch::Tensor saved = global.get_state();
    const double next = torch::rand({1}).item<double>();
    global.set_state(saved);
    return next;
  }();
  double inside = 0, again = 0;
  with_global_cpu_seed(11, [&] { inside = torch::rand({1}).item<double>(); });
  with_global_cpu_seed(11, [&] { again = torch::rand({1}).item<double>(); });
  EXPECT_EQ(inside, again);
  EXPECT_EQ(torch::rand({1}).item<double>(), untouched);
}

// The crash this owner removed: a CUDA generator filling CPU tensors (KID's subsets, the data floor's
// pick, a data-started chain's batch). Runs where a GPU is present; CPU machines skip it.
TEST(RandomDraws, ACudaGeneratorFillsCpuTensors) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  at::Generator gen = make_generator(torch::Device(torch::kCUDA, 0), 5);
  EXPECT_TRUE(draw::permutation(100, gen, torch::kCPU).is_cpu());
  EXPECT_TRUE(draw::integers(0, 10, {8}, gen, torch::kCPU).is_cpu());
  EXPECT_TRUE(draw::normal({8}, gen, torch::kFloat32).is_cpu());
  EXPECT_TRUE(draw::uniform({8}, gen, torch::TensorOptions().device(torch::kCUDA, 0)).is_cuda());
}

}  // namespace
}  // namespace stanley
