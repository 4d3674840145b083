// Whole pieces of a run: one EBM iteration (Algorithm 1: K sampler steps, a data batch, the
// contrastive loss, one Adam step) as a run does it, FID at d = 2048, and reading Fashion-MNIST.
// The iteration is the trainer's own (Trainer::iterate) on the run `stanley run OVERRIDES` assembles
// (run/run_assembly.h); bench/reference/ebm_iteration.py is its PyTorch-Python twin for `make bench-compare`.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "bench_support.h"
#include "config/errors.h"
#include "data/idx.h"
#include "metrics/feature_stats.h"
#include "random/draws.h"
#include "run/run_assembly.h"
#include "runtime/blas_kernels.h"
#include "training/generators.h"

using namespace stanley;
using namespace stanley::bench;

namespace {

const char* kFmnistRoot = "/usr/share/datasets/fashion-mnist";

struct Iteration {
  std::string name;                    // the benchmark's case name (bench/compare.py picks by it)
  std::vector<std::string> overrides;  // `stanley run` overrides: what the run is
  // fp32 | bf16 (precision=bf16 channels_last=true: on a CPU oneDNN called directly for the sampler's
  // gradient) | bf16_autograd (the same through libtorch's modules and autograd: the path before it)
  std::string precision = "fp32";
  std::string device = "cpu";
};

// The paper's CIFAR-10 iteration (5 conv 3x3 x 128 channels, M = 64, K = 100: ~16 TFLOP) on
// STANLEY_BENCH_DEVICE (cpu, cuda, cuda:N), registered only when that variable is set: on this CPU one
// iteration takes minutes. Its data: CIFAR-10's binary version under STANLEY_BENCH_CIFAR10 (default
// data/cifar10, as configs/data/cifar10.yaml).
const char* paper_device() { return std::getenv("STANLEY_BENCH_DEVICE"); }

std::vector<std::string> run_overrides(const Iteration& it) {
  std::vector<std::string> o = it.overrides;
  o.push_back("device=" + it.device);
  if (it.precision == "bf16" || it.precision == "bf16_autograd") {
    o.push_back("precision=bf16");
    o.push_back("channels_last=true");
    o.push_back(it.precision == "bf16" ? "sampling_gradient=direct" : "sampling_gradient=autograd");
  } else {
    o.push_back("precision=fp32");
  }
  return o;
}

// A case: its composed run (composed once, when registered) and, from its first call on, the run
// assembled from it, kept across Google Benchmark's calls of the case (it calls again until MinTime
// is reached): the dataset is read once and training simply goes on.
struct Case {
  Iteration it;
  Config cfg;
  struct Assembled {
    RunAssembly run;
    RunGenerators gens;
    std::int64_t iteration = 0;
  };
  std::unique_ptr<Assembled> assembled;
};

void ebm_iteration(benchmark::State& state, Case& c) {
  if (!precision_available(state, c.it.precision)) return;
  try {
    prepare_threads(c.cfg.get<int>("threads"));
    const torch::Device device(c.it.device);
    if (!c.assembled)
      c.assembled = std::make_unique<Case::Assembled>(
          Case::Assembled{assemble_run(c.cfg, device), RunGenerators(c.cfg.get<std::int64_t>("seed"), device)});
    Case::Assembled& a = *c.assembled;
    for (auto _ : state) {
      const torch::Tensor stats = a.run.trainer->iterate(++a.iteration, a.gens, device);
      benchmark::DoNotOptimize(stats[0].item<float>());  // the one host read of an iteration, as the trainer's
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["threads"] = c.cfg.get<int>("threads");
    state.counters["M"] = static_cast<double>(c.cfg.get<std::int64_t>("train.batch"));
    state.counters["K"] = static_cast<double>(c.cfg.get<std::int64_t>("sampler.n_steps"));
  } catch (const UserError& e) {  // e.g. no dataset where the config expects it: the line names the path
    state.SkipWithError(e.what());
  }
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
  const std::vector<std::string> rings{"experiment=rings", "scale=small", "threads=1"};   // M = 100, K = 100
  const std::vector<std::string> fmnist{"experiment=fmnist", "scale=small", "threads=2"}; // M = 64, K = 40, n_f = 16
  const std::vector<std::string> twin{"experiment=fmnist", "scale=twin", "threads=1"};    // M = 32, K = 10
  auto with = [](std::vector<std::string> base, std::initializer_list<std::string> more) {
    base.insert(base.end(), more);
    return base;
  };
  std::vector<Iteration> iterations{
      {"rings", with(rings, {"sampler=langevin"})},
      {"rings", with(rings, {"sampler=stanley"})},
      // The same iteration through autograd (what sampling did before the hand-written gradient).
      {"rings_autograd", with(rings, {"sampler=langevin", "model.analytic_grad=false"})},
      {"fmnist", with(fmnist, {"sampler=langevin"})},
      {"fmnist", with(fmnist, {"sampler=langevin"}), "bf16"},
      {"fmnist_twin", with(twin, {"sampler=langevin"})},
      {"fmnist_twin", with(twin, {"sampler=langevin"}), "bf16"},
      {"fmnist_twin", with(twin, {"sampler=langevin"}), "bf16_autograd"}};
  if (const char* device = paper_device()) {
    const char* root = std::getenv("STANLEY_BENCH_CIFAR10");
    for (const char* precision : {"fp32", "bf16"})
      iterations.push_back({"cifar10_paper",
                            {"experiment=cifar10", "scale=paper", "sampler=langevin", "threads=2",
                             fmt::format("data.root={}", root ? root : "data/cifar10")},
                            precision, device});
  }
  static std::vector<std::unique_ptr<Case>> cases;  // live for the whole program, as the benchmarks
  for (const auto& it : iterations) {
    Case& c = *cases.emplace_back(std::make_unique<Case>(Case{it, compose_run(run_overrides(it)), nullptr}));
    // The name from the composed run, so it says what was measured (bench/compare.py selects by it).
    benchmark::RegisterBenchmark(fmt::format("ebm_iteration/{}/{}/M{}/K{}/{}{}", it.name, c.cfg.get<std::string>("sampler.name"),
                                             c.cfg.get<std::int64_t>("train.batch"), c.cfg.get<std::int64_t>("sampler.n_steps"),
                                             it.precision, it.device == "cpu" ? "" : "/" + it.device).c_str(),
                                 [&c](benchmark::State& st) { ebm_iteration(st, c); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0);
  }
  benchmark::RegisterBenchmark("fid/d2048/n5000", fid_2048)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("data/fmnist/decode_idx", load_fmnist)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("data/batch/b64", draw_batches)->Unit(benchmark::kMicrosecond);
}

}  // namespace

int main(int argc, char** argv) { return run_benchmarks(argc, argv, register_all); }
