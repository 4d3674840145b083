// Image energy nets (shapes over 1/3 channels and 28/32/64 px), the persistent chain bank and its
// checkpointing, inpainting masks, clamped conditional sampling against a closed form, PSNR.
#include <gtest/gtest.h>

#include <cmath>

#include "metrics/classifier_features.h"
#include "metrics/reconstruction.h"
#include "models/energy.h"
#include "models/onednn_conv_gradient.h"
#include "models/sampling_precision.h"
#include "models/vanilla_net.h"
#include "samplers/inpainting.h"
#include "samplers/langevin.h"
#include "test_support.h"
#include "training/chain_init.h"
#include "training/checkpoint.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

Config yaml(const std::string& text, const std::string& prefix = "model") { return Config(YAML::Load(text), prefix); }

TEST(ImageModels, OneEnergyPerImageForEveryShape) {
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{{1, 28, 28}, {3, 32, 32}, {3, 64, 64}}) {
    std::vector<std::int64_t> batch{5};
    batch.insert(batch.end(), shape.begin(), shape.end());
    const torch::Tensor x = torch::rand(batch) * 2 - 1;
    for (const char* text : {"{name: vanilla_net, n_f: 4, negative_slope: 0.05}",
                             "{name: conv_stack, channels: [4, 4, 4, 4, 4], activation: relu, negative_slope: 0.05}"}) {
      EnergyPtr f = make_energy(yaml(text), shape);
      const torch::Tensor out = f->forward(x);
      EXPECT_EQ(out.sizes(), (std::vector<std::int64_t>{5})) << text << " on " << shape[1] << " px";
      // Each output depends on its own image only.
      torch::Tensor x2 = x.clone();
      x2[4].add_(0.5);
      const torch::Tensor out2 = f->forward(x2);
      EXPECT_TRUE(out2.narrow(0, 0, 4).allclose(out.narrow(0, 0, 4), 1e-5, 1e-6)) << text;
    }
  }
}

TEST(ImageModels, PaperBackboneHasFiveConvsAndALinearHead) {
  EnergyPtr f = make_energy(yaml("{name: conv_stack, channels: [8, 8, 8, 8, 8], activation: relu, negative_slope: 0}"), {3, 32, 32});
  int convs = 0, linears = 0;
  for (const auto& m : f->modules(false)) {
    if (m->as<torch::nn::Conv2d>()) {
      ++convs;
      EXPECT_EQ(m->as<torch::nn::Conv2d>()->options.kernel_size()->at(0), 3);
      EXPECT_EQ(m->as<torch::nn::Conv2d>()->options.stride()->at(0), 1);
    }
    if (m->as<torch::nn::Linear>()) ++linears;
  }
  EXPECT_EQ(convs, 5);
  EXPECT_EQ(linears, 1);
}

// The sampling twin: bf16 keeps f and ∇f within bf16's rounding of fp32, hands fp32 back to the chain,
// and follows the training net only when synced (once per iteration); channels-last alone is exact.
TEST(SamplingPrecision, TwinMatchesTheNetWithinItsRoundingAndFollowsItOnSync) {
  torch::manual_seed(0);
  const std::vector<std::int64_t> shape{1, 28, 28};
  const Config cfg = yaml("{name: vanilla_net, n_f: 8, negative_slope: 0.05}");
  EnergyPtr master = make_energy(cfg, shape);
  for (auto& p : master->parameters()) p.requires_grad_(false);
  const torch::Tensor z = torch::rand({16, 1, 28, 28}) * 2 - 1;
  const EnergyGrad ref = energy_and_grad(*master, z);
  for (const auto& precision : {SamplingPrecision{torch::kBFloat16, true}, SamplingPrecision{torch::kFloat32, true}}) {
    SamplingPrecisionEnergy twin(master, make_energy(cfg, shape), precision);
    const EnergyGrad got = energy_and_grad(twin, z);
    EXPECT_EQ(got.f.scalar_type(), torch::kFloat32);
    EXPECT_EQ(got.grad.scalar_type(), torch::kFloat32);
    // bf16 keeps 8 significant bits per layer output; through 5 layers and back, measured here: ∇f off
    // by 8% (relative L2), f by ~1%. Whether that matters is for fid_fmnist to say (bench/README.md).
    const double tol = precision.dtype == torch::kBFloat16 ? 0.15 : 1e-5;
    const double grad_err = ((got.grad - ref.grad).norm() / ref.grad.norm()).item<double>();
    const double f_err = ((got.f - ref.f).abs().max() / ref.f.abs().max()).item<double>();
    EXPECT_LT(grad_err, tol);
    EXPECT_LT(f_err, tol);
    // A weight update reaches the twin only through sync().
    torch::NoGradGuard no_grad;
    for (auto& p : master->parameters()) p.mul_(1.5);
    EXPECT_LT((twin.forward(z) - ref.f).abs().max().item<double>() / ref.f.abs().max().item<double>(), tol);
    twin.sync();
    EXPECT_GT((twin.forward(z) - ref.f).abs().max().item<double>() / ref.f.abs().max().item<double>(), 0.1);
    for (auto& p : master->parameters()) p.div_(1.5);
  }
}

// The direct oneDNN path (weights reordered once, layouts kept, LeakyReLU as a post-op, backward-data
// convolutions in turn) against autograd through the libtorch modules: in fp32 the same numbers up to
// summation order, for every VanillaNet shape and for two batch sizes (a plan each); it follows the
// weights only when told (set_weights), as the sampling twin syncs once per iteration.
TEST(OnednnConvGradient, MatchesAutogradForEveryShapeAndFollowsTheWeights) {
  if (!OnednnConvGradient::available()) GTEST_SKIP() << "built without oneDNN's headers (libdnnl-dev)";
  torch::manual_seed(0);
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{{1, 28, 28}, {3, 32, 32}, {3, 64, 64}}) {
    auto net = std::make_shared<VanillaNetImpl>(shape, 8, 0.05);
    for (auto& p : net->parameters()) p.requires_grad_(false);
    OnednnConvGradient direct(net->conv_layers(), net->negative_slope(), shape, torch::kFloat32);
    for (const std::int64_t batch : {16, 5}) {
      std::vector<std::int64_t> sizes{batch};
      sizes.insert(sizes.end(), shape.begin(), shape.end());
      const torch::Tensor z = torch::rand(sizes) * 2 - 1;
      const EnergyGrad ref = energy_and_grad_autograd(*net, z), got = direct.energy_and_grad(z);
      ASSERT_EQ(got.f.sizes(), ref.f.sizes());
      ASSERT_EQ(got.grad.sizes(), ref.grad.sizes());
      EXPECT_LT(((got.f - ref.f).abs().max() / ref.f.abs().max()).item<double>(), 1e-5) << shape[1] << " px, M=" << batch;
      EXPECT_LT(((got.grad - ref.grad).norm() / ref.grad.norm()).item<double>(), 1e-5) << shape[1] << " px, M=" << batch;
    }
    const torch::Tensor z = torch::rand({4, shape[0], shape[1], shape[2]}) * 2 - 1;
    const EnergyGrad before = direct.energy_and_grad(z);
    {
      torch::NoGradGuard no_grad;
      for (auto& p : net->parameters()) p.mul_(1.5);
    }
    EXPECT_TRUE(direct.energy_and_grad(z).f.equal(before.f)) << "weights reach the path only through set_weights";
    direct.set_weights();
    const EnergyGrad after = direct.energy_and_grad(z), ref = energy_and_grad_autograd(*net, z);
    EXPECT_LT(((after.grad - ref.grad).norm() / ref.grad.norm()).item<double>(), 1e-5);
  }
}

// bf16 through the direct path: within bf16's rounding of the fp32 gradient (the tolerance the autograd
// twin above meets), and what SamplingPrecisionEnergy hands the sampler when precision.direct is set.
TEST(OnednnConvGradient, Bf16TwinTakesTheDirectPath) {
  if (!OnednnConvGradient::available() || !cpu_has_avx512_bf16()) GTEST_SKIP() << "no oneDNN headers or no AVX512-BF16";
  torch::manual_seed(1);
  const std::vector<std::int64_t> shape{1, 28, 28};
  const Config cfg = yaml("{name: vanilla_net, n_f: 8, negative_slope: 0.05}");
  EnergyPtr master = make_energy(cfg, shape);
  for (auto& p : master->parameters()) p.requires_grad_(false);
  const torch::Tensor z = torch::rand({32, 1, 28, 28}) * 2 - 1;
  const EnergyGrad ref = energy_and_grad(*master, z);
  SamplingPrecision precision{torch::kBFloat16, false};
  precision.direct = true;
  SamplingPrecisionEnergy twin(master, make_energy(cfg, shape), precision);
  ASSERT_TRUE(twin.analytic_energy_and_grad(z).has_value());
  const EnergyGrad got = energy_and_grad(twin, z);
  EXPECT_EQ(got.grad.scalar_type(), torch::kFloat32);
  EXPECT_LT(((got.grad - ref.grad).norm() / ref.grad.norm()).item<double>(), 0.15);
  EXPECT_LT(((got.f - ref.f).abs().max() / ref.f.abs().max()).item<double>(), 0.15);
  SamplingPrecisionEnergy autograd_twin(master, make_energy(cfg, shape), SamplingPrecision{torch::kBFloat16, false});
  EXPECT_FALSE(autograd_twin.analytic_energy_and_grad(z).has_value());
}

TEST(SamplingPrecision, RefusesWhatCannotWork) {
  const auto config = [](const std::string& precision, const std::string& sampler) {
    return Config(YAML::Load("{precision: " + precision + ", channels_last: false, sampling_gradient: direct, sampler: {name: " +
                             sampler + "}}"));
  };
  EXPECT_TRUE(SamplingPrecision::from_config(config("fp32", "mala"), torch::kCPU, true).is_default());
  try {  // refused as the Config is built, against the declared choices
    SamplingPrecision::from_config(config("fp16", "langevin"), torch::kCPU, false);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), "precision must be one of fp32, bf16, auto (got fp16)");
  }
  // auto: on a GPU bf16 with channels-last, except for an MH test (a CUDA device can be named without
  // one, and from_config only reads its type); on a CPU bf16 direct for a VanillaNet where the CPU has
  // AVX512-BF16 (the twin_bf16 verdict), fp32 for any other net and for MH tests.
  const torch::Device gpu(torch::kCUDA, 0);
  EXPECT_TRUE(SamplingPrecision::from_config(config("auto", "langevin"), torch::kCPU, false).is_default());  // no model named
  const auto vanilla = [](const std::string& sampling_gradient, double slope = 0.05) {
    return Config(YAML::Load("{precision: auto, channels_last: false, sampling_gradient: " + sampling_gradient +
                             ", sampler: {name: langevin}, model: {name: vanilla_net, negative_slope: " +
                             std::to_string(slope) + "}}"));
  };
  const auto on_cpu = SamplingPrecision::from_config(vanilla("direct"), torch::kCPU, false);
  EXPECT_EQ(on_cpu.dtype, cpu_has_avx512_bf16() && OnednnConvGradient::available() ? torch::kBFloat16 : torch::kFloat32);
  EXPECT_EQ(on_cpu.direct, on_cpu.dtype == torch::kBFloat16);
  EXPECT_TRUE(SamplingPrecision::from_config(vanilla("autograd"), torch::kCPU, false).is_default());
  // A plain ReLU has no direct path (LeakyReLU's backward from its output needs a slope > 0): fp32.
  EXPECT_TRUE(SamplingPrecision::from_config(vanilla("direct", 0.0), torch::kCPU, false).is_default());
  EXPECT_TRUE(SamplingPrecision::from_config(vanilla("direct"), torch::kCPU, true).is_default());
  const auto on_gpu = SamplingPrecision::from_config(config("auto", "stanley"), gpu, false);
  EXPECT_EQ(on_gpu.dtype, torch::kBFloat16);
  EXPECT_TRUE(on_gpu.channels_last);
  EXPECT_TRUE(SamplingPrecision::from_config(config("auto", "mala"), gpu, true).is_default());
  if (!cpu_has_avx512_bf16()) GTEST_SKIP() << "no AVX512-BF16 here: bf16 is refused before the sampler check";
  EXPECT_EQ(SamplingPrecision::from_config(config("bf16", "langevin"), torch::kCPU, false).dtype, torch::kBFloat16);
  try {
    SamplingPrecision::from_config(config("bf16", "mala"), torch::kCPU, true);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("Metropolis-Hastings"), std::string::npos) << e.what();
  }
}

TEST(ChainInit, PersistentBankHandsOutAndStoresChains) {
  ChainInit init(yaml("{kind: persistent, noise: uniform, low: -1, high: 1, bank_size: 10, reinit: 0.0}", "train.init"));
  at::Generator gen = at::detail::createCPUGenerator(0);
  const torch::Tensor z0 = init.start(4, {2}, gen, torch::kCPU);
  ASSERT_TRUE(init.bank().defined());
  EXPECT_EQ(init.bank().sizes(), (std::vector<std::int64_t>{10, 2}));
  EXPECT_LE(z0.abs().max().item<double>(), 1.0);
  init.finish(torch::full({4, 2}, 7.0));
  // The four slots drawn now hold 7 (fewer rows if a slot was drawn twice).
  const auto sevens = init.bank().eq(7.0).all(1).sum().item<std::int64_t>();
  EXPECT_GE(sevens, 1);
  EXPECT_LE(sevens, 4);
  // Draws come from the bank: with reinit 0 every start is a bank row.
  const torch::Tensor again = init.start(50, {2}, gen, torch::kCPU);
  for (std::int64_t i = 0; i < 50; ++i) EXPECT_EQ((init.bank() - again[i]).abs().sum(1).min().item<double>(), 0.0);

  ChainInit fresh(yaml("{kind: persistent, noise: gaussian, std: 1, bank_size: 10, reinit: 1.0}", "train.init"));
  fresh.start(4, {2}, gen, torch::kCPU);
  fresh.finish(torch::full({4, 2}, 7.0));
  const torch::Tensor restarted = fresh.start(200, {2}, gen, torch::kCPU);
  EXPECT_FALSE(restarted.eq(7.0).any().item<bool>()) << "reinit=1 must always restart from noise";
}

TEST(ChainInit, BankTravelsWithCheckpoints) {
  TempDir tmp;
  torch::nn::Linear model(2, 1);
  const torch::Tensor bank = torch::randn({6, 1, 4, 4});
  save_checkpoint(tmp.path(), 3, *model, nullptr, nullptr, {{"chain_bank", bank}});
  std::map<std::string, torch::Tensor> extra;
  EXPECT_EQ(load_checkpoint(checkpoint_path(tmp.path(), 3), *model, nullptr, nullptr, torch::kCPU, &extra), 3);
  ASSERT_EQ(extra.count("chain_bank"), 1u);
  EXPECT_TRUE(extra.at("chain_bank").equal(bank));
}

TEST(ChainInit, UnknownKindNamesTheChoices) {
  try {
    ChainInit init(yaml("{kind: replay}", "train.init"));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("(known: data, gaussian, persistent, uniform)"), std::string::npos);
  }
}

TEST(Inpainting, MasksHaveTheRequestedHoles) {
  at::Generator gen = at::detail::createCPUGenerator(0);
  const torch::Tensor box = make_mask("box", 0.5, 2, 28, 28, gen);
  EXPECT_EQ(box.sizes(), (std::vector<std::int64_t>{2, 1, 28, 28}));
  EXPECT_EQ((1 - box[0]).sum().item<double>(), 14 * 14);
  EXPECT_EQ(box[0][0][13][13].item<double>(), 0.0);
  EXPECT_EQ(box[0][0][0][0].item<double>(), 1.0);
  const torch::Tensor half = make_mask("half", 0.0, 1, 28, 28, gen);
  EXPECT_EQ(half[0][0][13].sum().item<double>(), 28);
  EXPECT_EQ(half[0][0][14].sum().item<double>(), 0);
  const torch::Tensor random = make_mask("random", 0.3, 100, 28, 28, gen);
  EXPECT_NEAR((1 - random).mean().item<double>(), 0.3, 0.01);
}

// f(x) = −½‖x − μ‖² factorises, so the conditional of the holes given the observed pixels is
// N(μ, I) there; observed pixels must come back bit for bit.
class Quadratic : public EnergyModel {
 public:
  explicit Quadratic(torch::Tensor mu) : mu_(std::move(mu)) {}
  torch::Tensor forward(const torch::Tensor& x) override { return -0.5 * (x - mu_).pow(2).flatten(1).sum(1); }

 private:
  torch::Tensor mu_;
};

TEST(Inpainting, ClampedLangevinSamplesTheConditional) {
  const std::int64_t n = 400;
  const torch::Tensor mu = torch::linspace(-0.5, 0.5, 64).reshape({1, 1, 8, 8});
  auto model = std::make_shared<Quadratic>(mu);
  at::Generator gen = at::detail::createCPUGenerator(1);
  const torch::Tensor observed = at::rand({n, 1, 8, 8}, gen, torch::kFloat32);
  const torch::Tensor mask = make_mask("box", 0.5, n, 8, 8, gen);
  Sampler langevin(std::make_unique<LangevinKernel>(0.01, 1.0));
  const torch::Tensor z0 = torch::zeros({n, 1, 8, 8});
  const torch::Tensor out = inpaint(langevin, model, observed, mask, z0, 1500, ChainStreams{gen, gen});
  EXPECT_TRUE((out * mask).equal(observed * mask));
  const torch::Tensor hole = (1 - mask[0]).to(torch::kBool);
  const torch::Tensor mean = out.mean(0).masked_select(hole), var = out.var(0).masked_select(hole);
  // Discretised Langevin on N(μ, 1) has stationary variance 1 / (1 − s/4) (= 1.0025 at s = 0.01).
  EXPECT_LT((mean - mu[0].masked_select(hole)).abs().max().item<double>(), 0.2);
  EXPECT_NEAR(var.mean().item<double>(), 1.0 / (1.0 - 0.01 / 4), 0.05);
}

// The feature network depends on its settings and data only: not on the run's global generator
// (which it leaves as it found it), so fid_<name> means the same across run seeds.
TEST(ClassifierFeatures, SeededByItsOwnSeedOnly) {
  at::Generator gen = at::detail::createCPUGenerator(3);
  ImageSet train{at::randint(0, 256, {96, 1, 8, 8}, gen, torch::kLong).to(torch::kUInt8),
                 at::randint(0, 3, {96}, gen, torch::kLong)};
  ClassifierSettings s;
  s.width = 4;
  s.epochs = 1;
  s.batch = 32;
  auto build = [&](std::uint64_t global_seed, const fs::path& cache) {
    torch::manual_seed(global_seed);
    const double untouched = torch::rand({1}).item<double>();  // the global stream's next draw
    torch::manual_seed(global_seed);
    ClassifierFeatures net(s, train, train, "toy", cache, [](const std::string&) {});
    EXPECT_EQ(torch::rand({1}).item<double>(), untouched) << "the classifier moved the global generator";
    return net.features(to_unit_range(train.images.narrow(0, 0, 5)));
  };
  TempDir a, b;
  EXPECT_TRUE(build(1, a.path()).equal(build(2, b.path())));
}

TEST(Reconstruction, MaskedMseAndPsnr) {
  const torch::Tensor truth = torch::zeros({1, 1, 2, 2});
  torch::Tensor completed = torch::zeros({1, 1, 2, 2});
  completed[0][0][0][0] = 0.5;   // in the hole
  completed[0][0][1][1] = 1.0;   // observed: not scored
  torch::Tensor mask = torch::ones({1, 1, 2, 2});
  mask[0][0][0][0] = 0;
  mask[0][0][0][1] = 0;
  EXPECT_DOUBLE_EQ(masked_mse(completed, truth, mask), 0.25 / 2);
  EXPECT_NEAR(psnr_from_mse(0.125), 10 * std::log10(4 / 0.125), 1e-12);
}

}  // namespace
