// One MCMC transition of each sampler on the suite's energy nets, and this CPU's GEMM peak.
//   items/s   chain transitions per second (batch x transitions)
//   GFLOP/s   achieved, counting 2 x forward FLOPs per gradient evaluation (forward + input gradient;
//             no weight gradient is computed while sampling), from the layer shapes
// Threads: 1 for the toy MLP (the rings runs), 2 for ConvNets (the image runs).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench_support.h"
#include "random/draws.h"
#include "runtime/blas_kernels.h"
#include "training/generators.h"

using namespace stanley;
using namespace stanley::bench;

namespace {

struct Case {
  std::string sampler, net;
  std::int64_t batch, px;  // px 0: the toy MLP's 2-D points
  std::string precision;   // fp32 | bf16 (bf16 twin + channels-last, as precision=bf16 channels_last=true) |
                           // bf16_nchw | fp32_cl (one of the two changes alone)
};

void transition(benchmark::State& state, const Case& c) {
  const int threads = c.px == 0 ? 1 : 2;
  prepare_threads(threads);
  const std::vector<std::int64_t> shape = c.px == 0 ? std::vector<std::int64_t>{2} : std::vector<std::int64_t>{1, c.px, c.px};
  const std::vector<std::string> net_overrides = c.net == "vanilla_net" ? std::vector<std::string>{"n_f=16"}
                                                                        : std::vector<std::string>{};
  EnergyPtr net = build_net(c.net, shape, net_overrides);
  EnergyPtr sampled = sampling_view(state, net, c.net, shape, net_overrides, c.precision);
  if (!sampled) return;
  // HMC: one leapfrog step per transition here, so every sampler's item is one gradient evaluation.
  SamplerPtr sampler = build_sampler(c.sampler, c.sampler == "hmc" ? std::vector<std::string>{"n_leapfrog=1", "noise=0.01"}
                                                                   : std::vector<std::string>{"noise=0.01"});
  FrozenParameters frozen(*net);
  at::Generator gen = make_generator(torch::kCPU, 0);
  std::vector<std::int64_t> z_shape{c.batch};
  z_shape.insert(z_shape.end(), shape.begin(), shape.end());
  torch::Tensor z = draw::uniform(z_shape, gen, torch::kFloat32) * 2 - 1;
  for (auto _ : state) {
    z = sampler->sample(*sampled, z, 1, gen, nullptr);
    benchmark::DoNotOptimize(z.data_ptr());
  }
  const double grads = sampler->gradients_per_step();
  const double flops = 2.0 * forward_flops(*net, shape) * static_cast<double>(c.batch) * grads;
  state.SetItemsProcessed(state.iterations() * c.batch);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9 * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

// A large square GEMM: the most this CPU does per second in each precision (the peak GFLOP/s above are
// measured against). 2 n^3 FLOPs per product.
void peak_gemm(benchmark::State& state, torch::Dtype dtype, int threads) {
  prepare_threads(threads);
  const std::int64_t n = 2048;
  at::Generator gen = make_generator(torch::kCPU, 0);
  const torch::Tensor a = draw::normal({n, n}, gen, torch::kFloat32).to(dtype);
  const torch::Tensor b = draw::normal({n, n}, gen, torch::kFloat32).to(dtype);
  torch::Tensor c = torch::empty({n, n}, dtype);
  for (auto _ : state) {
    torch::mm_out(c, a, b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n * 1e-9 * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

void register_all() {
  std::vector<Case> cases;
  for (const char* s : {"langevin", "stanley", "mala", "hmc", "gd"}) {
    for (std::int64_t b : {64, 100, 256}) cases.push_back({s, "toy_mlp", b, 0, "fp32"});
    cases.push_back({s, "vanilla_net", 64, 28, "fp32"});
  }
  for (std::int64_t px : {28, 32, 64})
    for (std::int64_t b : {64, 100, 256})
      for (const char* p : {"fp32", "bf16"}) cases.push_back({"langevin", "vanilla_net", b, px, p});
  for (std::int64_t px : {28, 32, 64})
    for (const char* p : {"fp32", "bf16"}) cases.push_back({"langevin", "conv_stack", 64, px, p});
  for (const char* p : {"fp32_cl", "bf16_nchw"}) cases.push_back({"langevin", "vanilla_net", 64, 28, p});
  for (const auto& c : cases) {
    const std::string where = c.px == 0 ? "2d" : fmt::format("{}px", c.px);
    benchmark::RegisterBenchmark(fmt::format("transition/{}/{}/b{}/{}/{}", c.sampler, c.net, c.batch, where, c.precision).c_str(),
                                 [c](benchmark::State& st) { transition(st, c); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.3);
  }
  for (int threads : {1, 2}) {
    benchmark::RegisterBenchmark(fmt::format("peak_gemm/fp32/{}threads", threads).c_str(),
                                 [threads](benchmark::State& st) { peak_gemm(st, torch::kFloat32, threads); })
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(fmt::format("peak_gemm/bf16/{}threads", threads).c_str(),
                                 [threads](benchmark::State& st) { peak_gemm(st, torch::kBFloat16, threads); })
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) { return run_benchmarks(argc, argv, register_all); }
