// Cost of one EBM iteration's sampling on the rings toy net: K=100 steps, M=100 chains.
#include <benchmark/benchmark.h>

#include "models/toy_mlp.h"
#include "samplers/langevin.h"
#include "samplers/stanley.h"
#include "training/generators.h"

using namespace stanley;

namespace {

template <class MakeSampler>
void run_sampler(benchmark::State& state, MakeSampler make) {
  torch::set_num_threads(1);
  torch::manual_seed(0);
  ToyMlpImpl model(2, {32, 64, 64, 64}, 0.05);
  auto sampler = make();
  at::Generator gen = make_generator(torch::kCPU, 0);
  torch::Tensor z0 = torch::randn({state.range(0), 2});
  for (auto _ : state) benchmark::DoNotOptimize(sampler->sample(model, z0, 100, gen, nullptr));
  state.SetItemsProcessed(state.iterations() * 100 * state.range(0));  // chain-steps
}

void BM_Langevin(benchmark::State& state) {
  run_sampler(state, [] { return std::make_unique<LangevinSampler>(0.14, 1.0); });
}
void BM_Stanley(benchmark::State& state) {
  run_sampler(state, [] { return std::make_unique<StanleySampler>(StanleySampler::Options{}); });
}

BENCHMARK(BM_Langevin)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Stanley)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
