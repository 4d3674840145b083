// Whole pieces of a run: one EBM iteration (Algorithm 1: K sampler steps, a data batch, the
// contrastive loss, one Adam step), FID at d = 2048, and reading Fashion-MNIST.
// The iterations match bench/reference/*.py, the PyTorch-Python twins `make bench-compare` runs.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "bench_support.h"
#include "data/idx.h"
#include "data/rings.h"
#include "metrics/feature_stats.h"
#include "models/sampling_precision.h"
#include "random/draws.h"
#include "runtime/blas_kernels.h"
#include "training/generators.h"
#include "training/optimizer.h"

using namespace stanley;
using namespace stanley::bench;

namespace {

const char* kFmnistRoot = "/usr/share/datasets/fashion-mnist";

struct Iteration {
  std::string name, net, sampler, precision;
  std::int64_t batch, n_steps;
  int threads;
  std::string net_overrides = "";  // "" : the experiment's (n_f 16 for the ConvNet)
  std::vector<std::int64_t> image_shape = {1, 28, 28};
  std::string device = "cpu";
};

// The paper's CIFAR-10 iteration (5 conv 3x3 x 128 channels, M = 64, K = 100: ~16 TFLOP) on
// STANLEY_BENCH_DEVICE (cpu, cuda, cuda:N), registered only when that variable is set: on this CPU one
// iteration takes minutes.
const char* paper_device() { return std::getenv("STANLEY_BENCH_DEVICE"); }

// Data for the iteration: the rings sampler, or uniform noise images standing in for Fashion-MNIST
// batches (the arithmetic is the same; data loading is measured on its own below).
torch::Tensor data_batch(const Iteration& it, RingsDataset& rings, at::Generator& gen, const torch::Device& device) {
  if (it.net == "toy_mlp") return rings.batch(it.batch, gen, device);
  std::vector<std::int64_t> shape{it.batch};
  shape.insert(shape.end(), it.image_shape.begin(), it.image_shape.end());
  return draw::uniform(shape, gen, torch::TensorOptions(torch::kFloat32).device(device)) * 2 - 1;
}

void ebm_iteration(benchmark::State& state, const Iteration& it) {
  prepare_threads(it.threads);
  const bool toy = it.net == "toy_mlp";
  const std::vector<std::int64_t> shape = toy ? std::vector<std::int64_t>{2} : it.image_shape;
  const torch::Device device(it.device);
  const std::string net_overrides = !it.net_overrides.empty() ? it.net_overrides : toy ? "{}" : "{n_f: 16}";
  EnergyPtr net = build_net(it.net, shape, net_overrides);
  net->to(device);
  EnergyPtr sampled = sampling_view(state, net, it.net, shape, net_overrides, it.precision, device);
  if (!sampled) return;
  auto twin = std::dynamic_pointer_cast<SamplingPrecisionEnergy>(sampled);
  SamplerPtr sampler = build_sampler(it.sampler, toy ? "{step_size: 0.14, noise: 1.0}" : "{step_size: 2.0, noise: 0.01}");
  auto optimizer = make_optimizer(Config(YAML::Load("{name: adam, lr: 1.0e-4, betas: [0.9, 0.999], weight_decay: 0.0}"), "optim"),
                                  net->parameters());
  RingsDataset rings({1, 2, 3, 4}, 0.15);
  at::Generator gen = make_generator(device, 0);
  const auto chain = torch::TensorOptions(torch::kFloat32).device(device);
  std::vector<std::int64_t> z_shape{it.batch};
  z_shape.insert(z_shape.end(), shape.begin(), shape.end());
  for (auto _ : state) {
    if (twin) twin->sync();
    const torch::Tensor z0 = toy ? draw::normal(z_shape, gen, chain) : draw::uniform(z_shape, gen, chain) * 2 - 1;
    torch::Tensor z = sampler->sample(*sampled, z0, it.n_steps, gen, nullptr);
    const torch::Tensor x = data_batch(it, rings, gen, device);
    torch::Tensor loss = net->forward(z.detach()).mean() - net->forward(x).mean();
    optimizer->zero_grad();
    loss.backward();
    optimizer->step();
    benchmark::DoNotOptimize(loss.item<float>());  // the one host read of an iteration, as the trainer's
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["threads"] = it.threads;
}

// Fréchet distance between two sets of 5,000 features of dimension 2,048 (Inception's pool3 size):
// both covariances and the matrix square root.
void fid_2048(benchmark::State& state) {
  prepare_threads(2);
  at::Generator gen = make_generator(torch::kCPU, 0);
  const torch::Tensor a = draw::normal({5000, 2048}, gen, torch::kFloat32);
  const torch::Tensor b = draw::normal({5000, 2048}, gen, torch::kFloat32) * 1.1 + 0.1;
  for (auto _ : state) {
    const double d = frechet_distance(feature_stats(a), feature_stats(b));
    benchmark::DoNotOptimize(d);
  }
  state.counters["threads"] = 2;
}

// Decoding the gzipped IDX files (what the image cache saves on later runs), and drawing batches.
void load_fmnist(benchmark::State& state) {
  if (!std::filesystem::exists(std::string(kFmnistRoot) + "/train-images-idx3-ubyte.gz")) {
    state.SkipWithError(fmt::format("no Fashion-MNIST under {} (apt install dataset-fashion-mnist)", kFmnistRoot).c_str());
    return;
  }
  for (auto _ : state) {
    ImageSet set = read_idx_split(kFmnistRoot, "train");
    benchmark::DoNotOptimize(set.images.data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * 60000);
}

void draw_batches(benchmark::State& state) {
  at::Generator gen = make_generator(torch::kCPU, 0);
  const torch::Tensor images = draw::uniform({60000, 1, 28, 28}, gen, torch::kFloat32);
  for (auto _ : state) {
    const torch::Tensor idx = draw::integers(0, 60000, {64}, gen, torch::kCPU);
    benchmark::DoNotOptimize(images.index_select(0, idx).data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * 64);
}

void register_all() {
  std::vector<Iteration> iterations{
      {"rings", "toy_mlp", "langevin", "fp32", 100, 100, 1},
      {"rings", "toy_mlp", "stanley", "fp32", 100, 100, 1},
      // The same iteration through autograd (what sampling did before the hand-written gradient).
      {"rings_autograd", "toy_mlp", "langevin", "fp32", 100, 100, 1, "{analytic_grad: false}"},
      {"fmnist", "vanilla_net", "langevin", "fp32", 64, 40, 2},
      {"fmnist", "vanilla_net", "langevin", "bf16", 64, 40, 2},
      {"fmnist_twin", "vanilla_net", "langevin", "fp32", 32, 10, 1},
      {"fmnist_twin", "vanilla_net", "langevin", "bf16", 32, 10, 1}};
  if (const char* device = paper_device()) {
    for (const char* precision : {"fp32", "bf16"}) {
      Iteration paper{"cifar10_paper", "conv_stack", "langevin", precision, 64, 100, 2,
                      "{channels: [128, 128, 128, 128, 128]}", {3, 32, 32}, device};
      iterations.push_back(paper);
    }
  }
  for (const auto& it : iterations)
    benchmark::RegisterBenchmark(fmt::format("ebm_iteration/{}/{}/M{}/K{}/{}{}", it.name, it.sampler, it.batch, it.n_steps,
                                             it.precision, it.device == "cpu" ? "" : "/" + it.device).c_str(),
                                 [it](benchmark::State& st) { ebm_iteration(st, it); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0);
  benchmark::RegisterBenchmark("fid/d2048/n5000", fid_2048)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("data/fmnist/decode_idx", load_fmnist)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("data/batch/b64", draw_batches)->Unit(benchmark::kMicrosecond);
}

}  // namespace

int main(int argc, char** argv) { return run_benchmarks(argc, argv, register_all); }
