#pragma once
// Shared by the benchmark programs: runs, nets and samplers composed from the suite's own configs/ by
// config/compose.h (the code paths a run takes, key declarations checked), and the arithmetic of a
// forward pass counted from the layer shapes.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "models/energy.h"
#include "samplers/sampler_registry.h"

namespace stanley::bench {

// The config `stanley run OVERRIDES` resolves (this source tree's configs/; caches under its results/).
Config compose_run(std::vector<std::string> overrides);
// configs/model/<name>.yaml with `overrides` (key=value, the group prefix left out) applied.
EnergyPtr build_net(const std::string& name, const std::vector<std::int64_t>& sample_shape,
                    const std::vector<std::string>& overrides = {});
// configs/sampler/<name>.yaml with step adaptation off and `overrides` applied.
SamplerPtr build_sampler(const std::string& name, const std::vector<std::string>& overrides = {});

// A benchmark program's main: the same BLAS kernels as `stanley` (runtime/blas_kernels.h), the program's
// benchmarks registered, then Google Benchmark's flags and run, with the BLAS core in the context.
int run_benchmarks(int argc, char** argv, void (*register_all)());

// libtorch's and OpenBLAS's thread counts (as `threads=` sets them) and a fixed seed.
void prepare_threads(int threads);

// False, with the benchmark skipped, when `precision` (fp32, bf16, bf16_nchw, fp32_cl) needs AVX512-BF16
// and this CPU has none.
bool precision_available(benchmark::State& state, const std::string& precision);

// The net samplers see at `precision`: "fp32", the net itself; "bf16", its bf16 channels-last twin
// (precision=bf16 channels_last=true), synced from `net`; "bf16_nchw" (bf16 alone) and "fp32_cl"
// (channels-last alone) separate the two changes. Null, with the benchmark skipped, on a CPU
// without AVX512-BF16.
EnergyPtr sampling_view(benchmark::State& state, const EnergyPtr& net, const std::string& name,
                        const std::vector<std::int64_t>& sample_shape, const std::vector<std::string>& overrides,
                        const std::string& precision);

// Multiply-adds x 2 of one forward pass for one sample: Conv2d and Linear layers, in registration
// order, which is the order the suite's nets apply them (LeakyReLU/ReLU/flatten are not counted).
double forward_flops(torch::nn::Module& net, const std::vector<std::int64_t>& sample_shape);

}  // namespace stanley::bench
